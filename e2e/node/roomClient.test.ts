/**
 * RoomClient against the REAL server: `startVideoRoomServer` (SfuServer on a
 * mediasoup 3.8.4 worker, WebSocket signaling on 127.0.0.1) and RoomClients
 * in Node over `ws`. The FakeHandler clients exchange no media, but every
 * server object is real (the router dump proves producers and consumers);
 * the @roamhq/wrtc clients (Node handler) send and decode real video and
 * real data channel messages.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeHandler, testFakeParameters } from '@vroom/client';
import { FakeMediaStreamTrack } from '@vroom/client/handlers/FakeMediaStreamTrack';
import { RoomClient, type RoomClientOptions } from '@vroom/client/room';
import { WebSocket } from 'ws';
import { startVideoRoomServer, type VideoRoomServer } from '../../examples/video-room/app.js';
import { eventually, waitForEvent } from '../support/roomEvents.js';

let server: VideoRoomServer;
let wsUrl: string;
const rooms: RoomClient[] = [];

before(async () => {
  server = await startVideoRoomServer({
    host: '127.0.0.1',
    port: 0,
    sfu: { workers: 1, workerSettings: { rtcMinPort: 41000, rtcMaxPort: 41999 } },
  });
  wsUrl = `${server.url.replace('http', 'ws')}ws`;
});

after(async () => {
  for (const room of rooms) await room.leave().catch(() => undefined);
  await server?.close();
});

function client(
  roomId: string,
  displayName: string,
  extra: Partial<RoomClientOptions> = {},
): RoomClient {
  const room = new RoomClient({
    url: wsUrl,
    WebSocket,
    roomId,
    displayName,
    device: { handlerFactory: FakeHandler.createFactory(testFakeParameters) },
    ...extra,
  });
  rooms.push(room);
  return room;
}

/** mediasoup's own view of the room's router. */
async function routerCounts(roomId: string) {
  const view = server.sfu.room(roomId);
  if (!view)
    return { producers: 0, consumers: 0, dataProducers: 0, dataConsumers: 0, transports: 0 };
  const dump = (await view.router.dump()) as unknown as {
    transportIds: string[];
    mapProducerIdConsumerIds: Record<string, string[]> | [string, string[]][];
    mapConsumerIdProducerId: Record<string, string> | [string, string][];
    mapDataProducerIdDataConsumerIds: Record<string, string[]> | [string, string[]][];
    mapDataConsumerIdDataProducerId: Record<string, string> | [string, string][];
  };
  const size = (map: object) => (Array.isArray(map) ? map.length : Object.keys(map).length);
  return {
    transports: dump.transportIds.length,
    producers: size(dump.mapProducerIdConsumerIds),
    consumers: size(dump.mapConsumerIdProducerId),
    dataProducers: size(dump.mapDataProducerIdDataConsumerIds),
    dataConsumers: size(dump.mapDataConsumerIdDataProducerId),
  };
}

function serverPeer(roomId: string, peerId: string | undefined) {
  return server.sfu.room(roomId)?.peers.find((peer) => peer.id === peerId);
}

