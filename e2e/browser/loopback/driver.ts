// Calls into the loopback page the same way from Playwright (Chromium) and
// puppeteer (Firefox), and reads the server's state over HTTP.
import type { LoopbackApi } from './api.js';
import type { RoomState } from './serverState.js';

type Method = keyof LoopbackApi;
type Args<M extends Method> = Parameters<LoopbackApi[M]>;
type Result<M extends Method> = Awaited<ReturnType<LoopbackApi[M]>>;

export interface LoopbackDriver {
  call<M extends Method>(method: M, ...args: Args<M>): Promise<Result<M>>;
  /** The server's view of `room`. */
  state(room: string): Promise<RoomState>;
}

/** Runs in the page: `window.loopback[method](...args)`. */
type Evaluate = (method: Method, args: unknown[]) => Promise<unknown>;

function invoke([method, args]: [Method, unknown[]]): unknown {
  const fn = window.loopback[method] as (...a: unknown[]) => unknown;
  return fn(...args);
}

export function loopbackDriver(serverUrl: string, evaluate: Evaluate): LoopbackDriver {
  return {
    async call<M extends Method>(method: M, ...args: Args<M>): Promise<Result<M>> {
      return (await evaluate(method, args)) as Result<M>;
    },
    async state(room) {
      const response = await fetch(new URL(`state?room=${encodeURIComponent(room)}`, serverUrl));
      if (!response.ok) throw new Error(`GET /state?room=${room}: ${response.status}`);
      return (await response.json()) as RoomState;
    },
  };
}

/** Playwright's and puppeteer's `page.evaluate` both take a function and one argument. */
export interface EvaluatingPage {
  evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
}

export function pageDriver(serverUrl: string, page: EvaluatingPage): LoopbackDriver {
  return loopbackDriver(serverUrl, (method, args) =>
    page.evaluate(invoke, [method, args] as [Method, unknown[]]),
  );
}
