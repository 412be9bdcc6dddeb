import type { Clock } from '../Clock.js';

/**
 * A clock that moves only when the test says: the room's recovery (backoff,
 * give-up deadline, ICE watchdog) waits on it, so two minutes of retries run
 * in milliseconds and every wait can be read (`setTimeouts`).
 */
export class FakeClock implements Clock {
  #now = 0;
  #nextId = 1;
  readonly #timers = new Map<number, { at: number; callback: () => void }>();
  /** Every delay asked for, in order. */
  readonly setTimeouts: number[] = [];

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.#nextId++;
    this.setTimeouts.push(ms);
    this.#timers.set(id, { at: this.#now + Math.max(0, ms), callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number);
  }

  /** Timers waiting, as delays from now. */
  get pending(): number[] {
    return [...this.#timers.values()].map((t) => t.at - this.#now).sort((a, b) => a - b);
  }

  /**
   * Moves time forward by `ms`, firing due timers in order; between timers
   * it lets real macrotasks run (`settle`) so messages cross MemoryChannels.
   */
  async advance(ms: number, settle: () => Promise<void>): Promise<void> {
    const until = this.#now + ms;
    for (;;) {
      await settle();
      const next = [...this.#timers.entries()].sort((a, b) => a[1].at - b[1].at)[0];
      if (!next || next[1].at > until) break;
      this.#timers.delete(next[0]);
      this.#now = Math.max(this.#now, next[1].at);
      next[1].callback();
    }
    this.#now = until;
    await settle();
  }
}
