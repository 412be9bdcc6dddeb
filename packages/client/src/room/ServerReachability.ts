import { Logger } from '../Logger.js';
import type { Clock } from './Clock.js';
import { CLIENT_TIMING } from './timing.js';
import { isWebSocketUrl } from './WebSocketChannel.js';

const logger = new Logger('room:ServerReachability');

/** An HTTP check that has no answer within this is "unreachable". */
export const REACHABILITY_TIMEOUT_MS = CLIENT_TIMING.reachabilityTimeoutMs;

type Fetch = (url: string, init: RequestInit) => Promise<unknown>;

/**
 * Checks over plain HTTP whether the signaling server can be reached, so a
 * reconnect loop need not find out by failing WebSockets. Browsers hold
 * back new WebSockets after failed ones: Chromium delays every new one of a
 * page by 1-5 s once its failures outnumber its successes about 16 to 1,
 * Firefox waits 1.5 times longer after each failure to the same host (RFC
 * 6455 7.2.3). Through an outage that delay piles up and lands on the one
 * attempt that matters, the first after the network is back. HTTP requests
 * carry no such penalty.
 *
 * The check is a HEAD of the root of the WebSocket's origin, as http(s),
 * opaque (`no-cors`, no cookies): any answer, even a 404, means reachable.
 * The root rather than the WebSocket's path because a web server usually
 * answers there (the page itself, when it serves it), so the check leaves
 * no "failed to load" line in the console. It is used only after it has
 * worked once with the server up (`verify()`), since a server may not
 * answer plain HTTP at all or a page's CSP may forbid the request.
 */
export class ServerReachability {
  readonly #url: string;
  readonly #fetch: Fetch;
  readonly #clock: Clock;
  /** The check worked once while the server was up: its "no" can be trusted. */
  #usable = false;
  /** The last attempt could not even open its channel: check before the next. */
  #lastOpenFailed = false;

  constructor(wsUrl: string, fetchImpl: Fetch, clock: Clock) {
    this.#url = new URL('/', wsUrl.replace(/^ws/i, 'http')).href;
    this.#fetch = fetchImpl;
    this.#clock = clock;
  }

  /** For a valid `ws(s)://` URL where `fetch` exists; otherwise undefined (nothing to check with). */
  static forUrl(wsUrl: string | undefined, clock: Clock): ServerReachability | undefined {
    const fetchImpl = (globalThis as { fetch?: Fetch }).fetch;
    if (wsUrl === undefined || typeof fetchImpl !== 'function') return undefined;
    if (!isWebSocketUrl(wsUrl)) return undefined;
    return new ServerReachability(wsUrl, fetchImpl.bind(globalThis), clock);
  }

  /** Right after a join: learns whether the check works with this server. */
  async verify(): Promise<void> {
    this.#usable = await this.check();
    logger.debug('HTTP check of %s %s', this.#url, this.#usable ? 'works' : 'does not work');
  }

  /** Resolves true on any HTTP answer; false on a network error, timeout or abort. */
  async check(signal?: AbortSignal): Promise<boolean> {
    if (signal?.aborted) return false;
    const controller = new AbortController();
    const abort = () => controller.abort();
    signal?.addEventListener('abort', abort, { once: true });
    const timer = this.#clock.setTimeout(abort, REACHABILITY_TIMEOUT_MS);
    try {
      await this.#fetch(this.#url, {
        method: 'HEAD',
        mode: 'no-cors',
        cache: 'no-store',
        credentials: 'omit',
        signal: controller.signal,
      });
      return true;
    } catch {
      return false;
    } finally {
      this.#clock.clearTimeout(timer);
      signal?.removeEventListener('abort', abort);
    }
  }

  /**
   * Before a reconnect attempt: when the last one could not open its
   * channel, throws unless the server answers HTTP now. The attempt then
   * fails without a WebSocket and the loop waits as for any failure.
   */
  async beforeAttempt(signal: AbortSignal): Promise<void> {
    if (!this.#usable || !this.#lastOpenFailed) return;
    if (!(await this.check(signal))) {
      throw new Error(`the server does not answer at ${this.#url} (HTTP check): not reachable yet`);
    }
  }

  /** After each attempt: whether it got as far as an open channel. */
  afterAttempt(openFailed: boolean): void {
    this.#lastOpenFailed = openFailed;
  }
}
