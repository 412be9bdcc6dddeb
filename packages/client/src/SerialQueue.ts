/**
 * Runs async tasks one at a time in push order: a transport's SDP rounds must
 * never interleave. `stop()` rejects every task not yet settled (the running
 * one included: its late result is ignored) and every later push.
 *
 * The SDK's own (instead of `awaitqueue`): it needs only push and stop, and
 * `awaitqueue` bundles `debug` and a task-inspection API (see the README).
 */
export class SerialQueue {
  private _tail: Promise<unknown> = Promise.resolve();
  private _stopped: ((name: string) => Error) | undefined;
  /** Rejecters of the tasks pushed and not settled yet, with their names. */
  private readonly _unsettled = new Map<(error: Error) => void, string>();

  push<T>(task: () => Promise<T>, name: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this._stopped) return reject(this._stopped(name));
      this._unsettled.set(reject, name);
      this._tail = this._tail.then(async () => {
        // Stopped while waiting: never start.
        if (!this._unsettled.has(reject)) return;
        try {
          resolve(await task());
        } catch (error) {
          reject(error);
        } finally {
          this._unsettled.delete(reject);
        }
      });
    });
  }

  /** Rejects what is pending with `reason(name)`, and everything pushed from now on. */
  stop(reason: (name: string) => Error): void {
    this._stopped = reason;
    for (const [reject, name] of this._unsettled) reject(reason(name));
    this._unsettled.clear();
  }
}
