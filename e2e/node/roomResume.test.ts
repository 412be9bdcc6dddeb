/**
 * Issue 7 end to end: RoomClients in Node (FakeHandler: every server object
 * is real, no media flows) against the REAL SfuServer on a mediasoup 3.8.4
 * worker, over real WebSockets (`ws`):
 *  - a connection closed by the server, or by the client, is resumed: same
 *    peer, producer and consumer ids, the other peer sees nothing leave;
 *  - the worker killed (SIGKILL): both clients rejoin by themselves on the
 *    replacement worker and publish the same tracks again;
 *  - the server gone for good: RECONNECT_GAVE_UP, pending calls rejected,
 *    tracks still live.
 * The server is built here (not startVideoRoomServer) so the test can stop
 * it without its goodbye (`roomClosed`), as a crash or a network cut would.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, it } from 'node:test';
import { FakeHandler, testFakeParameters } from '@vroom/client';
import { FakeMediaStreamTrack } from '@vroom/client/handlers/FakeMediaStreamTrack';
import { RoomClient, type RoomClientOptions, type RoomError } from '@vroom/client/room';
import { createSfuServer, type SfuServer } from '@vroom/server-adapter';
import { serveWebSocket } from '@vroom/server-adapter/ws';
import { WebSocket, WebSocketServer } from 'ws';
import { eventually, waitForEvent } from '../support/roomEvents.js';

type Rig = {
  sfu: SfuServer;
  http: Server;
  wss: WebSocketServer;
  url: string;
  stop(): Promise<void>;
};

async function startRig(port = 0): Promise<Rig> {
  const sfu = await createSfuServer({
    workers: 1,
    workerSettings: { logLevel: 'warn', rtcMinPort: 42000, rtcMaxPort: 42999 },
    webRtcTransport: { listenIps: [{ ip: '127.0.0.1' }] },
  });
  const http = createServer();
  const wss = new WebSocketServer({ server: http, path: '/ws' });
  serveWebSocket(sfu, wss);
  await new Promise<void>((resolve) => http.listen(port, '127.0.0.1', resolve));
  const address = http.address() as AddressInfo;
  let stopped = false;
  return {
    sfu,
    http,
    wss,
    url: `ws://127.0.0.1:${address.port}/ws`,
    /** Gone without a word: sockets cut, port closed, then the SFU closed. */
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const client of wss.clients) client.terminate();
      wss.close();
      await new Promise((resolve) => http.close(resolve));
      sfu.close();
    },
  };
}

/** `ws`'s WebSocket, remembering each socket so a test can close one from the client side. */
function recordingWebSocket() {
  const sockets: WebSocket[] = [];
  class Recording extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols);
      sockets.push(this);
    }
  }
  return { WebSocket: Recording, sockets };
}

const rooms: RoomClient[] = [];
const rigs: Rig[] = [];

afterEach(async () => {
  for (const room of rooms.splice(0)) await room.leave().catch(() => undefined);
  for (const rig of rigs.splice(0)) await rig.stop();
});

function client(rig: Rig, roomId: string, name: string, extra: Partial<RoomClientOptions> = {}) {
  const ws = recordingWebSocket();
  const room = new RoomClient({
    url: rig.url,
    WebSocket: ws.WebSocket,
    roomId,
    displayName: name,
    device: { handlerFactory: FakeHandler.createFactory(testFakeParameters) },
    ...extra,
  });
  rooms.push(room);
  return { room, sockets: ws.sockets };
}

function tracks() {
  return {
    camera: new FakeMediaStreamTrack({ kind: 'video' }).asTrack(),
    microphone: new FakeMediaStreamTrack({ kind: 'audio' }).asTrack(),
  };
}

/** Alice and Bob in `roomId`, each sending camera and microphone, each receiving the other's two. */
async function twoPeers(rig: Rig, roomId: string, extra: Partial<RoomClientOptions> = {}) {
  const alice = client(rig, roomId, 'Alice', extra);
  const bob = client(rig, roomId, 'Bob', extra);
  await alice.room.join();
  await bob.room.join();
  const aliceTracks = tracks();
  const bobTracks = tracks();
  await Promise.all([
    alice.room.enableCamera({ track: aliceTracks.camera }),
    alice.room.enableMicrophone({ track: aliceTracks.microphone }),
    bob.room.enableCamera({ track: bobTracks.camera }),
    bob.room.enableMicrophone({ track: bobTracks.microphone }),
  ]);
  await eventually(
    () => alice.room.peers[0]?.tracks.length === 2 && bob.room.peers[0]?.tracks.length === 2,
    'each receives the other two tracks',
  );
  return { alice, bob, aliceTracks, bobTracks };
}

/** What identifies the media of a room, as the app and as the server see it. */
function ids(rig: Rig, roomId: string, room: RoomClient) {
  const peer = rig.sfu.room(roomId)?.peers.find((p) => p.id === room.peerId);
  return {
    peerId: room.peerId,
    producers: room.localTracks.map((t) => t.producerId).sort(),
    consumers: room.peers.flatMap((p) => p.tracks.map((t) => t.consumerId)).sort(),
    serverProducers: [...(peer?.producers.keys() ?? [])].sort(),
    serverConsumers: [...(peer?.consumers.keys() ?? [])].sort(),
  };
}

function journal(room: RoomClient): string[] {
  const seen: string[] = [];
  for (const name of ['peerleft', 'peerjoined', 'trackadded', 'trackremoved'] as const) {
    room.on(name, () => seen.push(name));
  }
  return seen;
}

