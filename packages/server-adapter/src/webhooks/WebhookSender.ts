import { randomUUID } from 'node:crypto';
import { createLogger } from '../logger.js';
import { SIGNATURE_HEADER, signWebhook } from './signature.js';

const log = createLogger('webhooks:WebhookSender');

/** What a receiver gets as the JSON body. `id` is the same on every retry: dedupe on it. */
export interface WebhookDelivery<T = unknown> {
  id: string;
  type: string;
  /** ms since the epoch when the event happened. */
  createdAt: number;
  data: T;
}

export interface WebhookSenderOptions {
  url: string;
  secret: string;
  /** Events queued (the one in flight included); past it the oldest waiting is dropped. Default 1000. */
  maxQueue?: number;
  /** Tries per event, the first included. Default 6. */
  maxAttempts?: number;
  /** First retry delay; doubles each time, with jitter. Default 500 ms. */
  backoffMs?: number;
  /** Longest retry delay. Default 30 s. */
  maxBackoffMs?: number;
  /** Per try. Default 5 s. */
  timeoutMs?: number;
}

export interface WebhookStats {
  delivered: number;
  /** Gave up: attempts exhausted, or the receiver refused (4xx other than 408 / 429). */
  failed: number;
  /** Dropped from a full queue. */
  dropped: number;
  retries: number;
  queued: number;
}

/**
 * Delivers signed events to one URL, in order, one at a time: a failing
 * receiver is retried with exponential backoff (network errors, 5xx, 408,
 * 429) while later events wait in a bounded queue.
 */
export class WebhookSender {
  readonly #options: Required<WebhookSenderOptions>;
  readonly #queue: WebhookDelivery[] = [];
  readonly #stats = { delivered: 0, failed: 0, dropped: 0, retries: 0 };
  #running = false;
  #closed = false;
  #wake: (() => void) | undefined;
  #idle: (() => void)[] = [];

  constructor(options: WebhookSenderOptions) {
    new URL(options.url); // throws TypeError on a bad URL, at startup
    if (!options.secret) throw new TypeError('a webhook secret is required to sign deliveries');
    this.#options = {
      maxQueue: 1000,
      maxAttempts: 6,
      backoffMs: 500,
      maxBackoffMs: 30_000,
      timeoutMs: 5_000,
      ...options,
    };
  }

  get stats(): WebhookStats {
    return { ...this.#stats, queued: this.#queue.length };
  }

  /** Queues one event; false if the sender is closed. */
  send(type: string, data: unknown): boolean {
    if (this.#closed) return false;
    if (this.#queue.length >= this.#options.maxQueue) {
      // The oldest waiting one: the head may be in flight (or between retries).
      const [dropped] = this.#queue.splice(this.#running && this.#queue.length > 1 ? 1 : 0, 1);
      this.#stats.dropped++;
      log.warn(
        'queue full (%d): dropped %s %s',
        this.#options.maxQueue,
        dropped?.type,
        dropped?.id,
      );
    }
    this.#queue.push({ id: randomUUID(), type, createdAt: Date.now(), data });
    void this.#run();
    return true;
  }

  /** Resolves once the queue is empty (delivered, failed or dropped). */
  drained(): Promise<void> {
    if (!this.#running && this.#queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /** Stops: queued events are discarded, a retry wait ends at once. */
  close(): void {
    this.#closed = true;
    this.#stats.dropped += this.#queue.length;
    this.#queue.length = 0;
    this.#wake?.();
  }

  async #run(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    try {
      for (;;) {
        const delivery = this.#queue[0];
        if (!delivery || this.#closed) break;
        await this.#deliver(delivery);
        if (this.#queue[0] === delivery) this.#queue.shift();
      }
    } finally {
      this.#running = false;
      for (const resolve of this.#idle.splice(0)) resolve();
    }
  }

  async #deliver(delivery: WebhookDelivery): Promise<void> {
    const body = JSON.stringify(delivery);
    for (let attempt = 1; attempt <= this.#options.maxAttempts; attempt++) {
      if (this.#closed || this.#queue[0] !== delivery) return;
      const outcome = await this.#post(body);
      if (outcome === 'ok') {
        this.#stats.delivered++;
        return;
      }
      if (outcome === 'refused') break;
      if (attempt < this.#options.maxAttempts) {
        this.#stats.retries++;
        await this.#sleep(this.#delay(attempt));
      }
    }
    this.#stats.failed++;
    log.warn('gave up on %s %s', delivery.type, delivery.id);
  }

  /** One try; signed afresh so the timestamp is current even on a late retry. */
  async #post(body: string): Promise<'ok' | 'retry' | 'refused'> {
    try {
      const response = await fetch(this.#options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [SIGNATURE_HEADER]: signWebhook(this.#options.secret, body),
        },
        body,
        signal: AbortSignal.timeout(this.#options.timeoutMs),
      });
      await response.body?.cancel();
      if (response.ok) return 'ok';
      log.debug('receiver answered %d', response.status);
      const retriable =
        response.status >= 500 || response.status === 408 || response.status === 429;
      return retriable ? 'retry' : 'refused';
    } catch (error) {
      log.debug('delivery failed: %s', error);
      return 'retry';
    }
  }

  #delay(attempt: number): number {
    const base = Math.min(this.#options.maxBackoffMs, this.#options.backoffMs * 2 ** (attempt - 1));
    // Jitter: receivers coming back are not hit by every sender at once.
    return base * (0.5 + Math.random() / 2);
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    });
  }
}
