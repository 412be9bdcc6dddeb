/**
 * A token bucket: `burst` requests at once, then `perSecond` sustained.
 * The clock is injectable so tests can drive it without sleeping.
 */
export class RateLimiter {
  readonly #perSecond: number;
  readonly #burst: number;
  readonly #now: () => number;
  #tokens: number;
  #last: number;

  constructor(options: { perSecond: number; burst: number; now?: () => number }) {
    this.#perSecond = options.perSecond;
    this.#burst = options.burst;
    this.#now = options.now ?? (() => performance.now());
    this.#tokens = options.burst;
    this.#last = this.#now();
  }

  /** Takes `count` tokens (default one); false, taking none, when the bucket has fewer. */
  take(count = 1): boolean {
    const now = this.#now();
    const refill = ((now - this.#last) / 1000) * this.#perSecond;
    this.#tokens = Math.min(this.#burst, this.#tokens + refill);
    this.#last = now;
    if (this.#tokens < count) return false;
    this.#tokens -= count;
    return true;
  }

  /** Gives back a token taken for something that turned out to be free. */
  refund(): void {
    this.#tokens = Math.min(this.#burst, this.#tokens + 1);
  }
}
