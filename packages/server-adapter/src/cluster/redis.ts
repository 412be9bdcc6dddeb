import { Redis } from 'ioredis';
import { createLogger } from '../logger.js';

const log = createLogger('cluster:redis');

/**
 * A command connection for the cluster. It fails fast while Redis is away
 * (no offline queue: a heartbeat from the past is worse than none) and
 * retries the connection every quarter second at most, so that all nodes
 * come back within the registry's grace period after a Redis restart.
 */
/** `url`: `redis://[:password@]host:port[/db]`, or `rediss://` for TLS. */
export async function connectRedis(url: string): Promise<Redis> {
  const options = {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (times: number) => Math.min(50 * times, 250),
  };
  const redis = new Redis(url, options);
  redis.on('error', (error: Error) => log.debug('redis: %s', error.message));
  await redis.connect();
  return redis;
}
