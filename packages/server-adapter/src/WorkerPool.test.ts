import assert from 'node:assert/strict';
import os from 'node:os';
import { describe, it } from 'node:test';
import { createSfuServer } from './index.js';
import { opusParameters } from './test/fixtures.js';
import { liveObjects, NOTHING } from './test/liveObjects.js';
import { joinWithMedia } from './test/rooms.js';
import { FAST_SESSIONS } from './test/sessions.js';
import { waitFor } from './test/TestClient.js';
import { WorkerPool } from './WorkerPool.js';

describe('WorkerPool', () => {
  it('starts one worker per core by default', async () => {
    const pool = await WorkerPool.create({ settings: { logLevel: 'none' } });
    try {
      assert.equal(pool.workers.length, os.availableParallelism());
      assert.ok(pool.workers.every((w) => !w.closed));
    } finally {
      pool.close();
    }
  });

  it('refuses a nonsensical size', async () => {
    await assert.rejects(WorkerPool.create({ size: 0 }), TypeError);
  });

  it('puts each new room on the least-loaded worker', async () => {
    const server = await createSfuServer({
      workers: 2,
      workerSettings: { logLevel: 'none' },
      session: FAST_SESSIONS,
    });
    try {
      await joinWithMedia(server, 'one');
      await joinWithMedia(server, 'one');
      await joinWithMedia(server, 'two');
      await joinWithMedia(server, 'three');
      const workerOf = (id: string) => server.room(id)?.worker;
      assert.notEqual(workerOf('one'), workerOf('two'), 'the second room avoids the busy worker');
      // 'one' has two peers on its worker, 'two' one: the third room joins 'two'.
      assert.equal(workerOf('three'), workerOf('two'));
    } finally {
      server.close();
    }
  });
});

describe('a worker that dies', () => {
  it('is replaced; its rooms close with workerDied, other rooms keep working', async () => {
    const server = await createSfuServer({
      workers: 2,
      workerSettings: { logLevel: 'none' },
      session: FAST_SESSIONS,
    });
    try {
      const alice = await joinWithMedia(server, 'doomed');
      const bob = await joinWithMedia(server, 'doomed');
      await alice.client.request('produce', {
        transportId: alice.sendTransportId,
        kind: 'audio',
        rtpParameters: opusParameters(),
      });
      await waitFor(() => bob.client.consumers[0], 'newConsumer');
      const carol = await joinWithMedia(server, 'survivor');
      const doomed = server.room('doomed')?.worker;
      const survivor = server.room('survivor')?.worker;
      assert.ok(doomed && survivor && doomed !== survivor, 'the rooms are on different workers');

      process.kill(doomed.pid, 'SIGKILL');

      for (const { client } of [alice, bob]) {
        const closed = await waitFor(() => client.received('roomClosed')[0], 'roomClosed');
        assert.equal(closed.reason, 'workerDied');
        // The room says it all: no close per transport, producer or consumer first.
        for (const method of ['transportClosed', 'producerClosed', 'consumerClosed'] as const) {
          assert.deepEqual(client.received(method), [], method);
        }
      }
      assert.equal(server.room('doomed'), undefined);
      await waitFor(
        () => server.pool.workers.length === 2 && server.pool.workers.every((w) => !w.closed),
        'a replacement worker',
      );
      assert.ok(!server.pool.workers.includes(doomed));

      // The other room never noticed.
      assert.equal(carol.client.received('roomClosed').length, 0);
      await carol.client.request('produce', {
        transportId: carol.sendTransportId,
        kind: 'audio',
        rtpParameters: opusParameters(),
      });
      // The same sessions can join again and get a fresh room.
      const rejoined = await alice.client.join('doomed');
      assert.equal(rejoined.peers.length, 0);
      assert.notEqual(server.room('doomed')?.worker, doomed);

      for (const { client } of [alice, bob, carol]) client.disconnect();
      await waitFor(() => server.peerCount === 0, 'all sessions closed');
      assert.deepEqual(await liveObjects(server), NOTHING);
    } finally {
      server.close();
    }
  });
});
