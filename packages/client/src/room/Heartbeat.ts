import { Logger } from '../Logger.js';
import { CLIENT_TIMING } from './timing.js';

const logger = new Logger('room:Heartbeat');

export type HeartbeatOptions = {
  /** How often to send `ping`; default 2000 ms. */
  intervalMs?: number;
  /**
   * Silence after which the channel is dead; default 5000 ms. Any message
   * from the server counts, not only ping answers, so a server busy pushing
   * consumers is not mistaken for a dead one. With the defaults a dead
   * channel is noticed within 5 s of the last message (pings keep a live
   * server talking at least every 2 s).
   */
  timeoutMs?: number;
};

export const DEFAULT_HEARTBEAT = CLIENT_TIMING.heartbeat;

/**
 * After a network event, how long the server gets to say anything before the
 * channel counts as dead. Far above a real round trip (50-200 ms); far below
 * the timeout, which a quiet link that dropped would otherwise take to notice.
 */
export const PROBE_TIMEOUT_MS = CLIENT_TIMING.probeTimeoutMs;

/**
 * Notices a silent server: sends a ping every `intervalMs` and reports the
 * channel dead when nothing at all arrived for `timeoutMs`.
 */
export class Heartbeat {
  readonly #intervalMs: number;
  readonly #timeoutMs: number;
  readonly #ping: () => Promise<unknown>;
  readonly #onDead: (silentMs: number) => void;
  #interval: ReturnType<typeof setInterval> | undefined;
  #watchdog: ReturnType<typeof setTimeout> | undefined;
  #lastHeard = 0;
  #armedAt = 0;
  #stopped = true;

  constructor(options: {
    intervalMs: number;
    timeoutMs: number;
    ping: () => Promise<unknown>;
    onDead: (silentMs: number) => void;
  }) {
    this.#intervalMs = options.intervalMs;
    this.#timeoutMs = options.timeoutMs;
    this.#ping = options.ping;
    this.#onDead = options.onDead;
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#lastHeard = Date.now();
    this.#interval = setInterval(() => this.#sendPing(), this.#intervalMs);
    this.#arm();
  }

  /** Something arrived from the server: it is alive. */
  heard(): void {
    if (this.#stopped) return;
    this.#lastHeard = Date.now();
    this.#arm();
  }

  /**
   * The network changed or went away: ping now, and count the channel dead
   * unless something arrives within `PROBE_TIMEOUT_MS` (or the normal
   * timeout, if that comes first). A live channel answers and nothing changes.
   */
  probe(): void {
    if (this.#stopped) return;
    const remaining = this.#timeoutMs - (Date.now() - this.#lastHeard);
    if (remaining <= PROBE_TIMEOUT_MS) return;
    this.#sendPing();
    clearTimeout(this.#watchdog);
    this.#armedAt = Date.now();
    this.#watchdog = setTimeout(() => this.#check(), PROBE_TIMEOUT_MS);
  }

  stop(): void {
    this.#stopped = true;
    clearInterval(this.#interval);
    clearTimeout(this.#watchdog);
  }

  #sendPing(): void {
    // Failures are the watchdog's business: a ping that times out or is
    // refused proves nothing more than the silence itself.
    this.#ping().catch((error: unknown) => logger.debug('ping failed: %o', error));
  }

  #arm(): void {
    clearTimeout(this.#watchdog);
    this.#armedAt = Date.now();
    this.#watchdog = setTimeout(() => this.#check(), this.#timeoutMs);
  }

  #check(): void {
    if (this.#stopped) return;
    const now = Date.now();
    // A timer that fires far too late means this page or process was frozen
    // (background tab, laptop asleep): the silence is ours, not the server's.
    // Ask once more before declaring the server dead.
    if (now - this.#armedAt > this.#timeoutMs * 2) {
      logger.debug('watchdog fired late (%d ms): pinging again', now - this.#armedAt);
      this.#sendPing();
      this.#arm();
      return;
    }
    const silentMs = now - this.#lastHeard;
    logger.warn('no message from the server for %d ms', silentMs);
    this.stop();
    this.#onDead(silentMs);
  }
}
