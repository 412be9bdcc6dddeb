// `events-alias` is the npm `events` package (Node's EventEmitter for browsers)
// installed under another name so bundlers never swap in Node's built-in.
// Its own typings live in @types/events, which TypeScript cannot find under
// the alias, so this declares the part we use.
declare module 'events-alias' {
  // biome-ignore lint/suspicious/noExplicitAny: listeners of an untyped emitter take anything.
  export type Listener = (...args: any[]) => void;

  class EventEmitter {
    setMaxListeners(n: number): this;
    getMaxListeners(): number;
    eventNames(): Array<string | symbol>;
    emit(type: string, ...args: unknown[]): boolean;
    addListener(type: string, listener: Listener): this;
    on(type: string, listener: Listener): this;
    once(type: string, listener: Listener): this;
    prependListener(type: string, listener: Listener): this;
    prependOnceListener(type: string, listener: Listener): this;
    removeListener(type: string, listener: Listener): this;
    off(type: string, listener: Listener): this;
    removeAllListeners(type?: string): this;
    listeners(type: string): Listener[];
    rawListeners(type: string): Listener[];
    listenerCount(type: string): number;
  }

  // The package's module.exports IS the class (CommonJS), hence a default export.
  export default EventEmitter;
}
