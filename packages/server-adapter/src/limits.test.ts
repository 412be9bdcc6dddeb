import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ErrorCode, type ProtocolError } from '@vroom/protocol';
import { createSfuServer, type SfuServer } from './index.js';
import { DEFAULT_LIMITS, resolveLimits } from './limits.js';
import { opusParameters } from './test/fixtures.js';
import { liveObjects } from './test/liveObjects.js';
import { joinWithMedia, serverPeer } from './test/rooms.js';
import { TestClient, waitFor } from './test/TestClient.js';

const limitExceeded = (error: unknown) => (error as ProtocolError).code === ErrorCode.LimitExceeded;

describe('resolveLimits', () => {
  it('fills in the defaults', () => {
    assert.deepEqual(resolveLimits(), DEFAULT_LIMITS);
    assert.equal(resolveLimits({ peersPerRoom: 3 }).peersPerRoom, 3);
  });

  it("refuses a peer list that would not leave a join answer under the client's limit", () => {
    assert.throws(() => resolveLimits({ peerListBytes: 128 * 1024 }), /peerListBytes/);
    assert.equal(resolveLimits({ peerListBytes: 64 * 1024 }).peerListBytes, 64 * 1024);
  });

  it('refuses zero, negative and fractional limits at startup', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      assert.throws(() => resolveLimits({ producersPerPeer: bad }), /producersPerPeer/);
    }
  });
});

describe('limits are enforced', () => {
  let server: SfuServer;
  before(async () => {
    server = await createSfuServer({
      workers: 1,
      workerSettings: { logLevel: 'none' },
      limits: {
        peersPerRoom: 2,
        transportsPerPeer: 2,
        producersPerPeer: 1,
        dataProducersPerPeer: 1,
      },
    });
  });
  after(() => server.close());

  it('peers per room', async () => {
    await new TestClient(server).join('full');
    await new TestClient(server).join('full');
    await assert.rejects(new TestClient(server).join('full'), limitExceeded);
    assert.equal(server.room('full')?.peers.length, 2);
  });

  it('transports per peer, refused before anything is created', async () => {
    const alice = await joinWithMedia(server, 'transports');
    const before = await liveObjects(server);
    await assert.rejects(
      alice.client.request('createWebRtcTransport', { direction: 'recv' }),
      limitExceeded,
    );
    assert.deepEqual(await liveObjects(server), before);
  });

  it('a join whose transports exceed the limit leaves no seat and no transport', async () => {
    const tight = await createSfuServer({
      workers: 1,
      workerSettings: { logLevel: 'none' },
      limits: { transportsPerPeer: 1 },
    });
    try {
      const client = new TestClient(tight);
      await assert.rejects(client.join('x', { transports: { send: {}, recv: {} } }), limitExceeded);
      assert.equal(tight.room('x'), undefined, 'the room it would have opened is closed');
      assert.equal((await liveObjects(tight)).routers, 0);
    } finally {
      tight.close();
    }
  });

  it('producers and data producers per peer', async () => {
    const alice = await joinWithMedia(server, 'producers');
    const produce = () =>
      alice.client.request('produce', {
        transportId: alice.sendTransportId,
        kind: 'audio',
        rtpParameters: opusParameters(),
      });
    await produce();
    await assert.rejects(produce(), limitExceeded);
    const produceData = (streamId: number) =>
      alice.client.request('produceData', {
        transportId: alice.sendTransportId,
        sctpStreamParameters: { streamId },
      });
    await produceData(1);
    await assert.rejects(produceData(2), limitExceeded);
  });
});

describe('the request rate limit', () => {
  it('does not charge a client for answering the server (a busy room does not lock it out)', async () => {
    const server = await createSfuServer({
      workers: 1,
      workerSettings: { logLevel: 'none' },
      limits: { requestsPerSecond: 1, requestBurst: 5 },
    });
    try {
      const producers = [await joinWithMedia(server, 'busy'), await joinWithMedia(server, 'busy')];
      // join + connect + 3 produce: each producer spends exactly its burst.
      for (const { client, sendTransportId } of producers) {
        for (let i = 0; i < 3; i++) {
          await client.request('produce', {
            transportId: sendTransportId,
            kind: 'audio',
            rtpParameters: opusParameters(String(i)),
          });
        }
      }
      const viewer = await joinWithMedia(server, 'busy');
      await waitFor(() => viewer.client.consumers.length === 6, 'six newConsumer requests');
      const peer = serverPeer(server, 'busy', viewer.client.peerId);
      await waitFor(
        () => [...peer.consumers.values()].every((c) => !c.paused),
        'all six answered and resumed',
      );
      // Its own budget is intact: join and connect used 2 of 5.
      await viewer.client.request('ping', {});
      await viewer.client.request('ping', {});
      await viewer.client.request('ping', {});
      await assert.rejects(
        viewer.client.request('ping', {}),
        (error: unknown) => (error as ProtocolError).code === ErrorCode.RateLimited,
      );
    } finally {
      server.close();
    }
  });
});

describe('the authorize hook', () => {
  it('refuses with JOIN_REFUSED and passes the app data it grants to the others', async () => {
    const server = await createSfuServer({
      workers: 1,
      workerSettings: { logLevel: 'none' },
      authorize: async (join, info) => {
        if (join.token === 'throw') throw new Error('the user database is down');
        if (join.token !== 'letmein') return false;
        return { appData: { role: 'speaker', from: info.remoteAddress } };
      },
    });
    try {
      await assert.rejects(
        new TestClient(server).join('auth', { token: 'nope' }),
        (error: unknown) => (error as ProtocolError).code === ErrorCode.JoinRefused,
      );
      assert.equal(server.room('auth'), undefined, 'a refused join opens no room');
      await assert.rejects(
        new TestClient(server).join('auth', { token: 'throw' }),
        (error: unknown) => (error as ProtocolError).code === ErrorCode.JoinRefused,
        'a hook that throws refuses',
      );
      await new TestClient(server).join('auth', { token: 'letmein' });
      const second = await new TestClient(server).join('auth', { token: 'letmein' });
      assert.deepEqual(second.peers[0]?.appData, { role: 'speaker', from: '127.0.0.1' });
    } finally {
      server.close();
    }
  });
});
