import type { types } from 'mediasoup';

/** A transport's ICE path is taken as settled after this long without a change. */
export const PATH_SETTLE_MS = 300;

/**
 * Calls `ask` when the transport is on a new ICE path (not its first: an ICE
 * restart onto new ports, a network change) and the path has stopped
 * changing: key frames asked before, e.g. at resume, went down the old one.
 * Restarts come in bursts of two or three paths within half a second, and a
 * request in the middle of one is lost, or refused by the sender's encoder
 * (one key frame per 300 ms in libwebrtc) while mediasoup waits a second
 * before asking again.
 */
export function onSettledNewPath(transport: types.WebRtcTransport, ask: () => void): void {
  let hadPath = false;
  let settling: ReturnType<typeof setTimeout> | undefined;
  transport.on('iceselectedtuplechange', () => {
    if (!hadPath) {
      hadPath = true;
      return;
    }
    clearTimeout(settling);
    settling = setTimeout(ask, PATH_SETTLE_MS);
    settling.unref();
  });
  transport.observer.once('close', () => clearTimeout(settling));
}

/**
 * Calls `ask` when a video producer's streams come back after all of them
 * were at score 0 (mediasoup got no RTP for a while: a cut link, a frozen
 * sender): its receivers need a key frame, and asking now beats waiting for
 * their decoders to ask.
 */
export function onVideoBackFromSilence(producer: types.Producer, ask: () => void): void {
  if (producer.kind !== 'video') return;
  let silent = false;
  producer.on('score', (score: types.ProducerScore[]) => {
    const live = score.some((s) => s.score > 0);
    if (silent && live) ask();
    silent = !live;
  });
}
