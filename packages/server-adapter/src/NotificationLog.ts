/** One numbered notification, as sent (or as it would have been sent). */
export interface LoggedNotification {
  seq: number;
  method: string;
  data: unknown;
}

/**
 * The last numbered notifications of a session, so a resumed client gets
 * exactly those after its `lastSeq`. Bounded: a client further behind than
 * the log reaches cannot be caught up and must join again.
 */
export class NotificationLog {
  readonly #capacity: number;
  readonly #entries: LoggedNotification[] = [];
  #seq = 0;
  /** Every notification numbered above this one is still in the log. */
  #completeAfter = 0;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** The last number given out (0 before the first). */
  get seq(): number {
    return this.#seq;
  }

  append(method: string, data: unknown): LoggedNotification {
    const entry = { seq: ++this.#seq, method, data };
    this.#entries.push(entry);
    if (this.#entries.length > this.#capacity) {
      const dropped = this.#entries.shift();
      if (dropped) this.#completeAfter = dropped.seq;
    }
    return entry;
  }

  /**
   * What a client that saw everything up to `lastSeq` missed, in order; or
   * undefined when the log cannot answer (too far behind, or a number this
   * session never sent).
   */
  after(lastSeq: number): LoggedNotification[] | undefined {
    if (lastSeq < this.#completeAfter || lastSeq > this.#seq) return undefined;
    return this.#entries.filter((entry) => entry.seq > lastSeq);
  }

  /** Forgets the entries (a new room membership starts); numbering goes on. */
  clear(): void {
    this.#entries.length = 0;
    this.#completeAfter = this.#seq;
  }
}