describe('RoomClient <-> real SfuServer (FakeHandler clients, real mediasoup objects)', () => {
  const roomId = 'fake-room';
  let alice: RoomClient;
  let bob: RoomClient;
  let carol: RoomClient;

  it('three clients join and see each other', async () => {
    alice = client(roomId, 'Alice');
    bob = client(roomId, 'Bob');
    carol = client(roomId, 'Carol');
    await alice.join();
    const aliceSeesBob = waitForEvent(alice, 'peerjoined', (p) => p.displayName === 'Bob');
    await bob.join();
    await aliceSeesBob;
    const seen = Promise.all([
      waitForEvent(alice, 'peerjoined', (p) => p.displayName === 'Carol'),
      waitForEvent(bob, 'peerjoined', (p) => p.displayName === 'Carol'),
    ]);
    await carol.join();
    await seen;
    for (const room of [alice, bob, carol]) {
      assert.equal(room.connectionState, 'connected');
      assert.equal(room.peers.length, 2, `${room.displayName} sees two peers`);
    }
    assert.deepEqual(carol.peers.map((p) => p.displayName).sort(), ['Alice', 'Bob']);
    assert.equal(
      (await routerCounts(roomId)).transports,
      6,
      'two transports per peer, from the join alone',
    );
  });

  it("Alice's camera and microphone reach Bob and Carol as tracks with their source", async () => {
    const arrivals = [bob, carol].flatMap((room) =>
      (['camera', 'microphone'] as const).map((source) =>
        waitForEvent(room, 'trackadded', (e) => e.peer.id === alice.peerId && e.source === source),
      ),
    );
    const [camera, microphone] = await Promise.all([
      alice.enableCamera({ track: new FakeMediaStreamTrack({ kind: 'video' }).asTrack() }),
      alice.enableMicrophone({ track: new FakeMediaStreamTrack({ kind: 'audio' }).asTrack() }),
    ]);
    const events = await Promise.all(arrivals);
    assert.deepEqual(
      events.map(([e]) => `${e.kind}:${e.source}`),
      ['video:camera', 'audio:microphone', 'video:camera', 'audio:microphone'],
    );
    assert.equal(bob.peer(alice.peerId ?? '')?.tracks.length, 2);
    const counts = await routerCounts(roomId);
    assert.equal(counts.producers, 2);
    assert.equal(counts.consumers, 4);
    const producer = serverPeer(roomId, alice.peerId)?.producers.get(camera.producerId);
    assert.equal(producer?.kind, 'video');
    assert.equal(producer?.rtpParameters.encodings?.length, 3, 'three simulcast encodings');
    assert.ok(serverPeer(roomId, alice.peerId)?.producers.has(microphone.producerId));
    // The server resumed each consumer once the client answered newConsumer.
    await eventually(
      () => [...(serverPeer(roomId, bob.peerId)?.consumers.values() ?? [])].every((c) => !c.paused),
      "Bob's consumers resumed",
    );
  });

  it('mute shows as paused on the others, unmute as resumed', async () => {
    const paused = [bob, carol].map((room) =>
      waitForEvent(
        room,
        'trackpaused',
        (e) => e.peer.id === alice.peerId && e.source === 'microphone',
      ),
    );
    await alice.muteMicrophone();
    await Promise.all(paused);
    const micProducerId = alice.localTrack('microphone')?.producerId ?? '';
    assert.equal(serverPeer(roomId, alice.peerId)?.producers.get(micProducerId)?.paused, true);
    assert.equal(bob.peer(alice.peerId ?? '')?.track('microphone')?.producerPaused, true);

    const resumed = [bob, carol].map((room) =>
      waitForEvent(
        room,
        'trackresumed',
        (e) => e.peer.id === alice.peerId && e.source === 'microphone',
      ),
    );
    await alice.unmuteMicrophone();
    await Promise.all(resumed);
    assert.equal(serverPeer(roomId, alice.peerId)?.producers.get(micProducerId)?.paused, false);
  });

  it('each peer opens its chat channel at join: real data producers, consumed by the others', async () => {
    // FakeHandler has no SCTP, so the text itself is delivered in roomClient.wrtc.test.ts.
    await eventually(
      async () => (await routerCounts(roomId)).dataProducers === 3,
      'one chat data producer per peer',
    );
    await eventually(
      async () => (await routerCounts(roomId)).dataConsumers === 6,
      'each consumed by the two others',
    );
    await alice.sendChat('hello');
    assert.equal((await routerCounts(roomId)).dataProducers, 3, 'sending reuses the channel');
    await eventually(
      () => bob.peer(alice.peerId ?? '')?.dataConsumers.length === 1,
      'Bob holds a data consumer of Alice',
    );
    assert.equal(serverPeer(roomId, alice.peerId)?.dataProducers.size, 1);
  });

  it('camera off removes the track everywhere', async () => {
    const removed = [bob, carol].map((room) =>
      waitForEvent(
        room,
        'trackremoved',
        (e) => e.peer.id === alice.peerId && e.source === 'camera',
      ),
    );
    await alice.disableCamera();
    await Promise.all(removed);
    assert.equal(bob.peer(alice.peerId ?? '')?.track('camera'), undefined);
    const counts = await routerCounts(roomId);
    assert.equal(counts.producers, 1);
    assert.equal(counts.consumers, 2);
  });

  it('leave removes the peer everywhere and the server holds nothing of it', async () => {
    const aliceHearsCarol = waitForEvent(alice, 'trackadded', (e) => e.peer.id === carol.peerId);
    await carol.enableMicrophone({ track: new FakeMediaStreamTrack({ kind: 'audio' }).asTrack() });
    await aliceHearsCarol;
    const carolId = carol.peerId;
    const gone = [alice, bob].map((room) =>
      waitForEvent(room, 'peerleft', (p) => p.id === carolId),
    );
    const before = await routerCounts(roomId);
    await carol.leave();
    await Promise.all(gone);
    assert.equal(carol.connectionState, 'disconnected');
    assert.equal(alice.peer(carolId ?? ''), undefined);
    assert.equal(serverPeer(roomId, carolId), undefined);
    await eventually(async () => {
      const after = await routerCounts(roomId);
      // Carol's transports and producer go; with them the consumers of both sides.
      return after.transports === before.transports - 2 && after.producers === before.producers - 1;
    }, "Carol's transports and producer closed");
    const after = await routerCounts(roomId);
    assert.equal(after.transports, 4);
    assert.equal(after.producers, 1, "only Alice's microphone");
    assert.equal(after.consumers, 1, "only Bob's consumer of it");
    assert.equal(after.dataProducers, 2, "Alice's and Bob's chat channels");
    assert.equal(after.dataConsumers, 2, 'each consumed by the other');
  });
});
