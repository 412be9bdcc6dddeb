import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  DEFAULT_PERMISSIONS,
  ErrorCode,
  type PeerPermissions,
  type ProtocolError,
} from '@vroom/protocol';
import { canRecord, createSfuServer, type SfuServer } from './index.js';
import type { ServerEventMap } from './ServerEvents.js';
import {
  deviceRtpCapabilities,
  dtlsParameters,
  opusParameters,
  sctpCapabilities,
  vp8Parameters,
} from './test/fixtures.js';
import { joinWithMedia, serverPeer } from './test/rooms.js';
import { TestClient, waitFor } from './test/TestClient.js';

let server: SfuServer;
let roomCount = 0;
const newRoomId = () => `perm-${++roomCount}`;

function hasCode(code: string) {
  return (error: unknown) => (error as ProtocolError).code === code;
}

before(async () => {
  server = await createSfuServer({
    workers: 1,
    workerSettings: { logLevel: 'warn' },
    // The test's join token carries the permissions the app grants.
    authorize: async (join) =>
      join.token ? { permissions: JSON.parse(join.token) as Partial<PeerPermissions> } : true,
  });
});
after(() => server.close());

/** Joins with both transports (send connected) and the permissions the "app" grants. */
async function joinAs(roomId: string, permissions?: Partial<PeerPermissions>) {
  const client = new TestClient(server);
  const joined = await client.join(roomId, {
    rtpCapabilities: deviceRtpCapabilities,
    sctpCapabilities,
    transports: { send: { sctp: true }, recv: { sctp: true } },
    ...(permissions ? { token: JSON.stringify(permissions) } : {}),
  });
  const sendTransportId = joined.sendTransport?.id ?? '';
  await client.request('connectWebRtcTransport', { transportId: sendTransportId, dtlsParameters });
  return { client, sendTransportId, joined };
}

function produceVideo(client: TestClient, transportId: string, source?: string) {
  return client.request('produce', {
    transportId,
    kind: 'video',
    rtpParameters: vp8Parameters(),
    ...(source ? { appData: { source } } : {}),
  });
}

function produceAudio(client: TestClient, transportId: string, source?: string) {
  return client.request('produce', {
    transportId,
    kind: 'audio',
    rtpParameters: opusParameters(),
    ...(source ? { appData: { source } } : {}),
  });
}

