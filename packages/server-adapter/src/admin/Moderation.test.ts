import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CloseCode, createSfuServer, type SfuServer } from '../index.js';
import { opusParameters, vp8Parameters } from '../test/fixtures.js';
import { type JoinedClient, joinWithMedia } from '../test/rooms.js';
import { TestClient, waitFor } from '../test/TestClient.js';
import { AdminError } from './AdminError.js';
import { Moderation } from './Moderation.js';

let server: SfuServer;
let admin: Moderation;
let roomCount = 0;
const newRoomId = () => `mod-${++roomCount}`;

before(async () => {
  server = await createSfuServer({ workers: 1, workerSettings: { logLevel: 'warn' } });
  admin = new Moderation(server);
});
after(() => server.close());

function isAdminError(code: string) {
  return (error: unknown) => error instanceof AdminError && error.code === code;
}

/** Alice publishes camera + microphone; Bob and Carol receive them. */
async function roomWithPublisher() {
  const roomId = newRoomId();
  const alice = await joinWithMedia(server, roomId);
  const bob = await joinWithMedia(server, roomId);
  const carol = await joinWithMedia(server, roomId);
  const produce = (kind: 'audio' | 'video', source: string) =>
    alice.client.request('produce', {
      transportId: alice.sendTransportId,
      kind,
      rtpParameters: kind === 'audio' ? opusParameters() : vp8Parameters(),
      appData: { source },
    });
  const mic = await produce('audio', 'microphone');
  const cam = await produce('video', 'camera');
  await waitFor(
    () => bob.client.consumers.length === 2 && carol.client.consumers.length === 2,
    'consumers',
  );
  return { roomId, alice, bob, carol, mic: mic.producerId, cam: cam.producerId };
}

const leaveAll = (...clients: JoinedClient[]) => {
  for (const { client } of clients) client.disconnect();
};

