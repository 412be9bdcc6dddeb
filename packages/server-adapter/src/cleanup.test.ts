import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createSfuServer, type SfuServer } from './index.js';
import {
  deviceRtpCapabilities,
  dtlsParameters,
  opusParameters,
  sctpCapabilities,
  vp8Parameters,
} from './test/fixtures.js';
import { type LiveObjects, liveObjects, NOTHING } from './test/liveObjects.js';
import { joinWithMedia } from './test/rooms.js';
import { FAST_SESSIONS } from './test/sessions.js';
import { TestClient, waitFor } from './test/TestClient.js';

let server: SfuServer;
before(async () => {
  server = await createSfuServer({
    workers: 1,
    workerSettings: { logLevel: 'none' },
    session: FAST_SESSIONS,
  });
});
after(() => server.close());

const ignore = () => undefined;

/**
 * The join flow, step by step. Each step does what comes before it (awaited)
 * and then fires its own request without waiting: the disconnect lands while
 * the server is in the middle of it.
 */
const steps: [string, (client: TestClient, roomId: string) => Promise<void>][] = [
  ['before join', async () => {}],
  [
    'while join (room, both transports) is in flight',
    async (c, roomId) => {
      c.join(roomId, {
        rtpCapabilities: deviceRtpCapabilities,
        sctpCapabilities,
        transports: { send: { sctp: true }, recv: { sctp: true } },
      }).catch(ignore);
    },
  ],
  [
    'while a recv transport is being created',
    async (c, roomId) => {
      await c.join(roomId, { rtpCapabilities: deviceRtpCapabilities, sctpCapabilities });
      c.request('createWebRtcTransport', { direction: 'recv', sctp: true }).catch(ignore);
    },
  ],
  [
    'while setCapabilities starts the consumers',
    async (c, roomId) => {
      await c.join(roomId, { transports: { recv: {} } });
      c.request('setCapabilities', { rtpCapabilities: deviceRtpCapabilities }).catch(ignore);
    },
  ],
  [
    'while connect is in flight',
    async (c, roomId) => {
      const joined = await c.join(roomId, { transports: { send: {} } });
      const transportId = joined.sendTransport?.id ?? '';
      c.request('connectWebRtcTransport', { transportId, dtlsParameters }).catch(ignore);
    },
  ],
  [
    'while produce is in flight',
    async (c, roomId) => {
      const joined = await c.join(roomId, { transports: { send: {} } });
      const transportId = joined.sendTransport?.id ?? '';
      c.request('connectWebRtcTransport', { transportId, dtlsParameters }).catch(ignore);
      c.request('produce', { transportId, kind: 'video', rtpParameters: vp8Parameters() }).catch(
        ignore,
      );
    },
  ],
  [
    'while produceData is in flight',
    async (c, roomId) => {
      const joined = await c.join(roomId, { transports: { send: { sctp: true } } });
      const transportId = joined.sendTransport?.id ?? '';
      c.request('produceData', { transportId, sctpStreamParameters: { streamId: 2 } }).catch(
        ignore,
      );
    },
  ],
  [
    'while its newConsumer requests are unanswered',
    async (c, roomId) => {
      c.ignoreConsumers = true;
      await c.join(roomId, { rtpCapabilities: deviceRtpCapabilities, transports: { recv: {} } });
      await waitFor(
        () => c.consumers.length > 0 || server.room(roomId)?.peers.length === 1,
        'consumers',
      );
    },
  ],
  [
    'with media flowing both ways',
    async (c, roomId) => {
      const joined = await c.join(roomId, {
        rtpCapabilities: deviceRtpCapabilities,
        sctpCapabilities,
        transports: { send: { sctp: true }, recv: { sctp: true } },
      });
      const transportId = joined.sendTransport?.id ?? '';
      await c.request('produce', { transportId, kind: 'audio', rtpParameters: opusParameters() });
      await c.request('produceData', { transportId, sctpStreamParameters: { streamId: 5 } });
    },
  ],
];

