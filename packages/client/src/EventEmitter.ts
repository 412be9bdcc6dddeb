// biome-ignore lint/suspicious/noExplicitAny: event maps declare their own tuples; `any[]` lets any tuple satisfy the bound.
export type Events = Record<string, any[]>;
// biome-ignore lint/suspicious/noExplicitAny: listeners of an untyped event take anything.
export type Listener = (...args: any[]) => void;

/** What `once()` registers: a self-removing wrapper that remembers the app's listener. */
type Registered = Listener & { listener?: Listener };

/**
 * Node's EventEmitter API (the `events` package mediasoup-client's emitters
 * extend), typed by an event map, in the SDK's own few lines: the `events`
 * package is six times bigger because it also carries max-listener warnings,
 * `newListener` / `removeListener` meta-events and domain support, which the
 * SDK does not use (see the README's dependencies section). Listeners run in
 * registration order on a snapshot, so adding or removing during an emit
 * takes effect from the next one; emitting `error` with no listener throws it.
 */
export class EventEmitter<E extends Events = Events> {
  private readonly _listeners = new Map<string, Registered[]>();
  private _maxListeners = 10;

  emit<K extends keyof E & string>(eventName: K, ...args: E[K]): boolean {
    const listeners = this._listeners.get(eventName);
    if (!listeners) {
      if (eventName === 'error') {
        throw args[0] instanceof Error ? args[0] : new Error(`unhandled "error" event: ${args[0]}`);
      }
      return false;
    }
    for (const listener of [...listeners]) listener.apply(this, args);
    return true;
  }

  on<K extends keyof E & string>(eventName: K, listener: (...args: E[K]) => void): this {
    return this.add(eventName, listener, false);
  }

  addListener<K extends keyof E & string>(eventName: K, listener: (...args: E[K]) => void): this {
    return this.add(eventName, listener, false);
  }

  prependListener<K extends keyof E & string>(
    eventName: K,
    listener: (...args: E[K]) => void,
  ): this {
    return this.add(eventName, listener, true);
  }

  once<K extends keyof E & string>(eventName: K, listener: (...args: E[K]) => void): this {
    return this.add(eventName, this.onceWrapper(eventName, listener), false);
  }

  prependOnceListener<K extends keyof E & string>(
    eventName: K,
    listener: (...args: E[K]) => void,
  ): this {
    return this.add(eventName, this.onceWrapper(eventName, listener), true);
  }

  /** Removes the most recently added registration of `listener` (plain or once). */
  removeListener<K extends keyof E & string>(
    eventName: K,
    listener: (...args: E[K]) => void,
  ): this {
    const listeners = this._listeners.get(eventName);
    if (!listeners) return this;
    // Not findLastIndex(): the Chrome74 handler's browsers predate it.
    for (let i = listeners.length - 1; i >= 0; i--) {
      if (listeners[i] === listener || listeners[i]!.listener === listener) {
        listeners.splice(i, 1);
        break;
      }
    }
    if (listeners.length === 0) this._listeners.delete(eventName);
    return this;
  }

  off<K extends keyof E & string>(eventName: K, listener: (...args: E[K]) => void): this {
    return this.removeListener(eventName, listener);
  }

  removeAllListeners<K extends keyof E & string>(eventName?: K): this {
    if (eventName === undefined) this._listeners.clear();
    else this._listeners.delete(eventName);
    return this;
  }

  listenerCount<K extends keyof E & string>(eventName: K): number {
    return this._listeners.get(eventName)?.length ?? 0;
  }

  /** The app's listeners (once wrappers unwrapped), in order. */
  listeners<K extends keyof E & string>(eventName: K): Listener[] {
    return this.rawListeners(eventName).map((l) => l.listener ?? l);
  }

  /** The registrations themselves: calling a once wrapper removes it. */
  rawListeners<K extends keyof E & string>(eventName: K): Registered[] {
    return [...(this._listeners.get(eventName) ?? [])];
  }

  eventNames(): string[] {
    return [...this._listeners.keys()];
  }

  /** Kept for API compatibility: this emitter never warns about listener counts. */
  setMaxListeners(n: number): this {
    this._maxListeners = n;
    return this;
  }

  getMaxListeners(): number {
    return this._maxListeners;
  }

  private add(eventName: string, listener: Registered, prepend: boolean): this {
    if (typeof listener !== 'function') {
      throw new TypeError(`the listener of "${eventName}" must be a function`);
    }
    const listeners = this._listeners.get(eventName) ?? [];
    this._listeners.set(eventName, listeners);
    if (prepend) listeners.unshift(listener);
    else listeners.push(listener);
    return this;
  }

  private onceWrapper(eventName: string, listener: Listener): Registered {
    const wrapper: Registered = (...args) => {
      this.removeListener(eventName as keyof E & string, wrapper);
      listener.apply(this, args);
    };
    wrapper.listener = listener;
    return wrapper;
  }
}
