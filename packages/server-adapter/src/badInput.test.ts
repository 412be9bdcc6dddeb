import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_MAX_MESSAGE_BYTES, ErrorCode } from '@vroom/protocol';
import { createSfuServer, type SfuServer } from './index.js';
import { dtlsParameters, opusParameters, vp8Parameters } from './test/fixtures.js';
import { liveObjects } from './test/liveObjects.js';
import { RawClient, type RawResponse } from './test/RawClient.js';
import { type JoinedClient, joinWithMedia } from './test/rooms.js';
import { FAST_SESSIONS } from './test/sessions.js';
import { waitFor } from './test/TestClient.js';

const ROOM = 'bad-input';

let server: SfuServer;
/** A well-behaved peer that owns one of everything, and one that consumes it. */
let alice: JoinedClient;
let bob: JoinedClient;
const owned = { transportId: '', producerId: '', consumerId: '', dataProducerId: '' };

before(async () => {
  server = await createSfuServer({
    workers: 1,
    workerSettings: { logLevel: 'none' },
    session: FAST_SESSIONS,
    // The default bucket (50/s, burst 100); a short fuse for the flood-disconnect case.
    limits: { floodDisconnectAfter: 300 },
  });
  alice = await joinWithMedia(server, ROOM);
  bob = await joinWithMedia(server, ROOM);
  owned.transportId = alice.sendTransportId;
  owned.producerId = (
    await alice.client.request('produce', {
      transportId: alice.sendTransportId,
      kind: 'video',
      rtpParameters: vp8Parameters(),
    })
  ).producerId;
  owned.dataProducerId = (
    await alice.client.request('produceData', {
      transportId: alice.sendTransportId,
      sctpStreamParameters: { streamId: 3 },
    })
  ).dataProducerId;
  owned.consumerId = (await waitFor(() => bob.client.consumers[0], 'newConsumer')).id;
  // Bob's data consumer is made after his consumer: each case counts live
  // objects before it starts, so the room must be complete first.
  await waitFor(async () => (await liveObjects(server)).dataConsumers === 1, "Bob's data consumer");
});
after(() => server.close());

interface BadInputCase {
  name: string;
  expect: ErrorCode;
  /** Sends the bad input from a fresh raw client; resolves with the responses it got. */
  send: (client: RawClient) => Promise<RawResponse[]>;
}

const json = (value: unknown) => JSON.stringify(value);
const sendTransportOf = (join: RawResponse) =>
  (join.data?.sendTransport as { id: string } | undefined)?.id ?? '';
const one = async (response: Promise<RawResponse>) => [await response];

/** Joins the shared room first, as an attacker who is a legitimate peer would. */
const joined =
  (send: (client: RawClient) => Promise<RawResponse>) =>
  async (client: RawClient): Promise<RawResponse[]> => {
    await client.join(ROOM, { transports: { send: {} } });
    return [await send(client)];
  };

