import EventEmitter, { type Listener } from 'events-alias';
import { Logger } from './Logger.js';

const logger = new Logger('EnhancedEventEmitter');

// biome-ignore lint/suspicious/noExplicitAny: event maps declare their own tuples; `any[]` lets any tuple satisfy the bound.
type Events = Record<string, any[]>;

/**
 * An EventEmitter whose events are typed by a map from event name to argument
 * tuple. `safeEmit` shields the SDK from app listeners: a listener that throws
 * is logged and the remaining listeners still run.
 */
export class EnhancedEventEmitter<E extends Events = Events> extends EventEmitter {
  constructor() {
    super();
    // Apps attach many listeners to one Transport (one per producer...).
    this.setMaxListeners(Number.POSITIVE_INFINITY);
  }

  /** Drops every listener, so a closed object no longer holds app closures. */
  close(): void {
    super.removeAllListeners();
  }

  override emit<K extends keyof E & string>(eventName: K, ...args: E[K]): boolean {
    return super.emit(eventName, ...args);
  }

  /**
   * Like `emit`, but an exception thrown by a listener is logged instead of
   * propagating into the SDK, and later listeners still run.
   */
  safeEmit<K extends keyof E & string>(eventName: K, ...args: E[K]): boolean {
    const listeners = super.rawListeners(eventName);
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
        logger.error('safeEmitAsPromise() | errback called for "%s": %o', eventName, error);
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

  override on<K extends keyof E & string>(eventName: K, listener: (...args: E[K]) => void): this {
    return super.on(eventName, listener as Listener);
  }

  override off<K extends keyof E & string>(eventName: K, listener: (...args: E[K]) => void): this {
    return super.off(eventName, listener as Listener);
  }

  override addListener<K extends keyof E & string>(
    eventName: K,
    listener: (...args: E[K]) => void,
  ): this {
    return super.addListener(eventName, listener as Listener);
  }

  override prependListener<K extends keyof E & string>(
    eventName: K,
    listener: (...args: E[K]) => void,
  ): this {
    return super.prependListener(eventName, listener as Listener);
  }

  override once<K extends keyof E & string>(eventName: K, listener: (...args: E[K]) => void): this {
    return super.once(eventName, listener as Listener);
  }

  override prependOnceListener<K extends keyof E & string>(
    eventName: K,
    listener: (...args: E[K]) => void,
  ): this {
    return super.prependOnceListener(eventName, listener as Listener);
  }

  override removeListener<K extends keyof E & string>(
    eventName: K,
    listener: (...args: E[K]) => void,
  ): this {
    return super.removeListener(eventName, listener as Listener);
  }

  override removeAllListeners<K extends keyof E & string>(eventName?: K): this {
    return eventName === undefined
      ? super.removeAllListeners()
      : super.removeAllListeners(eventName);
  }

  override listenerCount<K extends keyof E & string>(eventName: K): number {
    return super.listenerCount(eventName);
  }

  override listeners<K extends keyof E & string>(eventName: K): Listener[] {
    return super.listeners(eventName);
  }

  override rawListeners<K extends keyof E & string>(eventName: K): Listener[] {
    return super.rawListeners(eventName);
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
