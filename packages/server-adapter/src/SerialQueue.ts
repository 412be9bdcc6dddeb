/**
 * Runs tasks one at a time in the order they were pushed. One peer's requests
 * go through one queue, so a client may pipeline `connectWebRtcTransport` and
 * several `produce` without waiting for each answer.
 */
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();
  push<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(
      () => task(),
      () => task(),
    );
    // The chain must not reject, or the next task would see this one's error.
    this.#tail = run.catch(() => undefined);
    return run;
  }
}
