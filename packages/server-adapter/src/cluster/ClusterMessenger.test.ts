import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Redis } from 'ioredis';
import * as v from 'valibot';
import { RedisServer } from '../test/redisServer.js';
import { waitFor } from '../test/TestClient.js';
import { RedisBus } from './Bus.js';
import { ClusterMessenger, type DropReason, MAX_BUS_MESSAGE_BYTES } from './ClusterMessenger.js';
import { clusterKeys } from './keys.js';
import { connectRedis } from './redis.js';

const keys = clusterKeys('bustest');
const Hello = v.strictObject({ n: v.pipe(v.number(), v.integer()) });

describe('ClusterMessenger over Redis pub/sub (real Redis)', () => {
  let redis: RedisServer;
  const connections: Redis[] = [];
  const buses: RedisBus[] = [];
  const live = new Set(['a', 'b']);
  const epochs = new Map([['room1', 5]]);

  before(async () => {
    redis = await RedisServer.start();
  });
  after(async () => {
    for (const bus of buses) bus.close();
    for (const c of connections) c.disconnect();
    await redis.stop();
  });

  async function messenger(nodeId: string): Promise<{ messenger: ClusterMessenger; redis: Redis }> {
    const connection = await connectRedis(redis.url);
    connections.push(connection);
    const bus = new RedisBus(connection);
    buses.push(bus);
    const m = new ClusterMessenger({
      bus,
      keys,
      nodeId,
      isAlive: (id) => live.has(id),
      epochOf: (roomId) => epochs.get(roomId),
    });
    await m.start();
    return { messenger: m, redis: connection };
  }

  it('delivers typed messages between nodes in order, to a node and to a room', async () => {
    const a = await messenger('a');
    const b = await messenger('b');
    const got: number[] = [];
    b.messenger.handle('hello', { schema: Hello, handle: (body) => got.push(body.n) });
    for (let n = 0; n < 100; n++) await a.messenger.toNode('b', 'hello', { n });
    await waitFor(() => got.length === 100, '100 messages');
    assert.deepEqual(
      got,
      Array.from({ length: 100 }, (_, n) => n),
    );

    const inRoom: number[] = [];
    b.messenger.handle('roomHello', { schema: Hello, handle: (body) => inRoom.push(body.n) });
    await b.messenger.joinRoom('room1');
    await a.messenger.toRoom('room1', 'roomHello', { n: 7 }, 5);
    await waitFor(() => inRoom.length === 1, 'the room message');
    await assert.rejects(
      a.messenger.toNode('b', 'hello', { pad: 'x'.repeat(MAX_BUS_MESSAGE_BYTES) }),
      RangeError,
    );
  });

  it('drops bad input from the bus with a reason, and no handler runs', async () => {
    const c = await messenger('c');
    live.add('c');
    const handled: unknown[] = [];
    c.messenger.handle('hello', { schema: Hello, handle: (body) => handled.push(body) });
    const drops: DropReason[] = [];
    c.messenger.on('dropped', (reason) => drops.push(reason));
    const channel = keys.nodeChannel('c');
    const envelope = (patch: object) =>
      JSON.stringify({ v: 1, from: 'a', type: 'hello', body: { n: 1 }, ...patch });
    const raw = [
      '{not json',
      JSON.stringify({ v: 2, from: 'a', type: 'hello', body: { n: 1 } }),
      envelope({ from: 'mallory' }),
      envelope({ from: '../etc' }),
      envelope({ type: 'noSuchType' }),
      envelope({ roomId: 'room1', epoch: 3 }),
      envelope({ body: { n: 'one' } }),
      envelope({ body: { n: 1, extra: true } }),
      envelope({ admin: true }),
      'x'.repeat(MAX_BUS_MESSAGE_BYTES + 1),
    ];
    for (const payload of raw) await c.redis.publish(channel, payload);
    await c.redis.publish(channel, envelope({ roomId: 'room1', epoch: 5 }));
    await waitFor(() => handled.length === 1, 'the one good message');
    assert.deepEqual(handled, [{ n: 1 }]);
    assert.deepEqual(drops, [
      'malformed',
      'malformed',
      'unknown node',
      'malformed',
      'unknown type',
      'stale epoch',
      'bad body',
      'bad body',
      'malformed',
      'too large',
    ]);
  });

  it('a throwing handler does not stop the next message', async () => {
    const d = await messenger('d');
    live.add('d');
    const got: number[] = [];
    d.messenger.handle('hello', {
      schema: Hello,
      handle: (body) => {
        got.push(body.n);
        if (body.n === 0) throw new Error('boom');
      },
    });
    const a = connections[0]!;
    for (const n of [0, 1])
      await a.publish(
        keys.nodeChannel('d'),
        JSON.stringify({ v: 1, from: 'a', type: 'hello', body: { n } }),
      );
    await waitFor(() => got.length === 2, 'both messages');
  });
});