describe('RoomClient recovery against the real SfuServer and worker', () => {
  it('a connection closed by the server, then by the client: resumed with the same ids; the other notices nothing', async (t) => {
    const rig = await startRig();
    rigs.push(rig);
    const roomId = 'resume';
    const { alice, bob } = await twoPeers(rig, roomId);
    const before = ids(rig, roomId, alice.room);
    assert.equal(before.serverProducers.length, 2);
    assert.deepEqual(before.producers, before.serverProducers);
    assert.deepEqual(before.consumers, before.serverConsumers);
    const aliceSaw = journal(alice.room);
    const bobSaw = journal(bob.room);

    // 1. The server drops Alice's connection; Bob mutes meanwhile.
    const resumed = waitForEvent(alice.room, 'reconnected');
    const serverPeer = rig.sfu.room(roomId)?.peers.find((p) => p.id === alice.room.peerId);
    serverPeer?.dropConnection(1001, 'test: connection dropped');
    await bob.room.muteMicrophone();
    const [{ how, afterMs }] = await resumed;
    assert.equal(how, 'resumed');
    t.diagnostic(`resumed ${afterMs} ms after the server dropped the connection`);
    assert.deepEqual(ids(rig, roomId, alice.room), before);
    await eventually(
      () => alice.room.peer(bob.room.peerId ?? '')?.track('microphone')?.producerPaused === true,
      "Bob's mute reached Alice (live or replayed)",
    );

    // 2. Alice's own socket closes (client side).
    const again = waitForEvent(alice.room, 'reconnected');
    alice.sockets.at(-1)?.close();
    assert.equal((await again)[0].how, 'resumed');
    assert.deepEqual(ids(rig, roomId, alice.room), before);
    assert.equal(alice.sockets.length, 3, 'one new socket per resume');

    assert.deepEqual(aliceSaw, [], 'Alice saw no track or peer come or go');
    assert.deepEqual(bobSaw, [], 'Bob saw no peerleft (nor anything else)');
    // Still fully working: a new track of Bob's reaches Alice on the resumed connection.
    const added = waitForEvent(alice.room, 'trackadded');
    await bob.room.enableScreenShare({
      track: new FakeMediaStreamTrack({ kind: 'video' }).asTrack(),
    });
    assert.equal((await added)[0].source, 'screen');
  });

  it('the worker killed (SIGKILL): both rejoin by themselves and publish the same tracks again', async (t) => {
    const rig = await startRig();
    rigs.push(rig);
    const roomId = 'worker-death';
    const { alice, bob, aliceTracks, bobTracks } = await twoPeers(rig, roomId);
    const oldPeerIds = [alice.room.peerId, bob.room.peerId];
    const pid = rig.sfu.room(roomId)?.worker.pid;
    assert.ok(pid);
    const rejoined = Promise.all(
      [alice.room, bob.room].map((room) => waitForEvent(room, 'reconnected', () => true, 30_000)),
    );
    process.kill(pid, 'SIGKILL');
    const outcomes = await rejoined;
    t.diagnostic(
      `rejoined after ${outcomes.map(([e]) => `${e.afterMs} ms (${e.attempts} attempts)`).join(', ')}`,
    );
    assert.deepEqual(
      outcomes.map(([e]) => e.how),
      ['rejoined', 'rejoined'],
    );
    assert.notDeepEqual([alice.room.peerId, bob.room.peerId], oldPeerIds, 'new peers');
    const view = () =>
      JSON.stringify(
        [alice.room, bob.room].map((room) => ({
          peerId: room.peerId,
          local: room.localTracks.map((t) => t.source),
          peers: room.peers.map((p) => [p.id, p.tracks.map((t) => t.source)]),
        })),
      );
    await eventually(
      () =>
        alice.room.peers.length === 1 &&
        bob.room.peers.length === 1 &&
        alice.room.peers[0]?.tracks.length === 2 &&
        bob.room.peers[0]?.tracks.length === 2,
      'each receives the other two tracks again',
      30_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}; rooms: ${view()}`);
    });
    // The same MediaStreamTracks, still live, sent from the new worker's router.
    assert.equal(alice.room.localTrack('camera')?.track, aliceTracks.camera);
    assert.equal(bob.room.localTrack('microphone')?.track, bobTracks.microphone);
    for (const track of [...Object.values(aliceTracks), ...Object.values(bobTracks)]) {
      assert.equal(track.readyState, 'live');
    }
    const roomView = rig.sfu.room(roomId);
    assert.notEqual(roomView?.worker.pid, pid, 'the room lives on the replacement worker');
    assert.deepEqual(
      ids(rig, roomId, alice.room).serverProducers,
      ids(rig, roomId, alice.room).producers,
    );
  });

  it('the server gone for good: RECONNECT_GAVE_UP, pending calls rejected, tracks still live', async () => {
    const rig = await startRig();
    rigs.push(rig);
    const roomId = 'gone';
    const { alice, aliceTracks } = await twoPeers(rig, roomId, {
      reconnect: { maxDurationMs: 4000 },
    });
    const reconnecting = waitForEvent(alice.room, 'reconnecting');
    const gaveUp = waitForEvent(
      alice.room,
      'error',
      (e: RoomError) => e.code === 'RECONNECT_GAVE_UP',
    );
    await rig.stop();
    await reconnecting;
    const pending = [
      alice.room.sendChat('anyone?').catch((e: unknown) => e),
      alice.room.pauseCamera().catch((e: unknown) => e),
    ];
    const [error] = await gaveUp;
    assert.match(error.message, /gave up reconnecting/);
    for (const result of await Promise.all(pending)) {
      assert.equal((result as RoomError).code, 'RECONNECT_GAVE_UP');
    }
    assert.equal(alice.room.connectionState, 'failed');
    assert.equal(aliceTracks.camera.readyState, 'live');
    assert.equal(aliceTracks.microphone.readyState, 'live');
  });
});
