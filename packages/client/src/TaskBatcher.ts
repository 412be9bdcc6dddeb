/**
 * Runs `flush` as ONE task of a serial queue for all the requests made in
 * the same task. `schedule()` is called once per request; the first call of
 * a round queues the flush at the end of the current microtask checkpoint,
 * and later calls join it until the flush starts. Requests arriving while
 * earlier queue tasks run therefore join the next flush too.
 */
export class TaskBatcher {
  private queued = false;

  constructor(
    private readonly options: {
      name: string;
      enqueue: (task: () => Promise<void>, name: string) => Promise<void>;
      flush: () => Promise<void>;
      /** The flush task failed or was dropped (queue stopped): settle what is pending. */
      onError: (error: unknown) => void;
    },
  ) {}

  schedule(): void {
    if (this.queued) return;
    this.queued = true;
    queueMicrotask(() => {
      const { enqueue, flush, name, onError } = this.options;
      enqueue(async () => {
        this.queued = false;
        await flush();
      }, name).catch((error: unknown) => {
        this.queued = false;
        onError(error);
      });
    });
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
