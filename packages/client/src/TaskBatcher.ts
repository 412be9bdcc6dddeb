/**
 * Collects the requests made in one task and hands them to `flush` as ONE
 * task of a serial queue. The first `add()` of a round queues the flush at
 * the end of the current microtask checkpoint, and later ones join it until
 * the flush starts; requests arriving while earlier queue tasks run
 * therefore join the next flush too. Requests are keyed: adding a key again
 * replaces its request, and `delete()` withdraws one.
 */
export class TaskBatcher<T> {
  private readonly pending = new Map<unknown, T>();
  private queued = false;

  constructor(
    private readonly options: {
      name: string;
      enqueue: (task: () => Promise<void>, name: string) => Promise<void>;
      /** Gets the requests of the round (never none). */
      flush: (requests: T[]) => Promise<void>;
      /** The flush task failed or was dropped (queue stopped): settle what is pending. */
      onError: (error: unknown, requests: T[]) => void;
    },
  ) {}

  add(key: unknown, request: T): void {
    this.pending.set(key, request);
    if (this.queued) return;
    this.queued = true;
    queueMicrotask(() => {
      const { enqueue, flush, name, onError } = this.options;
      enqueue(async () => {
        this.queued = false;
        const requests = this.take();
        if (requests.length > 0) await flush(requests);
      }, name).catch((error: unknown) => {
        this.queued = false;
        onError(error, this.take());
      });
    });
  }

  delete(key: unknown): void {
    this.pending.delete(key);
  }

  /** Withdraws every pending request. */
  take(): T[] {
    const requests = [...this.pending.values()];
    this.pending.clear();
    return requests;
  }
}

/** A promise with its settle functions, which remembers whether it settled. */
export class Deferred<T> {
  readonly promise: Promise<T>;
  settled = false;
  private _resolve!: (value: T) => void;
  private _reject!: (error: unknown) => void;

  constructor() {
    this.promise = new Promise<T>((resolve, reject) => {
      this._resolve = resolve;
      this._reject = reject;
    });
  }

  resolve(value: T): void {
    if (this.settled) return;
    this.settled = true;
    this._resolve(value);
  }

  reject(error: unknown): void {
    if (this.settled) return;
    this.settled = true;
    this._reject(error);
  }
}
