// The `events` package (Node's EventEmitter for every engine), imported under
// the `events-alias` name as mediasoup-client does, so bundlers never swap in
// Node's built-in `events` or a polyfill of their choice. Its CommonJS entry
// is the constructor itself, with `.EventEmitter` on it; the default import
// reads that in Node's ESM loader and in bundlers alike.
import events from 'events-alias';

// biome-ignore lint/suspicious/noExplicitAny: event maps declare their own tuples; `any[]` lets any tuple satisfy the bound.
export type Events = Record<string, any[]>;
// biome-ignore lint/suspicious/noExplicitAny: listeners of an untyped event take anything.
export type Listener = (...args: any[]) => void;

type Name<E extends Events> = keyof E & string;

/** Node's EventEmitter API, typed by an event map from event name to argument tuple. */
export interface EventEmitter<E extends Events = Events> {
  emit<K extends Name<E>>(eventName: K, ...args: E[K]): boolean;
  on<K extends Name<E>>(eventName: K, listener: (...args: E[K]) => void): this;
  addListener<K extends Name<E>>(eventName: K, listener: (...args: E[K]) => void): this;
  prependListener<K extends Name<E>>(eventName: K, listener: (...args: E[K]) => void): this;
  once<K extends Name<E>>(eventName: K, listener: (...args: E[K]) => void): this;
  prependOnceListener<K extends Name<E>>(eventName: K, listener: (...args: E[K]) => void): this;
  removeListener<K extends Name<E>>(eventName: K, listener: (...args: E[K]) => void): this;
  off<K extends Name<E>>(eventName: K, listener: (...args: E[K]) => void): this;
  removeAllListeners(eventName?: Name<E>): this;
  listenerCount(eventName: Name<E>): number;
  listeners(eventName: Name<E>): Listener[];
  rawListeners(eventName: Name<E>): Listener[];
}

// The interface above gives the inherited methods their typed signatures; the
// class adds no code of its own beyond lifting the listener-count warning.
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the interface only narrows the inherited methods' types.
// biome-ignore lint/correctness/noUnusedVariables: E is used by the merged interface, whose parameter names must match.
export class EventEmitter<E extends Events = Events> extends events.EventEmitter {
  constructor() {
    super();
    // A room's observers and transports legitimately carry many listeners.
    this.setMaxListeners(Number.POSITIVE_INFINITY);
  }
}
