import { CloseCode } from './Connection.js';
import { createLogger } from './logger.js';
import type { Peer } from './Peer.js';
import type { SessionOptions } from './sessionOptions.js';
import { SERVER_TIMING } from './timing.js';

const log = createLogger('LivenessWatch');

/**
 * A peer without its connection is looked at this often (at most every
 * `mediaPollMs`), until it is dead, resumed or gone: with the 2 s poll
 * alone a killed peer was noticed 6.5 to 9.7 s after the kill, because
 * both the last byte and the verdict wait for a poll.
 */
export const DETACHED_POLL_MS = SERVER_TIMING.detachedPollMs;

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
  /** Peers whose check is running: a slow worker stalls its own peers' checks, not the others'. */
  readonly #checking = new Set<Peer>();
  /** Dead peers' expiry timers: the grace is timed exactly, not rounded up to a poll. */
  readonly #expiries = new Map<Peer, ReturnType<typeof setTimeout>>();
  /** Detached peers' next close look (`watchClosely`). */
  readonly #closeLooks = new Map<Peer, ReturnType<typeof setTimeout>>();

  constructor(options: SessionOptions, peers: () => Iterable<Peer>, onSweep: () => void) {
    this.#options = options;
    this.#peers = peers;
    this.#onSweep = onSweep;
  }

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => this.sweep(), this.#options.mediaPollMs);
    // The watch must never keep the process alive on its own.
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    for (const timer of [...this.#expiries.values(), ...this.#closeLooks.values()]) {
      clearTimeout(timer);
    }
    this.#expiries.clear();
    this.#closeLooks.clear();
  }

  /**
   * The peer lost its connection: checks its media every `DETACHED_POLL_MS`
   * until it is dead (the grace then runs on its exact timer), resumed or
   * closed, for at most `mediaTimeoutMs + mediaPollMs`: long enough for a
   * killed peer, whose media stopped with its socket; one whose media goes
   * on (a signaling-only drop) is left to the regular poll after that.
   */
  watchClosely(
    peer: Peer,
    until = performance.now() + this.#options.mediaTimeoutMs + this.#options.mediaPollMs,
  ): void {
    if (this.#closeLooks.has(peer) || !this.#timer) return;
    const look = () => {
      this.#closeLooks.delete(peer);
      if (peer.closed || peer.connected || peer.liveness.deadSince !== undefined) return;
      this.#startCheck(peer);
      if (performance.now() < until) this.watchClosely(peer, until);
    };
    const timer = setTimeout(look, Math.min(DETACHED_POLL_MS, this.#options.mediaPollMs));
    timer.unref();
    this.#closeLooks.set(peer, timer);
  }

  /** Starts a check of every joined peer whose previous check has finished. */
  sweep(): void {
    for (const peer of this.#peers()) {
      if (peer.joined && !peer.closed) this.#startCheck(peer);
    }
    this.#onSweep();
  }

  /** Checks `peer` unless its previous check is still running. */
  #startCheck(peer: Peer): void {
    if (this.#checking.has(peer)) return;
    this.#checking.add(peer);
    this.#check(peer)
      .catch((error: unknown) => log.error('liveness check of peer %s failed: %s', peer.id, error))
      .finally(() => this.#checking.delete(peer));
  }

  async #check(peer: Peer): Promise<void> {
    const { signalingTimeoutMs } = this.#options;
    if (peer.connected && performance.now() - peer.liveness.lastMessageAt > signalingTimeoutMs) {
      peer.dropConnection(CloseCode.SignalingTimeout, `no message for ${signalingTimeoutMs} ms`);
    }
    await this.#pollMedia(peer);
    if (!this.#isDead(peer)) {
      this.#revive(peer);
      return;
    }
    if (peer.liveness.deadSince !== undefined) return;
    peer.liveness.deadSince = performance.now();
    const graceMs = this.#options.resumeWindowMs;
    log.debug('peer %s has no signaling and no media; removed in %d ms', peer.id, graceMs);
    const timer = setTimeout(() => void this.#expire(peer), graceMs);
    timer.unref();
    this.#expiries.set(peer, timer);
  }

  async #pollMedia(peer: Peer): Promise<void> {
    const bytes = await peer.bytesReceived();
    if (bytes === peer.liveness.bytesReceived) return;
    peer.liveness.bytesReceived = bytes;
    peer.liveness.lastMediaAt = performance.now();
  }

  #isDead(peer: Peer): boolean {
    if (peer.closed || peer.connected || !peer.joined) return false;
    return performance.now() - peer.liveness.lastMediaAt >= this.#options.mediaTimeoutMs;
  }

  #revive(peer: Peer): void {
    const timer = this.#expiries.get(peer);
    if (timer) clearTimeout(timer);
    this.#expiries.delete(peer);
    if (peer.liveness.deadSince !== undefined) log.debug('peer %s is alive again', peer.id);
    peer.liveness.deadSince = undefined;
  }

  /** The grace is over: one last look at the media, then the session ends. */
  async #expire(peer: Peer): Promise<void> {
    this.#expiries.delete(peer);
    if (peer.liveness.deadSince === undefined) return;
    try {
      await this.#pollMedia(peer);
    } catch {
      // Nothing to read: no media then.
    }
    if (!this.#isDead(peer)) {
      this.#revive(peer);
      return;
    }
    log.debug('peer %s: session expired', peer.id);
    peer.close(undefined, 'session expired');
  }
}
