import { EventEmitter, type Events } from './EventEmitter.js';
import { Logger } from './Logger.js';

const logger = new Logger('EnhancedEventEmitter');

/**
 * An EventEmitter whose events are typed by a map from event name to argument
 * tuple. `safeEmit` shields the SDK from app listeners: a listener that throws
 * is logged and the remaining listeners still run.
 */
export class EnhancedEventEmitter<E extends Events = Events> extends EventEmitter<E> {
  /** Drops every listener, so a closed object no longer holds app closures. */
  close(): void {
    this.removeAllListeners();
  }

  /**
   * Like `emit`, but an exception thrown by a listener is logged instead of
   * propagating into the SDK, and later listeners still run.
   */
  safeEmit<K extends keyof E & string>(eventName: K, ...args: E[K]): boolean {
    const listeners = this.rawListeners(eventName);
    if (listeners.length === 0) return false;
    for (const listener of listeners) {
      // `once` wrappers unregister themselves when called; raw listeners
      // keep that behaviour while letting us catch each call on its own.
      try {
        listener.apply(this, args);
      } catch (error) {
        logger.error('safeEmit() | listener of event "%s" threw: %o', eventName, error);
      }
    }
    return true;
  }

  /**
   * Emits an event whose last two arguments are a callback and an errback
   * (the `connect` / `produce` pattern) and returns a promise settled by
   * whichever the listener calls. Rejects if nobody listens.
   */
  safeEmitAsPromise<K extends keyof E & string>(
    eventName: K,
    ...args: DropCallbacks<E[K]>
  ): Promise<CallbackValue<E[K]>> {
    return new Promise((resolve, reject) => {
      const callback = (value: CallbackValue<E[K]>) => resolve(value);
      const errback = (error: Error) => {
        logger.error('safeEmitAsPromise() | "%s" failed: %o', eventName, error);
        reject(error);
      };
      const listened = this.safeEmit(
        eventName,
        ...([...args, callback, errback] as unknown as E[K]),
      );
      if (!listened) {
        reject(new Error(`no listener for event "${eventName}": the app must handle it`));
      }
    });
  }
}

/** The arguments of a callback-style event without its trailing callback and errback. */
export type DropCallbacks<T extends unknown[]> = T extends [...infer Head, unknown, unknown]
  ? Head
  : never;

/** What the callback of a callback-style event is called with. */
export type CallbackValue<T extends unknown[]> = T extends [...unknown[], infer Cb, unknown]
  ? Cb extends () => void
    ? undefined
    : Cb extends (value: infer V) => void
      ? V
      : never
  : never;
