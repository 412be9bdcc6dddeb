import type { Clock } from './Clock.js';

/**
 * Keeps data channels behind the camera and microphone (issue 13). The send
 * transport runs `produceData` and `produce` one after the other, each
 * waiting for the server's answer, so a chat channel opened while the camera
 * is still being captured would make the camera's `produce` wait a round
 * trip. Media being enabled takes a ticket; data channels wait until no
 * ticket is out, at most `maxWaitMs` (a permission prompt may stay open for
 * ever, and the chat must open some day).
 */
export class MediaFirstGate {
  readonly #clock: Clock;
  readonly #maxWaitMs: number;
  #tickets = 0;
  readonly #waiters = new Set<() => void>();

  constructor(clock: Clock, maxWaitMs: number) {
    this.#clock = clock;
    this.#maxWaitMs = maxWaitMs;
  }

  /** Media is coming: call the returned function once its `produce()` went out or failed (idempotent). */
  ticket(): () => void {
    this.#tickets++;
    let returned = false;
    return () => {
      if (returned) return;
      returned = true;
      this.#tickets--;
      if (this.#tickets === 0) this.#release();
    };
  }

  /** Resolves once no media is being enabled (at once if none is), or after `maxWaitMs`. */
  passed(): Promise<void> {
    if (this.#tickets === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.#clock.clearTimeout(timer);
        this.#waiters.delete(done);
        resolve();
      };
      const timer = this.#clock.setTimeout(done, this.#maxWaitMs);
      this.#waiters.add(done);
    });
  }

  #release(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }
}