const cases: BadInputCase[] = [
  {
    name: 'malformed JSON',
    expect: ErrorCode.BadMessage,
    send: (c) => c.sendRaw('{"id": 1, "method": '),
  },
  {
    name: 'binary garbage (not UTF-8)',
    expect: ErrorCode.BadMessage,
    send: (c) => c.sendRaw(new Uint8Array([0xff, 0xfe, 0x00, 0xc3, 0x28, 0x9f])),
  },
  {
    name: 'JSON that is no envelope',
    expect: ErrorCode.BadMessage,
    send: (c) => c.sendRaw('[1,2,3]'),
  },
  {
    name: 'a negative request id',
    expect: ErrorCode.BadMessage,
    send: (c) => c.sendRaw(json({ id: -4, method: 'ping' })),
  },
  {
    name: 'an unknown method',
    expect: ErrorCode.UnknownMethod,
    send: (c) => one(c.request('dropAllRooms', {})),
  },
  {
    name: 'a prototype key as method',
    expect: ErrorCode.UnknownMethod,
    send: (c) => one(c.request('__proto__', {})),
  },
  {
    name: 'missing fields',
    expect: ErrorCode.InvalidData,
    send: (c) => one(c.request('join', { roomId: 'x' })),
  },
  {
    name: 'wrong types',
    expect: ErrorCode.InvalidData,
    send: (c) => one(c.request('connectWebRtcTransport', { transportId: 5, dtlsParameters: 'x' })),
  },
  {
    name: 'an out-of-range value',
    expect: ErrorCode.InvalidData,
    send: (c) => one(c.request('setConsumerPriority', { consumerId: 'c', priority: 1000 })),
  },
  {
    // Joined: before join a frame this large is cut at the connection (ConnectionGuard.test.ts).
    name: 'a message larger than the limit',
    expect: ErrorCode.MessageTooLarge,
    send: async (c) => {
      await c.join(ROOM);
      return c.sendRaw(
        json({ id: 7, method: 'ping', data: { pad: 'x'.repeat(DEFAULT_MAX_MESSAGE_BYTES) } }),
      );
    },
  },
  {
    name: 'a request before join',
    expect: ErrorCode.NotJoined,
    send: (c) => one(c.request('restartIce', { transportId: owned.transportId })),
  },
  {
    name: "another peer's transport",
    expect: ErrorCode.NotFound,
    send: joined((c) => c.request('restartIce', { transportId: owned.transportId })),
  },
  {
    name: "another peer's transport, to connect it",
    expect: ErrorCode.NotFound,
    send: joined((c) =>
      c.request('connectWebRtcTransport', { transportId: owned.transportId, dtlsParameters }),
    ),
  },
  {
    name: "another peer's producer",
    expect: ErrorCode.NotFound,
    send: joined((c) => c.request('closeProducer', { producerId: owned.producerId })),
  },
  {
    name: "another peer's consumer",
    expect: ErrorCode.NotFound,
    send: joined((c) => c.request('resumeConsumer', { consumerId: owned.consumerId })),
  },
  {
    name: "another peer's data producer",
    expect: ErrorCode.NotFound,
    send: joined((c) => c.request('closeDataProducer', { dataProducerId: owned.dataProducerId })),
  },
  {
    name: "producing on another peer's transport",
    expect: ErrorCode.NotFound,
    send: joined((c) =>
      c.request('produce', {
        transportId: owned.transportId,
        kind: 'audio',
        rtpParameters: opusParameters(),
      }),
    ),
  },
  {
    name: 'RTP parameters mediasoup rejects (a codec the room does not have)',
    expect: ErrorCode.InvalidState,
    send: async (c) => {
      const joinResponse = await c.join(ROOM, { transports: { send: {} } });
      const transportId = sendTransportOf(joinResponse);
      const rtpParameters = opusParameters();
      const codec = rtpParameters.codecs[0];
      if (codec) codec.mimeType = 'audio/G7221';
      return one(c.request('produce', { transportId, kind: 'audio', rtpParameters }));
    },
  },
  {
    name: 'a request after leave',
    expect: ErrorCode.NotJoined,
    send: async (c) => {
      const joinResponse = await c.join(ROOM, { transports: { send: {} } });
      await c.request('leave', {});
      const transportId = sendTransportOf(joinResponse);
      return one(c.request('restartIce', { transportId }));
    },
  },
  {
    name: 'a flood of requests',
    expect: ErrorCode.RateLimited,
    send: async (c) => {
      for (let i = 0; i < 250; i++) c.connection.sendRaw(json({ id: i, method: 'ping', data: {} }));
      await waitFor(() => c.responses.length >= 250, 'an answer to every ping');
      return c.responses;
    },
  },
];

describe('bad input', () => {
  for (const { name, expect, send } of cases) {
    it(`answers ${name} with ${expect}, and keeps serving the room`, async () => {
      const objectsBefore = await liveObjects(server);
      const attacker = new RawClient(server);
      const responses = await send(attacker);

      const errors = responses.filter((r) => !r.ok).map((r) => r.error?.code);
      assert.ok(errors.length > 0, 'the bad input got an error response');
      assert.deepEqual(new Set(errors), new Set([expect]));

      // The others are unaffected: a round trip and a real mediasoup call still work.
      await alice.client.request('ping', {});
      const { stats } = await bob.client.request('getConsumerStats', {
        consumerId: owned.consumerId,
      });
      assert.ok(Array.isArray(stats));

      attacker.connection.close();
      await waitFor(() => server.room(ROOM)?.peers.length === 2, 'the attacker gone from the room');
      assert.deepEqual(
        await liveObjects(server),
        objectsBefore,
        'nothing created by bad input survives',
      );
    });
  }

  it("answers another peer's id exactly like an unknown id", async () => {
    const attacker = new RawClient(server);
    await attacker.join(ROOM);
    const checks: [string, string, string][] = [
      ['getTransportStats', 'transportId', owned.transportId],
      ['getProducerStats', 'producerId', owned.producerId],
      ['getConsumerStats', 'consumerId', owned.consumerId],
      ['closeDataProducer', 'dataProducerId', owned.dataProducerId],
    ];
    for (const [method, field, theirs] of checks) {
      const unknownId = 'f'.repeat(theirs.length);
      const forTheirs = await attacker.request(method, { [field]: theirs });
      const forUnknown = await attacker.request(method, { [field]: unknownId });
      assert.equal(forTheirs.error?.code, ErrorCode.NotFound);
      assert.deepEqual(
        {
          ...forTheirs,
          id: 0,
          error: {
            ...forTheirs.error,
            message: forTheirs.error?.message.replace(theirs, unknownId),
          },
        },
        { ...forUnknown, id: 0 },
      );
    }
    attacker.connection.close();
  });

  it('disconnects a peer that keeps flooding far past its limit, and only that peer', async () => {
    const flooder = new RawClient(server);
    for (let i = 0; i < 5000; i++) {
      if (flooder.connection.closed) break;
      flooder.connection.sendRaw(json({ id: i, method: 'ping', data: {} }));
    }
    await waitFor(() => flooder.connection.closed, 'the flooder disconnected');
    assert.equal(flooder.connection.closeCode, 1008);
    await alice.client.request('ping', {});
  });
});
