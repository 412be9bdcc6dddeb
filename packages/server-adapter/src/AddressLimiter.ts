import { addressGroup } from './addressGroup.js';
import { RateLimiter } from './RateLimiter.js';

/**
 * One token bucket per remote address, for what a reconnect storm repeats on
 * fresh connections (join, resumeSession): a per-connection budget would be
 * new on every attempt. Buckets that refilled are dropped by `prune()`, so the
 * map holds only addresses that were busy lately.
 */
export class AddressLimiter {
  readonly #perSecond: number;
  readonly #burst: number;
  readonly #buckets = new Map<string, { limiter: RateLimiter; lastUse: number }>();
  /** ms; a spec passes a fake clock. */
  readonly #now: () => number;

  constructor(options: { perSecond: number; burst: number; now?: () => number }) {
    this.#perSecond = options.perSecond;
    this.#burst = options.burst;
    this.#now = options.now ?? (() => performance.now());
  }

  /**
   * False when this address used up its budget. A connection whose binding
   * reports no address is not limited here (one shared bucket would let any
   * such client starve the rest); its per-session budget still applies.
   */
  take(address: string | undefined): boolean {
    if (address === undefined) return true;
    // Per /64 for IPv6: a client rotating through its prefix is one client.
    const key = addressGroup(address);
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      bucket = {
        limiter: new RateLimiter({
          perSecond: this.#perSecond,
          burst: this.#burst,
          now: this.#now,
        }),
        lastUse: 0,
      };
      this.#buckets.set(key, bucket);
    }
    bucket.lastUse = this.#now();
    return bucket.limiter.take();
  }

  /** Forgets addresses idle long enough for their bucket to be full again. */
  prune(): void {
    const refillMs = (this.#burst / this.#perSecond) * 1000;
    const now = this.#now();
    for (const [key, bucket] of this.#buckets) {
      if (now - bucket.lastUse > refillMs) this.#buckets.delete(key);
    }
  }

  get size(): number {
    return this.#buckets.size;
  }
}