describe('permissions set at join', () => {
  it('publish: a kind not granted is FORBIDDEN, a granted one is allowed', async () => {
    const roomId = newRoomId();
    const alice = await joinAs(roomId, { publish: ['audio'] });
    await assert.rejects(
      produceVideo(alice.client, alice.sendTransportId),
      hasCode(ErrorCode.Forbidden),
    );
    await produceAudio(alice.client, alice.sendTransportId);
    assert.equal(serverPeer(server, roomId, alice.client.peerId).producers.size, 1);
    alice.client.disconnect();
  });

  it('publishSources: only the listed appData.source values, none without a source', async () => {
    const roomId = newRoomId();
    const alice = await joinAs(roomId, { publishSources: ['camera', 'microphone'] });
    const { sendTransportId: t, client } = alice;
    await assert.rejects(produceVideo(client, t, 'screen'), hasCode(ErrorCode.Forbidden));
    await assert.rejects(produceVideo(client, t), hasCode(ErrorCode.Forbidden));
    await produceVideo(client, t, 'camera');
    await produceAudio(client, t, 'microphone');
    assert.equal(serverPeer(server, roomId, client.peerId).producers.size, 2);
    client.disconnect();
  });

  it('publishData: refused when not granted, allowed by default', async () => {
    const roomId = newRoomId();
    const alice = await joinAs(roomId, { publishData: false });
    const bob = await joinAs(roomId);
    const data = (client: TestClient, transportId: string) =>
      client.request('produceData', {
        transportId,
        sctpStreamParameters: { streamId: 1, ordered: true },
      });
    await assert.rejects(data(alice.client, alice.sendTransportId), hasCode(ErrorCode.Forbidden));
    await data(bob.client, bob.sendTransportId);
    for (const c of [alice.client, bob.client]) c.disconnect();
  });

  it('subscribe: a peer that may not subscribe gets no consumers; others do', async () => {
    const roomId = newRoomId();
    const watcher = await joinAs(roomId, { subscribe: false });
    const viewer = await joinAs(roomId);
    const alice = await joinWithMedia(server, roomId);
    await produceVideo(alice.client, alice.sendTransportId);
    await waitFor(() => viewer.client.consumers.length === 1, 'viewer consuming');
    await watcher.client.request('ping', {}); // its queue ran past the fan-out
    assert.equal(watcher.client.consumers.length, 0);
    assert.equal(serverPeer(server, roomId, watcher.client.peerId).consumers.size, 0);
    for (const c of [watcher.client, viewer.client, alice.client]) c.disconnect();
  });

  it('hidden: not in the others peer lists nor peerJoined; may not publish; the app sees it', async () => {
    const roomId = newRoomId();
    const joinedEvents: ServerEventMap['peerJoined'][] = [];
    const listener = (event: ServerEventMap['peerJoined']) => {
      if (event.roomId === roomId) joinedEvents.push(event);
    };
    server.events.on('peerJoined', listener);
    try {
      const alice = await joinAs(roomId);
      const ghost = await joinAs(roomId, { hidden: true });
      const bob = await joinAs(roomId);
      // The hidden one sees everyone; nobody sees it.
      assert.deepEqual(
        ghost.joined.peers.map((p) => p.peerId),
        [alice.client.peerId],
      );
      assert.deepEqual(
        bob.joined.peers.map((p) => p.peerId),
        [alice.client.peerId],
      );
      await waitFor(() => alice.client.received('peerJoined').length === 1, 'bob announced');
      await bob.client.request('ping', {});
      assert.deepEqual(
        alice.client.received('peerJoined').map((p) => p.peerId),
        [bob.client.peerId],
      );
      await assert.rejects(
        produceAudio(ghost.client, ghost.sendTransportId),
        hasCode(ErrorCode.Forbidden),
      );
      await waitFor(() => joinedEvents.length === 3, 'three peerJoined events');
      assert.deepEqual(
        joinedEvents.map((e) => e.hidden),
        [false, true, false],
      );
      // It leaves as quietly as it came.
      await ghost.client.request('leave', {});
      await alice.client.request('ping', {});
      assert.deepEqual(alice.client.received('peerLeft'), []);
      for (const c of [alice.client, bob.client, ghost.client]) c.disconnect();
    } finally {
      server.events.off('peerJoined', listener);
    }
  });

  it('record: off by default, on when granted (canRecord)', async () => {
    const roomId = newRoomId();
    const plain = await joinAs(roomId);
    const recorded = await joinAs(roomId, { record: true });
    assert.equal(canRecord(serverPeer(server, roomId, plain.client.peerId)), false);
    assert.equal(canRecord(serverPeer(server, roomId, recorded.client.peerId)), true);
    for (const c of [plain.client, recorded.client]) c.disconnect();
  });

  it('the peer hears its permissions after the join answer, only when not the defaults', async () => {
    const roomId = newRoomId();
    const plain = await joinAs(roomId);
    const limited = await joinAs(roomId, { publish: [] });
    const told = await waitFor(() => limited.client.received('permissionsChanged')[0], 'told');
    assert.deepEqual(told.permissions, { ...DEFAULT_PERMISSIONS, publish: [] });
    // The notification came after the join answer: the client knew its peer id.
    assert.ok(limited.client.peerId);
    await plain.client.request('ping', {});
    assert.deepEqual(plain.client.received('permissionsChanged'), []);
    for (const c of [plain.client, limited.client]) c.disconnect();
  });

  it('bad permissions from the join hook refuse the join (INTERNAL), nothing is seated', async () => {
    const roomId = newRoomId();
    const client = new TestClient(server);
    await assert.rejects(
      client.join(roomId, { token: JSON.stringify({ publish: ['smell'] }) }),
      hasCode(ErrorCode.Internal),
    );
    assert.equal(server.room(roomId), undefined);
    client.disconnect();
  });
});

