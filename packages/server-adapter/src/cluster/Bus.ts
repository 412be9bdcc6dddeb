import type { Redis } from 'ioredis';
import { createLogger } from '../logger.js';

const log = createLogger('cluster:Bus');

/**
 * How nodes talk: fire-and-forget messages on named channels, in order per
 * sender and channel. Redis pub/sub implements it below; anything with the
 * same guarantees (NATS subjects, Redis streams) can replace it.
 */
export interface Bus {
  publish(channel: string, payload: string): Promise<void>;
  subscribe(channel: string, onMessage: (payload: string) => void): Promise<void>;
  unsubscribe(channel: string): Promise<void>;
  close(): void;
}

/**
 * Redis pub/sub. Subscribing needs a connection of its own; ioredis
 * resubscribes by itself after a reconnect. Messages published while a
 * node is disconnected are lost, so the cluster resyncs its state (not its
 * messages) after a reconnect.
 */
export class RedisBus implements Bus {
  readonly #publisher: Redis;
  readonly #subscriber: Redis;
  readonly #handlers = new Map<string, (payload: string) => void>();

  constructor(redis: Redis) {
    this.#publisher = redis;
    // Subscriptions may queue while it connects (the command connection must not).
    this.#subscriber = redis.duplicate({ lazyConnect: false, enableOfflineQueue: true });
    this.#subscriber.on('error', (error: Error) => log.debug('subscriber: %s', error.message));
    this.#subscriber.on('message', (channel: string, payload: string) => {
      this.#handlers.get(channel)?.(payload);
    });
  }

  async publish(channel: string, payload: string): Promise<void> {
    await this.#publisher.publish(channel, payload);
  }

  async subscribe(channel: string, onMessage: (payload: string) => void): Promise<void> {
    this.#handlers.set(channel, onMessage);
    await this.#subscriber.subscribe(channel);
  }

  async unsubscribe(channel: string): Promise<void> {
    this.#handlers.delete(channel);
    await this.#subscriber.unsubscribe(channel);
  }

  close(): void {
    this.#handlers.clear();
    this.#subscriber.disconnect();
  }
}
