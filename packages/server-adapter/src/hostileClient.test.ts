import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ErrorCode,
  MAX_APP_DATA_BYTES,
  PROTOCOL_VERSION,
  type ProtocolError,
} from '@vroom/protocol';
import { createSfuServer, type SfuServer } from './index.js';
import { opusParameters, vp8Parameters } from './test/fixtures.js';
import { RawClient } from './test/RawClient.js';
import { joinWithMedia } from './test/rooms.js';
import { TestClient, waitFor } from './test/TestClient.js';

// Issue 11: what a hostile raw WebSocket client did to the example server,
// replayed on the real worker. Each case passed the old checks.

let server: SfuServer;
let roomCount = 0;
const newRoom = () => `hostile-${++roomCount}`;
const hasCode = (code: string) => (error: unknown) => (error as ProtocolError).code === code;

before(async () => {
  server = await createSfuServer({
    workers: 1,
    workerSettings: { logLevel: 'none' },
    session: { resumeWindowMs: 30_000 },
    limits: { peersPerRoom: 10 },
  });
});
after(() => server.close());

describe('F1: a producer whose kind does not match its codecs', () => {
  it('is refused with INVALID_DATA, and later joiners still get every good track', async () => {
    const room = newRoom();
    const attacker = await joinWithMedia(server, room);
    const mixed = { ...vp8Parameters(), mid: '0' };
    for (const [kind, rtpParameters] of [
      ['audio', mixed],
      ['video', opusParameters()],
    ] as const) {
      await assert.rejects(
        attacker.client.request('produce', {
          transportId: attacker.sendTransportId,
          kind,
          rtpParameters,
        }),
        hasCode(ErrorCode.InvalidData),
      );
    }
    const good = await attacker.client.request('produce', {
      transportId: attacker.sendTransportId,
      kind: 'video',
      rtpParameters: vp8Parameters(),
    });
    const joiner = await joinWithMedia(server, room);
    const consumer = await waitFor(() => joiner.client.consumers[0], 'the good consumer');
    assert.equal(consumer.producerId, good.producerId);
    assert.equal(joiner.client.consumers.length, 1, 'only the good producer exists');
  });
});

describe('F2: app data', () => {
  const deep = (levels: number) => `${'{"a":'.repeat(levels)}{}${'}'.repeat(levels)}`;

  it('7,000 levels in join are INVALID_DATA, and later joins are answered', async () => {
    // Arrays: 2 bytes a level, so the frame stays under the pre-join frame limit.
    const arrays = `{"a":${'['.repeat(7_000)}${']'.repeat(7_000)}}`;
    const room = newRoom();
    const raw = new RawClient(server);
    const [answer] = await raw.sendRaw(
      `{"id":1,"method":"join","data":{"protocolVersion":${PROTOCOL_VERSION},"roomId":"${room}","displayName":"x","device":{"name":"x"},"appData":${arrays}}}`,
    );
    assert.equal(answer?.error?.code, ErrorCode.InvalidData);
    assert.equal(server.room(room), undefined, 'no seat taken');
    const later = new TestClient(server);
    const joined = await later.join(room);
    assert.deepEqual(joined.peers, []);
  });

  it('deep app data in produce leaves no unannounced consumer', async () => {
    const room = newRoom();
    const bob = await joinWithMedia(server, room);
    const raw = new RawClient(server);
    const join = await raw.join(room, { transports: { send: {} } });
    const transportId = (join.data?.sendTransport as { id: string } | undefined)?.id ?? '';
    const [answer] = await raw.sendRaw(
      `{"id":2,"method":"produce","data":{"transportId":"${transportId}","kind":"audio","rtpParameters":${JSON.stringify(opusParameters())},"appData":${deep(5_000)}}}`,
    );
    assert.equal(answer?.error?.code, ErrorCode.InvalidData);
    const bobPeer = server.room(room)?.peers.find((p) => p.id === bob.client.peerId);
    assert.equal(bobPeer?.consumers.size, 0);
  });

  it("the room's peer list stays under the client's message limit: a join past it is LIMIT_EXCEEDED", async () => {
    const room = newRoom();
    const fat = { blob: 'x'.repeat(MAX_APP_DATA_BYTES - 100) };
    const tight = await createSfuServer({
      workers: 1,
      workerSettings: { logLevel: 'none' },
      limits: { peerListBytes: 3 * MAX_APP_DATA_BYTES + 1024 },
    });
    try {
      for (let i = 0; i < 3; i++) await new TestClient(tight).join(room, { appData: fat });
      await assert.rejects(
        new TestClient(tight).join(room, { appData: fat }),
        (error: ProtocolError) =>
          error.code === ErrorCode.LimitExceeded && /peer list/.test(error.message),
      );
      const small = await new TestClient(tight).join(room, { appData: { role: 'guest' } });
      assert.equal(small.peers.length, 3);
    } finally {
      tight.close();
    }
  });

  it("an authorize hook's app data that cannot be serialised is refused before the seat", async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const hooked = await createSfuServer({
      workers: 1,
      workerSettings: { logLevel: 'none' },
      authorize: async () => ({ appData: cyclic }),
    });
    try {
      const room = newRoom();
      await assert.rejects(new TestClient(hooked).join(room), hasCode(ErrorCode.Internal));
      assert.equal(hooked.room(room), undefined, 'no ghost seat');
    } finally {
      hooked.close();
    }
  });
});

describe('minor holes', () => {
  it('a duplicate SCTP streamId on one transport is INVALID_DATA', async () => {
    const alice = await joinWithMedia(server, newRoom());
    const produceData = () =>
      alice.client.request('produceData', {
        transportId: alice.sendTransportId,
        sctpStreamParameters: { streamId: 7 },
      });
    await produceData();
    await assert.rejects(produceData(), (error: ProtocolError) => {
      assert.equal(error.code, ErrorCode.InvalidData);
      assert.match(error.message, /streamId 7/);
      return true;
    });
  });

  it('an RTX SSRC equal to the media SSRC is INVALID_DATA', async () => {
    const alice = await joinWithMedia(server, newRoom());
    const parameters = vp8Parameters();
    parameters.encodings = [{ ssrc: 4242, rtx: { ssrc: 4242 } }];
    await assert.rejects(
      alice.client.request('produce', {
        transportId: alice.sendTransportId,
        kind: 'video',
        rtpParameters: parameters,
      }),
      hasCode(ErrorCode.InvalidData),
    );
  });

  it('resumeSession with a lastSeq never sent is INVALID_DATA and leaves the session alone', async () => {
    const room = newRoom();
    const alice = new TestClient(server);
    await alice.join(room);
    await new TestClient(server).join(room); // alice hears peerJoined: seq 1
    await waitFor(() => alice.lastSeq >= 1, 'peerJoined');
    const thief = new TestClient(server);
    await assert.rejects(thief.resume(alice.sessionToken, 1e15), (error: ProtocolError) => {
      assert.equal(error.code, ErrorCode.InvalidData);
      assert.match(error.message, /lastSeq/);
      return true;
    });
    assert.ok(server.room(room)?.peers.some((p) => p.id === alice.peerId && p.connected));
    const resumed = await new TestClient(server).resume(alice.sessionToken, alice.lastSeq);
    assert.equal(resumed.peerId, alice.peerId);
  });
});