describe('Moderation', () => {
  it('lists rooms, peers and producers, with stream stats on request', async () => {
    const { roomId, alice, bob, carol, mic, cam } = await roomWithPublisher();
    const listed = admin.listRooms().find((room) => room.roomId === roomId);
    assert.ok(listed, 'room listed');
    assert.equal(listed.peers.length, 3);
    const a = listed.peers.find((peer) => peer.peerId === alice.client.peerId);
    assert.deepEqual(
      a?.producers.map((p) => [p.kind, p.source, p.paused]),
      [
        ['audio', 'microphone', false],
        ['video', 'camera', false],
      ],
    );
    assert.equal(listed.peers.find((p) => p.peerId === bob.client.peerId)?.consumers, 2);
    const detailed = await admin.room({ roomId, stats: true });
    const producers = detailed.peers.find((p) => p.peerId === alice.client.peerId)?.producers;
    assert.deepEqual(
      producers?.map((p) => p.producerId),
      [mic, cam],
    );
    // No RTP was sent: the worker has no stream yet, but the field is filled.
    for (const producer of producers ?? []) assert.ok(Array.isArray(producer.stats));
    leaveAll(alice, bob, carol);
  });

  it('mutes a producer: the owner hears producerMuted, the others their consumer paused', async () => {
    const { roomId, alice, bob, carol, cam } = await roomWithPublisher();
    await admin.muteProducer({
      roomId,
      peerId: alice.client.peerId,
      producerId: cam,
      reason: 'noise',
    });
    const muted = await waitFor(() => alice.client.received('producerMuted')[0], 'producerMuted');
    assert.deepEqual(muted, { producerId: cam, reason: 'noise' });
    for (const other of [bob, carol]) {
      const consumer = other.client.consumers.find((c) => c.producerId === cam);
      await waitFor(
        () => other.client.received('consumerPaused').some((n) => n.consumerId === consumer?.id),
        'consumerPaused',
      );
    }
    assert.equal(
      admin.listRooms().find((r) => r.roomId === roomId)?.peers[0]?.producers[1]?.paused,
      true,
    );
    leaveAll(alice, bob, carol);
  });

  it('closes a producer: the owner hears producerClosed, the others consumerClosed', async () => {
    const { roomId, alice, bob, carol, mic } = await roomWithPublisher();
    admin.closeProducer({ roomId, peerId: alice.client.peerId, producerId: mic });
    await waitFor(
      () => alice.client.received('producerClosed').some((n) => n.producerId === mic),
      'producerClosed',
    );
    const consumer = bob.client.consumers.find((c) => c.producerId === mic);
    await waitFor(
      () => bob.client.received('consumerClosed').some((n) => n.consumerId === consumer?.id),
      'consumerClosed',
    );
    await assert.rejects(
      alice.client.request('pauseProducer', { producerId: mic }),
      (error: { code?: string }) => error.code === 'NOT_FOUND',
    );
    leaveAll(alice, bob, carol);
  });

  it('removes a peer with a reason: it is told and cut off (4006), the others hear peerLeft', async () => {
    const { roomId, alice, bob, carol } = await roomWithPublisher();
    admin.removePeer({ roomId, peerId: alice.client.peerId, reason: 'be nice' });
    await waitFor(() => alice.client.connection.closed, 'connection closed');
    assert.deepEqual(alice.client.received('removedFromRoom'), [{ reason: 'be nice' }]);
    assert.equal(alice.client.connection.closeCode, CloseCode.Removed);
    for (const other of [bob, carol]) {
      await waitFor(
        () => other.client.received('peerLeft').some((n) => n.peerId === alice.client.peerId),
        'peerLeft',
      );
    }
    assert.equal(server.room(roomId)?.peers.length, 2);
    // The session is over: its token does not resume it.
    const again = new TestClient(server);
    await assert.rejects(
      again.resume(alice.client.sessionToken, alice.client.lastSeq),
      (error: { code?: string }) => error.code === 'SESSION_EXPIRED',
    );
    leaveAll(bob, carol);
    again.disconnect();
  });

  it('updates a peer: everyone (that peer too) hears peerUpdated; later joiners see it', async () => {
    const { roomId, alice, bob, carol } = await roomWithPublisher();
    const update = { displayName: 'Alice (host)', appData: { hand: true } };
    admin.updatePeer({ roomId, peerId: alice.client.peerId, ...update });
    for (const member of [alice, bob, carol]) {
      const heard = await waitFor(() => member.client.received('peerUpdated')[0], 'peerUpdated');
      assert.deepEqual(heard, { peerId: alice.client.peerId, ...update });
    }
    const dave = new TestClient(server);
    const joined = await dave.join(roomId);
    const seen = joined.peers.find((p) => p.peerId === alice.client.peerId);
    assert.equal(seen?.displayName, 'Alice (host)');
    assert.deepEqual(seen?.appData, { hand: true });
    leaveAll(alice, bob, carol);
    dave.disconnect();
  });

  it('refuses an update that would pass the room peer list bound, changing nothing', async () => {
    const roomId = newRoomId();
    const small = await createSfuServer({
      workers: 1,
      workerSettings: { logLevel: 'warn' },
      limits: { peerListBytes: 600 },
    });
    try {
      const alice = new TestClient(small);
      await alice.join(roomId);
      const moderation = new Moderation(small);
      assert.throws(
        () =>
          moderation.updatePeer({
            roomId,
            peerId: alice.peerId,
            appData: { note: 'x'.repeat(1000) },
          }),
        isAdminError('LIMIT_EXCEEDED'),
      );
      assert.deepEqual(moderation.listRooms()[0]?.peers[0]?.appData, {});
      assert.equal(alice.received('peerUpdated').length, 0);
    } finally {
      small.close();
    }
  });

  it('sends a server message to the room or to one peer', async () => {
    const { roomId, alice, bob, carol } = await roomWithPublisher();
    admin.sendMessage({ roomId, text: 'closing in 5 minutes' });
    admin.sendMessage({ roomId, peerId: bob.client.peerId, appData: { kind: 'hint' } });
    for (const member of [alice, bob, carol]) {
      await waitFor(() => member.client.received('serverMessage')[0], 'serverMessage');
    }
    assert.deepEqual(bob.client.received('serverMessage'), [
      { text: 'closing in 5 minutes' },
      { appData: { kind: 'hint' } },
    ]);
    assert.equal(alice.client.received('serverMessage').length, 1);
    leaveAll(alice, bob, carol);
  });

  it('closes a room: every peer hears roomClosed with the reason', async () => {
    const { roomId, alice, bob, carol } = await roomWithPublisher();
    admin.closeRoom({ roomId, reason: 'meeting over' });
    for (const member of [alice, bob, carol]) {
      const closed = await waitFor(() => member.client.received('roomClosed')[0], 'roomClosed');
      assert.deepEqual(closed, { reason: 'closed', appData: { reason: 'meeting over' } });
    }
    assert.equal(server.room(roomId), undefined);
    leaveAll(alice, bob, carol);
  });

  it('refuses bad input and unknown targets with typed errors', async () => {
    const { roomId, alice, bob, carol } = await roomWithPublisher();
    const cases: [() => unknown, string][] = [
      [() => admin.removePeer({ roomId, peerId: alice.client.peerId } as never), 'INVALID_INPUT'],
      [() => admin.removePeer({ roomId, peerId: 'nobody', reason: 'x' }), 'NOT_FOUND'],
      [() => admin.closeRoom({ roomId: 'no-such-room' }), 'NOT_FOUND'],
      [() => admin.sendMessage({ roomId, text: 'x'.repeat(5000) }), 'INVALID_INPUT'],
      [
        () => admin.updatePeer({ roomId, peerId: alice.client.peerId, extra: 1 } as never),
        'INVALID_INPUT',
      ],
      [
        () => admin.closeProducer({ roomId, peerId: bob.client.peerId, producerId: 'p' }),
        'NOT_FOUND',
      ],
    ];
    for (const [call, code] of cases) assert.throws(call, isAdminError(code));
    await assert.rejects(
      admin.muteProducer({ roomId, peerId: 7 } as never),
      isAdminError('INVALID_INPUT'),
    );
    // Nothing changed: everyone is still in, nobody was told anything.
    assert.equal(server.room(roomId)?.peers.length, 3);
    for (const member of [alice, bob, carol]) {
      assert.equal(member.client.received('removedFromRoom').length, 0);
      assert.equal(member.client.received('serverMessage').length, 0);
    }
    leaveAll(alice, bob, carol);
  });
});
