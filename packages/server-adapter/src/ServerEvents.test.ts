import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createSfuServer, type SfuServer } from './index.js';
import { type ServerEventMap, type ServerEventName, ServerEvents } from './ServerEvents.js';
import { opusParameters, vp8Parameters } from './test/fixtures.js';
import { joinWithMedia } from './test/rooms.js';
import { FAST_SESSIONS } from './test/sessions.js';
import { TestClient, waitFor } from './test/TestClient.js';

let server: SfuServer;
let roomCount = 0;
const newRoomId = () => `events-${++roomCount}`;

before(async () => {
  server = await createSfuServer({
    workers: 1,
    workerSettings: { logLevel: 'warn' },
    session: FAST_SESSIONS,
  });
});
after(() => server.close());

type Recorded = { name: ServerEventName; event: ServerEventMap[ServerEventName] };

/** Records every event of the server whose roomId is `roomId` (or has none). */
function record(events: ServerEvents, roomId: string): Recorded[] {
  const seen: Recorded[] = [];
  const names: ServerEventName[] = [
    'roomCreated',
    'roomClosed',
    'peerJoined',
    'peerLeft',
    'peerReconnecting',
    'peerResumed',
    'producerCreated',
    'producerPaused',
    'producerResumed',
    'producerClosed',
    'dataProducerCreated',
  ];
  for (const name of names) {
    events.on(name, (event) => {
      if ((event as { roomId?: string }).roomId === roomId) seen.push({ name, event });
    });
  }
  return seen;
}

