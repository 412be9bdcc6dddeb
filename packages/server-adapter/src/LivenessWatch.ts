import { CloseCode } from './Connection.js';
import { createLogger } from './logger.js';
import type { Peer } from './Peer.js';
import type { SessionOptions } from './sessionOptions.js';

const log = createLogger('LivenessWatch');

/**
 * Tells live peers from dead ones, every `mediaPollMs`:
 * - signaling: a joined peer whose connection carried nothing for
 *   `signalingTimeoutMs` loses it (a cut link leaves the socket half-open);
 * - media: mediasoup 3.8 has no ICE consent timeout, so the watch reads each
 *   transport's `bytesReceived`, which counts every packet (RTP, RTCP, DTLS,
 *   SCTP and STUN: a receive-only browser still sends consent checks);
 * - a peer with neither is dead; after `resumeWindowMs` dead it is removed
 *   (peerLeft to the others, every mediasoup object closed). Either sign of
 *   life coming back (a resume, or bytes) stops the clock.
 */
export class LivenessWatch {
  readonly #options: SessionOptions;
  readonly #peers: () => Iterable<Peer>;
  readonly #onSweep: () => void;
  #timer: ReturnType<typeof setInterval> | undefined;
  #sweeping = false;

  constructor(options: SessionOptions, peers: () => Iterable<Peer>, onSweep: () => void) {
    this.#options = options;
    this.#peers = peers;
    this.#onSweep = onSweep;
  }

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.sweep(), this.#options.mediaPollMs);
    // The watch must never keep the process alive on its own.
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** One pass over every joined peer. Overlapping passes are skipped. */
  async sweep(): Promise<void> {
    if (this.#sweeping) return;
    this.#sweeping = true;
    try {
      const peers = [...this.#peers()].filter((peer) => peer.joined && !peer.closed);
      await Promise.all(peers.map((peer) => this.#check(peer)));
      this.#onSweep();
    } catch (error) {
      log.error('liveness sweep failed: %s', error);
    } finally {
      this.#sweeping = false;
    }
  }

  async #check(peer: Peer): Promise<void> {
    const liveness = peer.liveness;
    const { signalingTimeoutMs, mediaTimeoutMs, resumeWindowMs } = this.#options;
    if (peer.connected && performance.now() - liveness.lastMessageAt > signalingTimeoutMs) {
      peer.dropConnection(CloseCode.SignalingTimeout, `no message for ${signalingTimeoutMs} ms`);
    }
    const bytes = await peer.bytesReceived();
    const now = performance.now();
    if (bytes !== liveness.bytesReceived) {
      liveness.bytesReceived = bytes;
      liveness.lastMediaAt = now;
    }
    if (peer.closed || peer.connected || now - liveness.lastMediaAt < mediaTimeoutMs) {
      if (liveness.deadSince !== undefined) log.debug('peer %s is alive again', peer.id);
      liveness.deadSince = undefined;
      return;
    }
    if (liveness.deadSince === undefined) {
      liveness.deadSince = now;
      log.debug('peer %s has no signaling and no media; removed in %d ms', peer.id, resumeWindowMs);
    }
    if (now - liveness.deadSince >= resumeWindowMs) {
      log.debug('peer %s: session expired', peer.id);
      peer.close(undefined, 'session expired');
    }
  }
}