let roomCount = 0;

describe('a disconnect at any step of the join flow leaks nothing', () => {
  for (const [step, run] of steps) {
    it(`alone in the room, ${step}: the room closes and the worker holds nothing`, async () => {
      const roomId = `alone-${++roomCount}`;
      const client = new TestClient(server);
      await run(client, roomId);
      client.disconnect();
      await waitFor(() => server.peerCount === 0, 'the session closed');
      await waitFor(() => server.room(roomId) === undefined, 'the room closed');
      await settle(NOTHING);
    });

    it(`beside a producing peer, ${step}: only that peer's objects remain`, async () => {
      const roomId = `shared-${++roomCount}`;
      const steady = await joinWithMedia(server, roomId);
      await steady.client.request('produce', {
        transportId: steady.sendTransportId,
        kind: 'video',
        rtpParameters: vp8Parameters(),
      });
      await steady.client.request('produceData', {
        transportId: steady.sendTransportId,
        sctpStreamParameters: { streamId: 1 },
      });
      const baseline = await liveObjects(server);

      const client = new TestClient(server);
      await run(client, roomId);
      client.disconnect();
      await waitFor(() => server.peerCount === 1, 'the session closed');
      await settle(baseline);
      assert.equal(server.room(roomId)?.peers.length, 1);
      // Whatever the steady peer was given of the leaver's, it is told is gone
      // (the leaver's in-flight requests finish while its session is kept, so
      // it may have been offered the leaver's producers before the expiry).
      const toldClosed = () => {
        const closed = new Set(steady.client.received('consumerClosed').map((n) => n.consumerId));
        const closedData = new Set(
          steady.client.received('dataConsumerClosed').map((n) => n.dataConsumerId),
        );
        return (
          steady.client.consumers.every((c) => closed.has(c.id)) &&
          steady.client.dataConsumers.every((c) => closedData.has(c.id))
        );
      };
      await waitFor(toldClosed, "consumerClosed for each of the leaver's consumers");

      steady.client.disconnect();
      await waitFor(() => server.peerCount === 0, 'the steady session closed');
      await settle(NOTHING);
    });
  }
});

describe('leave', () => {
  it('closes every mediasoup object of the peer, and the room with the last one', async () => {
    const alice = await joinWithMedia(server, 'leave');
    const bob = await joinWithMedia(server, 'leave');
    for (const { client, sendTransportId } of [alice, bob]) {
      await client.request('produce', {
        transportId: sendTransportId,
        kind: 'audio',
        rtpParameters: opusParameters(),
      });
      await client.request('produceData', {
        transportId: sendTransportId,
        sctpStreamParameters: { streamId: 4 },
      });
    }
    await waitFor(
      () =>
        [alice, bob].every(
          ({ client }) => client.consumers.length === 1 && client.dataConsumers.length === 1,
        ),
      'each consuming the other',
    );
    const both = await liveObjects(server);
    assert.deepEqual(both, {
      routers: 1,
      transports: 4,
      producers: 2,
      consumers: 2,
      dataProducers: 2,
      dataConsumers: 2,
    });

    await alice.client.request('leave', {});
    await settle({
      routers: 1,
      transports: 2,
      producers: 1,
      consumers: 0,
      dataProducers: 1,
      dataConsumers: 0,
    });
    await bob.client.request('leave', {});
    await settle(NOTHING);
    assert.equal(server.peerCount, 2, 'leaving ends the room membership, not the session');
    alice.client.disconnect();
    bob.client.disconnect();
  });
});

/**
 * Objects close asynchronously in the worker: wait until its own dump shows
 * the expected counts (the deadline only reports a real leak legibly).
 */
async function settle(expected: LiveObjects): Promise<void> {
  let last: LiveObjects | undefined;
  try {
    for (let i = 0; i < 200; i++) {
      last = await liveObjects(server);
      if (JSON.stringify(last) === JSON.stringify(expected)) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    if (last) assert.deepEqual(last, expected);
  }
}
