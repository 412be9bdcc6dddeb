/** Where a page keeps its session token across a reload: `sessionStorage` or the like. */
export type SessionStore = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** The close code telling the server "this page may reload: hold my seat briefly". */
export const PAGE_HIDDEN_CLOSE_CODE = 4100;
/** A clean close: the server takes it as a leave at once (a page that closes says goodbye). */
export const LEAVE_CLOSE_CODE = 1000;

const KEY_PREFIX = 'vroom:session:';

/**
 * A page's presence in the room beyond one `RoomClient` (issue 15):
 * - when the page goes away (`pagehide`: closed, navigated, reloaded) it
 *   says so on the socket at once, so the others do not see a frozen ghost
 *   for the whole resume window;
 * - with `rememberSession`, the session token is kept in `sessionStorage`
 *   (per tab, survives a reload, not a closed tab) and the next page's join
 *   sends it as `resumeToken`: the server gives it the same seat and peer id.
 *   The page then closes with `PAGE_HIDDEN_CLOSE_CODE` (seat held a few
 *   seconds for the reload) instead of a plain leave.
 */
export class PageSession {
  readonly #store: SessionStore | undefined;
  readonly #key: string;

  constructor(option: boolean | { storage: SessionStore } | undefined, roomId: string) {
    this.#key = KEY_PREFIX + roomId;
    if (option === true) this.#store = browserSessionStorage();
    else if (option && typeof option === 'object') this.#store = option.storage;
  }

  /** Whether the token is kept for a reload (the option is on and there is storage). */
  get remembers(): boolean {
    return this.#store !== undefined;
  }

  /** The previous page's token for this room, if any. */
  token(): string | undefined {
    return this.#try(() => this.#store?.getItem(this.#key)) ?? undefined;
  }

  remember(token: string): void {
    this.#try(() => this.#store?.setItem(this.#key, token));
  }

  /** Left on purpose: the next page is a new peer. */
  forget(): void {
    this.#try(() => this.#store?.removeItem(this.#key));
  }

  /** The close code for this page's socket when the page goes away. */
  get closeCode(): number {
    return this.remembers ? PAGE_HIDDEN_CLOSE_CODE : LEAVE_CLOSE_CODE;
  }

  /** Calls `onHide` when the page goes away (browsers only); returns the unwatch. */
  watch(onHide: () => void): () => void {
    const target = globalThis as {
      addEventListener?: (type: string, listener: () => void) => void;
      removeEventListener?: (type: string, listener: () => void) => void;
      document?: unknown;
    };
    if (!target.document || typeof target.addEventListener !== 'function') return () => undefined;
    target.addEventListener('pagehide', onHide);
    return () => target.removeEventListener?.('pagehide', onHide);
  }

  /** Storage can throw (quota, disabled cookies, sandboxed frames): a reload is then a new join. */
  #try<T>(action: () => T): T | undefined {
    try {
      return action();
    } catch {
      return undefined;
    }
  }
}

function browserSessionStorage(): SessionStore | undefined {
  try {
    return (globalThis as { sessionStorage?: SessionStore }).sessionStorage;
  } catch {
    return undefined;
  }
}
