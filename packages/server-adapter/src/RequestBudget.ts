import { parseMessage, type ServerEndpoint } from '@vroom/protocol';
import { rateLimited } from './errors.js';
import type { Limits } from './limits.js';
import { RateLimiter } from './RateLimiter.js';

/** What the budget decided about one incoming message. */
export type BudgetVerdict = 'passed' | 'refused' | 'flooding';

/**
 * One session's budget of client messages (`requestsPerSecond`,
 * `requestBurst`). A message within it reaches the endpoint; one past it is
 * refused with RATE_LIMITED under its request id, so the client's pending
 * call fails at once; past `floodDisconnectAfter` refusals in a row the peer
 * is flooding and the caller disconnects it. Reconnects (join, resume,
 * restartIce: what a reconnect storm repeats) have a budget of their own.
 */
export class RequestBudget {
  readonly #limits: Limits;
  readonly #limiter: RateLimiter;
  readonly #reconnects: RateLimiter;
  #refusedInARow = 0;

  constructor(limits: Limits) {
    this.#limits = limits;
    this.#limiter = new RateLimiter({
      perSecond: limits.requestsPerSecond,
      burst: limits.requestBurst,
    });
    this.#reconnects = new RateLimiter({
      perSecond: limits.reconnectsPerMinute / 60,
      burst: limits.reconnectBurst,
    });
  }

  /** Takes one join / resume / restartIce from the session's reconnect budget. */
  takeReconnect(): boolean {
    return this.#reconnects.take();
  }

  /** Passes `data` to `endpoint` within the budget; `reply` writes a refusal. */
  receive(
    endpoint: ServerEndpoint,
    data: string | ArrayBuffer | Uint8Array,
    reply: (text: string) => void,
  ): BudgetVerdict {
    if (this.#limiter.take()) {
      this.#refusedInARow = 0;
      const pending = endpoint.pendingCount;
      endpoint.receive(data);
      // Answers to our own requests (`newConsumer`) are not the client's
      // traffic: joining a busy room must not use up its request budget.
      if (endpoint.pendingCount < pending) this.#limiter.refund();
      return 'passed';
    }
    const parsed = parseMessage(data, this.#limits.maxMessageBytes);
    if (parsed.ok && parsed.message.kind === 'response') {
      if (endpoint.pendingCount > 0) endpoint.receive(data);
      return 'passed';
    }
    this.#refusedInARow++;
    if (this.#refusedInARow > this.#limits.floodDisconnectAfter) return 'flooding';
    if (parsed.ok && parsed.message.kind !== 'request') return 'refused';
    // Answer with the request id so the client's pending call fails at once.
    const id =
      parsed.ok && parsed.message.kind === 'request'
        ? parsed.message.id
        : parsed.ok
          ? null
          : parsed.id;
    try {
      reply(JSON.stringify({ id, ok: false, error: rateLimited().toPayload() }));
    } catch {
      // The connection is going away; its close event ends the peer.
    }
    return 'refused';
  }
}
