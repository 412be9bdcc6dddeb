import type { Redis } from 'ioredis';
import type { ClusterKeys } from './keys.js';

/** Who owns a room's origin, and since which claim. */
export interface RoomOwnership {
  owner: string;
  /** Grows by one with every new owner: a write that carries an older one is refused. */
  epoch: number;
  /** This call made the caller the owner. */
  claimed: boolean;
}

// KEYS[1] the room's hash. ARGV: claimer, node key prefix.
// The claim keeps a live owner, and otherwise passes the room to the claimer
// with the next epoch, in one atomic step: two nodes can never both win.
const CLAIM = `
if redis.call('EXISTS', ARGV[2] .. ARGV[1]) == 0 then
  return redis.error_reply('NOT_REGISTERED claimer has no live heartbeat')
end
local owner = redis.call('HGET', KEYS[1], 'owner')
if owner and redis.call('EXISTS', ARGV[2] .. owner) == 1 then
  return {owner, tonumber(redis.call('HGET', KEYS[1], 'epoch')), 0}
end
local epoch = redis.call('HINCRBY', KEYS[1], 'epoch', 1)
redis.call('HSET', KEYS[1], 'owner', ARGV[1])
return {ARGV[1], epoch, 1}
`;

// After Redis lost its data: an owner puts its claim back, unless another
// node claimed the room meanwhile. The epoch never goes backwards.
// KEYS[1] the room's hash. ARGV: owner, epoch.
const RESTORE = `
local owner = redis.call('HGET', KEYS[1], 'owner')
local epoch = tonumber(redis.call('HGET', KEYS[1], 'epoch') or '0')
if owner and owner ~= ARGV[1] then return 0 end
if epoch > tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'epoch', ARGV[2])
return 1
`;

// A write in the owner's name: refused unless the epoch is the current one.
// KEYS[1] the room's hash. ARGV: epoch, field, value.
const FENCED_SET = `
if redis.call('HGET', KEYS[1], 'epoch') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
return 1
`;

// The owner gives the room up (its last peer left). The epoch stays, so the
// next owner's is higher. KEYS[1] the room's hash. ARGV: owner, epoch.
const RELEASE = `
if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then return 0 end
if redis.call('HGET', KEYS[1], 'epoch') ~= ARGV[2] then return 0 end
redis.call('HDEL', KEYS[1], 'owner')
return 1
`;

/** Fields an owner may write with `fencedSet`; the rest belong to the scripts. */
const RESERVED_FIELDS = new Set(['owner', 'epoch']);

/**
 * The room directory: which node owns each room's origin. Ownership is
 * claimed atomically in Redis with a fencing epoch; the node registry's
 * liveness keys decide whether an owner still counts.
 */
export class RoomDirectory {
  readonly #redis: Redis;
  readonly #keys: ClusterKeys;
  readonly #nodeId: string;

  constructor(redis: Redis, keys: ClusterKeys, nodeId: string) {
    this.#redis = redis;
    this.#keys = keys;
    this.#nodeId = nodeId;
  }

  /** Becomes the owner of `roomId` unless a live node already is. */
  async claim(roomId: string): Promise<RoomOwnership> {
    const reply = (await this.#redis.eval(
      CLAIM,
      1,
      this.#keys.room(roomId),
      this.#nodeId,
      this.#keys.nodePrefix,
    )) as [string, number, number];
    return { owner: reply[0], epoch: Number(reply[1]), claimed: reply[2] === 1 };
  }

  async owner(roomId: string): Promise<{ owner: string | undefined; epoch: number }> {
    const [owner, epoch] = await this.#redis.hmget(this.#keys.room(roomId), 'owner', 'epoch');
    return { owner: owner ?? undefined, epoch: Number(epoch ?? 0) };
  }

  /** Puts this node's claim back after Redis restarted empty; false if someone else owns it. */
  async restore(roomId: string, epoch: number): Promise<boolean> {
    return (await this.#redis.eval(RESTORE, 1, this.#keys.room(roomId), this.#nodeId, epoch)) === 1;
  }

  /** Writes a room field as its owner at `epoch`; false (nothing written) if the epoch is stale. */
  async fencedSet(roomId: string, epoch: number, field: string, value: string): Promise<boolean> {
    if (RESERVED_FIELDS.has(field)) throw new TypeError(`room field "${field}" is not writable`);
    return (
      (await this.#redis.eval(FENCED_SET, 1, this.#keys.room(roomId), epoch, field, value)) === 1
    );
  }

  async release(roomId: string, epoch: number): Promise<boolean> {
    return (await this.#redis.eval(RELEASE, 1, this.#keys.room(roomId), this.#nodeId, epoch)) === 1;
  }

  /** Marks this node as having peers of the room (or not any more). */
  async setPresent(roomId: string, present: boolean): Promise<void> {
    const key = this.#keys.roomNodes(roomId);
    if (present) await this.#redis.sadd(key, this.#nodeId);
    else await this.#redis.srem(key, this.#nodeId);
  }

  /** Nodes that have peers of the room. */
  async nodesOf(roomId: string): Promise<string[]> {
    return this.#redis.smembers(this.#keys.roomNodes(roomId));
  }
}
