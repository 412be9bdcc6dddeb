import type { types } from 'mediasoup';
import { whenKeyFrameWouldBeHonoured } from './keyFramePacing.js';
import { createLogger } from './logger.js';
import type { Peer, TransportDirection } from './Peer.js';
import { SERVER_TIMING } from './timing.js';

const log = createLogger('keyFrames');

/** A transport's ICE path is taken as settled after this long without a change. */
export const PATH_SETTLE_MS = SERVER_TIMING.pathSettleMs;

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

/**
 * Asks for video key frames: for the consumers (in the other peers) of
 * `producerIds`, and with `mine` for the peer's own consumers too. After
 * an outage every frame sent meanwhile was lost and no decoder can go on
 * until the next key frame; asking at once saves the seconds browsers take
 * to ask themselves (measured: the cut client's first frame ~1.1 s after
 * the link came back without this, ~0.15 s with it; bench/recovery.ts).
 */
export function requestKeyFrames(peer: Peer, producerIds: Iterable<string>, mine: boolean): void {
  const wanted = new Set(producerIds);
  const consumers = mine ? [...peer.consumers.values()] : [];
  for (const other of peer.room?.others(peer) ?? []) {
    for (const consumer of other.consumers.values()) {
      if (wanted.has(consumer.producerId)) consumers.push(consumer);
    }
  }
  for (const consumer of consumers) {
    if (consumer.kind !== 'video' || consumer.closed) continue;
    // Closed meanwhile: nothing to refresh.
    whenKeyFrameWouldBeHonoured(consumer, () => consumer.requestKeyFrame()).catch(() => undefined);
  }
}

/**
 * A peer's transport on a settled new path: what it sends needs key frames
 * at the others (send), what it receives needs them at itself (recv).
 */
export function keyFramesOnNewPath(
  peer: Peer,
  transport: types.WebRtcTransport,
  direction: TransportDirection,
): void {
  onSettledNewPath(transport, () => {
    log.debug('peer %s: %s transport on a new ICE path: key frames', peer.id, direction);
    if (direction === 'send') requestKeyFrames(peer, peer.producers.keys(), false);
    else requestKeyFrames(peer, [], true);
  });
}
