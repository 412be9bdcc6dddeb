import { toProtocolError } from './errors.js';
import { createLogger } from './logger.js';

const log = createLogger('RequestObservers');

/** One settled client request: its method, how long it took, and its error code if it failed. */
export type RequestObserver = (method: string, ms: number, errorCode: string | undefined) => void;

/**
 * Who watches requests settle (metrics). With no observer a request runs
 * with no clock read at all; an observer that throws cannot fail a request.
 */
export class RequestObservers {
  readonly #observers = new Set<RequestObserver>();

  add(observer: RequestObserver): () => void {
    this.#observers.add(observer);
    return () => this.#observers.delete(observer);
  }

  async run<T>(method: string, task: () => Promise<T>): Promise<T> {
    if (this.#observers.size === 0) return task();
    const start = performance.now();
    try {
      const result = await task();
      this.#tell(method, performance.now() - start, undefined);
      return result;
    } catch (error) {
      this.#tell(method, performance.now() - start, toProtocolError(error).code);
      throw error;
    }
  }

  #tell(method: string, ms: number, errorCode: string | undefined): void {
    for (const observer of this.#observers) {
      try {
        observer(method, ms, errorCode);
      } catch (error) {
        log.warn('a request observer threw: %s', error);
      }
    }
  }
}