describe('server events', () => {
  it('tell a join / produce / pause / leave flow in order, with ids', async () => {
    const roomId = newRoomId();
    const seen = record(server.events, roomId);
    const alice = await joinWithMedia(server, roomId);
    const bob = await joinWithMedia(server, roomId);
    const { producerId } = await alice.client.request('produce', {
      transportId: alice.sendTransportId,
      kind: 'video',
      rtpParameters: vp8Parameters(),
      appData: { source: 'camera' },
    });
    await alice.client.request('pauseProducer', { producerId });
    await alice.client.request('resumeProducer', { producerId });
    const { dataProducerId } = await alice.client.request('produceData', {
      transportId: alice.sendTransportId,
      sctpStreamParameters: { streamId: 1, ordered: true },
      label: 'chat',
    });
    await alice.client.request('leave', {});
    await bob.client.request('leave', {});
    await waitFor(() => seen.some((s) => s.name === 'roomClosed'), 'roomClosed');

    assert.deepEqual(
      seen.map((s) => s.name),
      [
        'roomCreated',
        'peerJoined',
        'peerJoined',
        'producerCreated',
        'producerPaused',
        'producerResumed',
        'dataProducerCreated',
        'producerClosed',
        'peerLeft',
        'peerLeft',
        'roomClosed',
      ],
    );
    const a = alice.client.peerId;
    const ids = { roomId, peerId: a, producerId };
    assert.deepEqual(seen[1]?.event, {
      roomId,
      peerId: a,
      displayName: 'tester',
      appData: {},
      hidden: false,
    });
    assert.deepEqual(seen[3]?.event, {
      ...ids,
      kind: 'video',
      source: 'camera',
      appData: { source: 'camera' },
    });
    assert.deepEqual(seen[4]?.event, ids);
    assert.deepEqual(seen[6]?.event, { roomId, peerId: a, dataProducerId, label: 'chat' });
    assert.deepEqual(seen[7]?.event, ids);
    assert.deepEqual(seen[8]?.event, { roomId, peerId: a, reason: 'left' });
    assert.deepEqual(seen[10]?.event, { roomId, reason: 'closed' });
  });

  it('tell a dropped connection (reconnecting), its resume, and its session ending', async () => {
    const roomId = newRoomId();
    const seen = record(server.events, roomId);
    const bob = await joinWithMedia(server, roomId); // keeps the room open
    const carol = new TestClient(server);
    await carol.join(roomId);
    carol.disconnect();
    await waitFor(() => seen.some((s) => s.name === 'peerReconnecting'), 'peerReconnecting');
    // FAST_SESSIONS: no media, so the session ends within a few hundred ms.
    const left = await waitFor(() => seen.find((s) => s.name === 'peerLeft'), 'peerLeft');
    assert.deepEqual(left.event, { roomId, peerId: carol.peerId, reason: 'sessionEnded' });

    const dave = new TestClient(server);
    await dave.join(roomId);
    const token = dave.sessionToken;
    dave.disconnect();
    await waitFor(
      () => seen.some((s) => s.name === 'peerReconnecting' && eventPeer(s) === dave.peerId),
      'dave reconnecting',
    );
    const again = new TestClient(server);
    await again.resume(token, dave.lastSeq);
    const resumed = await waitFor(() => seen.find((s) => s.name === 'peerResumed'), 'resumed');
    assert.deepEqual(resumed.event, { roomId, peerId: dave.peerId });
    for (const c of [bob.client, again]) c.disconnect();
  });

  it('a throwing listener and a slow one do not break a join, nor the other listeners', async () => {
    const roomId = newRoomId();
    let slowSettled = false;
    const throwing = () => {
      throw new Error('listener bug');
    };
    const rejecting = async () => {
      throw new Error('async listener bug');
    };
    // Never settles while the test runs: a join must not wait for it.
    const slow = () =>
      new Promise<void>((resolve) =>
        setTimeout(() => {
          slowSettled = true;
          resolve();
        }, 60_000).unref(),
      );
    const heard: string[] = [];
    const good = (event: ServerEventMap['peerJoined']) => {
      if (event.roomId === roomId) heard.push(event.peerId);
    };
    server.events.on('peerJoined', throwing);
    server.events.on('peerJoined', rejecting);
    server.events.on('peerJoined', slow);
    server.events.on('peerJoined', good);
    server.events.on('roomCreated', throwing);
    try {
      const alice = await joinWithMedia(server, roomId);
      const bob = new TestClient(server);
      await bob.join(roomId);
      await bob.request('ping', {});
      await alice.client.request('produce', {
        transportId: alice.sendTransportId,
        kind: 'audio',
        rtpParameters: opusParameters(),
      });
      await waitFor(() => heard.length === 2, 'the good listener heard both joins');
      assert.deepEqual(heard, [alice.client.peerId, bob.peerId]);
      assert.equal(slowSettled, false, 'the slow listener was still pending');
      assert.equal(server.room(roomId)?.peers.length, 2);
      for (const c of [alice.client, bob]) c.disconnect();
    } finally {
      server.events.off('peerJoined', throwing);
      server.events.off('peerJoined', rejecting);
      server.events.off('peerJoined', slow);
      server.events.off('peerJoined', good);
      server.events.off('roomCreated', throwing);
    }
  });

  it('a listener may call back into the server: delivery comes after the step that caused it', async () => {
    const roomId = newRoomId();
    const counts: number[] = [];
    const listener = (event: ServerEventMap['peerJoined']) => {
      if (event.roomId === roomId) counts.push(server.room(roomId)?.peers.length ?? -1);
    };
    server.events.on('peerJoined', listener);
    try {
      const alice = new TestClient(server);
      await alice.join(roomId);
      await waitFor(() => counts.length === 1, 'peerJoined');
      assert.deepEqual(counts, [1]);
      alice.disconnect();
    } finally {
      server.events.off('peerJoined', listener);
    }
  });
});

describe('ServerEvents', () => {
  it('once runs a listener one time; off removes it; delivery is never inside emit', async () => {
    const events = new ServerEvents();
    const got: string[] = [];
    events.once('roomCreated', (e) => {
      got.push(`once ${e.roomId}`);
    });
    const always = (e: ServerEventMap['roomCreated']) => {
      got.push(`on ${e.roomId}`);
    };
    events.on('roomCreated', always);
    events.emit('roomCreated', { roomId: 'a' });
    assert.deepEqual(got, [], 'not delivered inside emit');
    await Promise.resolve();
    events.emit('roomCreated', { roomId: 'b' });
    events.off('roomCreated', always);
    events.emit('roomCreated', { roomId: 'c' });
    await new Promise((resolve) => setImmediate(resolve));
    // Each emit reaches the listeners registered when it was made.
    assert.deepEqual(got, ['once a', 'on a', 'on b']);
    assert.equal(events.listenerCount('roomCreated'), 0);
  });
});

function eventPeer(recorded: Recorded): string | undefined {
  return (recorded.event as { peerId?: string }).peerId;
}