describe('server.setPermissions', () => {
  it('revoking video closes that producer at once; owner and consumers are told', async () => {
    const roomId = newRoomId();
    const alice = await joinAs(roomId);
    const bob = await joinAs(roomId);
    const changes: ServerEventMap['permissionsChanged'][] = [];
    const listener = (event: ServerEventMap['permissionsChanged']) => {
      changes.push(event);
    };
    server.events.on('permissionsChanged', listener);
    try {
      const video = await produceVideo(alice.client, alice.sendTransportId, 'camera');
      const audio = await produceAudio(alice.client, alice.sendTransportId, 'microphone');
      await waitFor(() => bob.client.consumers.length === 2, 'bob consuming both');
      const after = server.setPermissions(roomId, alice.client.peerId, { publish: ['audio'] });
      assert.deepEqual(after.publish, ['audio']);
      const aliceSide = serverPeer(server, roomId, alice.client.peerId);
      assert.deepEqual([...aliceSide.producers.keys()], [audio.producerId]);
      await waitFor(() => alice.client.received('producerClosed')[0], 'producerClosed');
      assert.deepEqual(alice.client.received('producerClosed'), [{ producerId: video.producerId }]);
      const videoConsumer = bob.client.consumers.find((c) => c.producerId === video.producerId);
      await waitFor(() => bob.client.received('consumerClosed')[0], 'consumerClosed');
      assert.deepEqual(bob.client.received('consumerClosed'), [{ consumerId: videoConsumer?.id }]);
      const told = await waitFor(() => alice.client.received('permissionsChanged')[0], 'told');
      assert.deepEqual(told.permissions.publish, ['audio']);
      await assert.rejects(
        produceVideo(alice.client, alice.sendTransportId, 'camera'),
        hasCode(ErrorCode.Forbidden),
      );
      await waitFor(() => changes.length === 1, 'permissionsChanged event');
      assert.equal(changes[0]?.peerId, alice.client.peerId);
      // Granted again: publishing works again.
      server.setPermissions(roomId, alice.client.peerId, { publish: ['audio', 'video'] });
      await produceVideo(alice.client, alice.sendTransportId, 'camera');
      for (const c of [alice.client, bob.client]) c.disconnect();
    } finally {
      server.events.off('permissionsChanged', listener);
    }
  });

  it('revoking subscribe closes every consumer (told); granting it back consumes the room', async () => {
    const roomId = newRoomId();
    const alice = await joinAs(roomId);
    const bob = await joinAs(roomId);
    await produceVideo(alice.client, alice.sendTransportId);
    await alice.client.request('produceData', {
      transportId: alice.sendTransportId,
      sctpStreamParameters: { streamId: 1, ordered: true },
    });
    await waitFor(
      () => bob.client.consumers.length === 1 && bob.client.dataConsumers.length === 1,
      'bob consuming',
    );
    server.setPermissions(roomId, bob.client.peerId, { subscribe: false });
    const bobSide = serverPeer(server, roomId, bob.client.peerId);
    assert.equal(bobSide.consumers.size, 0);
    assert.equal(bobSide.dataConsumers.size, 0);
    await waitFor(() => bob.client.received('dataConsumerClosed')[0], 'dataConsumerClosed');
    assert.equal(bob.client.received('consumerClosed').length, 1);
    server.setPermissions(roomId, bob.client.peerId, { subscribe: true });
    await waitFor(() => bob.client.consumers.length === 2, 'consuming again');
    await waitFor(() => bobSide.consumers.size === 1, 'server consumer again');
    for (const c of [alice.client, bob.client]) c.disconnect();
  });

  it('revoking data closes the data producers; hiding a peer tells the others it left, showing it joined', async () => {
    const roomId = newRoomId();
    const alice = await joinAs(roomId);
    const bob = await joinAs(roomId);
    await alice.client.request('produceData', {
      transportId: alice.sendTransportId,
      sctpStreamParameters: { streamId: 1, ordered: true },
    });
    server.setPermissions(roomId, alice.client.peerId, { publishData: false });
    assert.equal(serverPeer(server, roomId, alice.client.peerId).dataProducers.size, 0);

    await waitFor(() => alice.client.received('peerJoined').length === 1, 'bob announced');
    server.setPermissions(roomId, bob.client.peerId, { hidden: true });
    await waitFor(() => alice.client.received('peerLeft')[0], 'peerLeft');
    assert.deepEqual(alice.client.received('peerLeft'), [{ peerId: bob.client.peerId }]);
    const carol = await joinAs(roomId);
    assert.deepEqual(
      carol.joined.peers.map((p) => p.peerId),
      [alice.client.peerId],
    );
    server.setPermissions(roomId, bob.client.peerId, { hidden: false });
    await waitFor(() => alice.client.received('peerJoined').length === 3, 'bob, carol, bob');
    assert.equal(alice.client.received('peerJoined')[2]?.peerId, bob.client.peerId);
    for (const c of [alice.client, bob.client, carol.client]) c.disconnect();
  });

  it('an unknown peer is NOT_FOUND; a bad patch is INVALID_DATA and changes nothing', async () => {
    const roomId = newRoomId();
    const alice = await joinAs(roomId);
    assert.throws(
      () => server.setPermissions(roomId, 'nobody', { subscribe: false }),
      hasCode(ErrorCode.NotFound),
    );
    assert.throws(
      () => server.setPermissions(roomId, alice.client.peerId, { publish: ['smell' as 'audio'] }),
      hasCode(ErrorCode.InvalidData),
    );
    assert.deepEqual(
      serverPeer(server, roomId, alice.client.peerId).permissions,
      DEFAULT_PERMISSIONS,
    );
    await alice.client.request('ping', {});
    assert.deepEqual(alice.client.received('permissionsChanged'), []);
    alice.client.disconnect();
  });
});
