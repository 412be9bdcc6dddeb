import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { RedisServer } from '../test/redisServer.js';
import { clusterKeys } from './keys.js';
import { RoomDirectory } from './RoomDirectory.js';

// Real redis-server (scripts/setup.mjs installs it); nodes are Redis
// connections with a liveness key, as NodeRegistry writes it.
describe('RoomDirectory (real Redis)', () => {
  let redis: RedisServer;
  const connections: Redis[] = [];
  const keys = clusterKeys('dirtest');

  before(async () => {
    redis = await RedisServer.start();
  });
  after(async () => {
    for (const c of connections) c.disconnect();
    await redis.stop();
  });

  async function node(nodeId: string): Promise<{ redis: Redis; directory: RoomDirectory }> {
    const connection = new Redis(redis.url, { lazyConnect: true });
    connections.push(connection);
    await connection.connect();
    await connection.set(keys.node(nodeId), '{}', 'PX', 60_000);
    return { redis: connection, directory: new RoomDirectory(connection, keys, nodeId) };
  }

  it('1,000 concurrent first claims of one room from 3 nodes make exactly one origin', async () => {
    const nodes = await Promise.all(['a', 'b', 'c'].map((id) => node(id)));
    const claims = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => nodes[i % 3]!.directory.claim('webinar')),
    );
    const owners = new Set(claims.map((c) => c.owner));
    assert.equal(owners.size, 1, `owners: ${[...owners]}`);
    assert.equal(claims.filter((c) => c.claimed).length, 1);
    assert.ok(claims.every((c) => c.epoch === 1));
    const stored = await nodes[0]!.directory.owner('webinar');
    assert.deepEqual(stored, { owner: [...owners][0], epoch: 1 });
  });

  it('passes a dead owner’s room on with the next epoch, and refuses the stale owner’s writes', async () => {
    const a = await node('fa');
    const b = await node('fb');
    const first = await a.directory.claim('r1');
    assert.deepEqual(first, { owner: 'fa', epoch: 1, claimed: true });
    assert.equal((await b.directory.claim('r1')).owner, 'fa', 'a live owner keeps its room');
    assert.equal(await a.directory.fencedSet('r1', 1, 'state', 'by-a'), true);

    await a.redis.del(keys.node('fa')); // fa's heartbeat expired
    const second = await b.directory.claim('r1');
    assert.deepEqual(second, { owner: 'fb', epoch: 2, claimed: true });
    assert.equal(await a.directory.fencedSet('r1', 1, 'state', 'stale'), false);
    assert.equal(await a.directory.release('r1', 1), false, 'a stale owner cannot release');
    assert.equal(await b.directory.fencedSet('r1', 2, 'state', 'by-b'), true);
    assert.equal(await b.redis.hget(keys.room('r1'), 'state'), 'by-b');
    await assert.rejects(b.directory.fencedSet('r1', 2, 'epoch', '99'), TypeError);
  });

  it('refuses a claim from a node without a heartbeat', async () => {
    const ghost = await node('ghost');
    await ghost.redis.del(keys.node('ghost'));
    await assert.rejects(ghost.directory.claim('r2'), /NOT_REGISTERED/);
  });

  it('after release the next owner gets a higher epoch', async () => {
    const a = await node('ra');
    const b = await node('rb');
    const first = await a.directory.claim('r3');
    assert.equal(await a.directory.release('r3', first.epoch), true);
    const next = await b.directory.claim('r3');
    assert.deepEqual(next, { owner: 'rb', epoch: first.epoch + 1, claimed: true });
  });

  it('after Redis restarts empty, the owner restores its claim and the epoch never goes back', async () => {
    const a = await node('sa');
    const b = await node('sb');
    await a.directory.claim('r4');
    await a.redis.del(keys.node('sa'));
    const current = await b.directory.claim('r4'); // sb owns it at epoch 2
    await a.redis.set(keys.node('sa'), '{}', 'PX', 60_000);
    await redis.restart(); // no persistence: the directory is empty now
    await a.redis.ping(); // ioredis reconnects by itself
    await a.redis.set(keys.node('sa'), '{}', 'PX', 60_000);
    await b.redis.set(keys.node('sb'), '{}', 'PX', 60_000);
    assert.equal(await b.directory.restore('r4', current.epoch), true);
    assert.equal(await a.directory.restore('r4', 1), false, 'the stale owner cannot restore');
    assert.deepEqual(await a.directory.claim('r4'), { owner: 'sb', epoch: 2, claimed: false });
    // A restore never lowers the epoch, even into an entry that lost its owner.
    await b.directory.release('r4', current.epoch);
    assert.equal(await a.directory.restore('r4', 1), false);
  });

  it('tracks which nodes have peers of a room', async () => {
    const a = await node('pa');
    const b = await node('pb');
    await a.directory.setPresent('r5', true);
    await b.directory.setPresent('r5', true);
    assert.deepEqual((await a.directory.nodesOf('r5')).sort(), ['pa', 'pb']);
    await a.directory.setPresent('r5', false);
    assert.deepEqual(await b.directory.nodesOf('r5'), ['pb']);
  });
});
