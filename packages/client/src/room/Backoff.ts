import { CLIENT_TIMING } from './timing.js';

export type BackoffOptions = {
  /** The second attempt waits about this long (the first one goes at once). Default 250 ms. */
  initialDelayMs?: number;
  /** No wait is longer than this, jitter included. Default 3000 ms. */
  maxDelayMs?: number;
  /** Random extra added to each wait but the first, at most this. Default 500 ms. */
  jitterMs?: number;
};

export const DEFAULT_BACKOFF = CLIENT_TIMING.backoff;

/**
 * The waits between reconnect attempts: the first retry goes at once (most
 * drops are a blip: a proxy restart, a Wi-Fi hand-over), then the wait doubles
 * from `initialDelayMs` up to `maxDelayMs`. Each wait after the first gets a
 * random jitter of at most `jitterMs`, inside the cap, so a thousand clients
 * dropped by the same server restart do not all knock at the same instant.
 */
export class Backoff {
  readonly #options: Required<BackoffOptions>;
  readonly #random: () => number;
  #attempt = 0;

  constructor(options: BackoffOptions = {}, random: () => number = Math.random) {
    this.#options = { ...DEFAULT_BACKOFF, ...options };
    this.#random = random;
  }

  /** The wait before the next attempt (0 before the first). */
  next(): number {
    const attempt = this.#attempt++;
    if (attempt === 0) return 0;
    const { initialDelayMs, maxDelayMs, jitterMs } = this.#options;
    const jitterRoom = Math.min(jitterMs, maxDelayMs);
    const base = Math.min(initialDelayMs * 2 ** (attempt - 1), maxDelayMs - jitterRoom);
    return base + this.#random() * jitterRoom;
  }

  reset(): void {
    this.#attempt = 0;
  }
}
