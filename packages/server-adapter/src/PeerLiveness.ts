import type { types } from 'mediasoup';

/**
 * A peer's signs of life, which the liveness watch reads and writes
 * (`performance.now()` ms). Media counts every byte a transport received:
 * RTP, RTCP, DTLS, SCTP and the STUN checks browsers keep sending even when
 * they send no media.
 */
export class PeerLiveness {
  lastMessageAt: number;
  lastMediaAt: number;
  /** Sum of `bytesReceived` over the peer's transports at the last poll. */
  bytesReceived = 0;
  /** Since when neither signaling nor media lives (undefined while either does). */
  deadSince: number | undefined;

  constructor(now = performance.now()) {
    this.lastMessageAt = now;
    this.lastMediaAt = now;
  }

  /** A message came in on the signaling connection. */
  heardMessage(): void {
    this.lastMessageAt = performance.now();
  }

  /** A (new) connection is bound: signaling lives, so the peer is not dead. */
  connected(): void {
    this.heardMessage();
    this.deadSince = undefined;
  }

  /** The session became resumable: its media is given a full timeout from now. */
  mediaFromNow(): void {
    this.lastMediaAt = performance.now();
  }
}

/** Bytes the transports received so far (the liveness watch's media signal). */
export async function bytesReceivedBy(
  transports: Iterable<types.WebRtcTransport>,
): Promise<number> {
  let total = 0;
  await Promise.all(
    [...transports].map(async (transport) => {
      try {
        for (const stat of await transport.getStats()) total += stat.bytesReceived ?? 0;
      } catch {
        // Closed meanwhile: it receives nothing more.
      }
    }),
  );
  return total;
}
