import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import * as v from 'valibot';
import { createLogger } from '../logger.js';
import type { ClusterKeys } from './keys.js';
import type { NodeInfo } from './types.js';

const log = createLogger('cluster:NodeRegistry');

export const NODE_ID = v.pipe(v.string(), v.regex(/^[A-Za-z0-9._-]{1,64}$/));

const NodeInfoSchema = v.object({
  nodeId: NODE_ID,
  url: v.pipe(v.string(), v.maxLength(512)),
  advertise: v.pipe(v.string(), v.maxLength(256)),
  peers: v.pipe(v.number(), v.integer(), v.minValue(0)),
  consumers: v.pipe(v.number(), v.integer(), v.minValue(0)),
  cpu: v.pipe(v.number(), v.minValue(0)),
  draining: v.boolean(),
});

export interface NodeRegistryOptions {
  redis: Redis;
  keys: ClusterKeys;
  self: () => NodeInfo;
  /** A node whose heartbeat is older than this is dead. */
  ttlMs: number;
}

export interface NodeRegistryEvents {
  nodeUp: [NodeInfo];
  nodeDown: [string];
}

/**
 * Node liveness in Redis: each node rewrites its own key with a TTL several
 * times per TTL, and watches the others' keys. A key that expired is a dead
 * node. While Redis is unreachable nobody is declared dead (Redis being down
 * says nothing about the nodes), and after it comes back every node gets
 * three TTLs to re-register before absences count again.
 */
export class NodeRegistry extends EventEmitter<NodeRegistryEvents> {
  readonly #options: NodeRegistryOptions;
  readonly #known = new Map<string, NodeInfo>();
  #timer: NodeJS.Timeout | undefined;
  #graceUntil = 0;
  #stopped = false;

  constructor(options: NodeRegistryOptions) {
    super();
    this.#options = options;
    options.redis.on('ready', this.#onRedisReady);
  }

  get nodeId(): string {
    return this.#options.self().nodeId;
  }

  /** The live nodes as last seen (this one included). */
  get nodes(): ReadonlyMap<string, NodeInfo> {
    return this.#known;
  }

  isAlive(nodeId: string): boolean {
    return this.#known.has(nodeId);
  }

  async start(): Promise<void> {
    await this.heartbeat();
    await this.refresh();
    this.#timer = setInterval(() => void this.#tick(), Math.max(50, this.#options.ttlMs / 4));
    this.#timer.unref();
  }

  /** Writes this node's key; throws if Redis cannot be reached. */
  async heartbeat(): Promise<void> {
    const { redis, keys, ttlMs } = this.#options;
    const info = this.#options.self();
    await redis
      .multi()
      .set(keys.node(info.nodeId), JSON.stringify(info), 'PX', ttlMs)
      .sadd(keys.nodes, info.nodeId)
      .exec();
  }

  /** Reads every registered node's key; expired ones leave the set. */
  async refresh(): Promise<void> {
    const { redis, keys } = this.#options;
    const ids = (await redis.smembers(keys.nodes)).filter((id) => v.is(NODE_ID, id));
    const values = ids.length > 0 ? await redis.mget(ids.map((id) => keys.node(id))) : [];
    const seen = new Map<string, NodeInfo>();
    const expired: string[] = [];
    ids.forEach((id, i) => {
      const info = parseNodeInfo(values[i] ?? null);
      if (info && info.nodeId === id) seen.set(id, info);
      else expired.push(id);
    });
    if (expired.length > 0) await redis.srem(keys.nodes, ...expired);
    this.#apply(seen);
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    clearInterval(this.#timer);
    this.#options.redis.off('ready', this.#onRedisReady);
    const { redis, keys } = this.#options;
    const id = this.nodeId;
    try {
      await redis.multi().del(keys.node(id)).srem(keys.nodes, id).exec();
    } catch (error) {
      // Redis is gone: the key expires by itself.
      log.debug('could not deregister %s: %s', id, error);
    }
  }

  #apply(seen: Map<string, NodeInfo>): void {
    const graceful = Date.now() < this.#graceUntil;
    for (const [id, info] of seen) {
      const before = this.#known.get(id);
      this.#known.set(id, info);
      if (!before) this.emit('nodeUp', info);
    }
    for (const id of [...this.#known.keys()]) {
      if (seen.has(id) || id === this.nodeId) continue;
      // Right after Redis came back, absent nodes may just not have re-registered.
      if (graceful) continue;
      this.#known.delete(id);
      log.debug('node %s is gone (its heartbeat expired)', id);
      this.emit('nodeDown', id);
    }
  }

  async #tick(): Promise<void> {
    try {
      await this.heartbeat();
      await this.refresh();
    } catch (error) {
      log.debug('heartbeat failed (Redis unreachable?): %s', error);
    }
  }

  readonly #onRedisReady = (): void => {
    if (this.#stopped) return;
    // Three TTLs: the other nodes reconnect on their own schedule (see redis.ts).
    this.#graceUntil = Date.now() + 3 * this.#options.ttlMs;
    void this.#tick();
  };
}

function parseNodeInfo(text: string | null): NodeInfo | undefined {
  if (text === null || text.length > 4096) return undefined;
  try {
    const parsed = v.safeParse(NodeInfoSchema, JSON.parse(text));
    return parsed.success ? parsed.output : undefined;
  } catch {
    return undefined;
  }
}
