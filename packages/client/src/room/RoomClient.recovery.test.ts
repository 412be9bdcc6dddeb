import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProtocolError } from '@vroom/protocol';
import type { FakeHandler } from '../handlers/FakeHandler.js';
import type { RoomEventName } from './events.js';
import type { RoomClient } from './RoomClient.js';
import { createRoom, newConsumer, nextEvent, recordEvents, settle } from './test/fixtures.js';
import { joinedWithMedia, nextReconnected } from './test/recoveryRoom.js';
import { ScriptedServer } from './test/ScriptedServer.js';

const TRACK_EVENTS: RoomEventName[] = [
  'trackadded',
  'trackremoved',
  'localtrackpublished',
  'localtrackunpublished',
  'peerjoined',
  'peerleft',
];

/** Every event in `names`, by name, from now on. */
function journal(room: RoomClient, names: RoomEventName[]): string[] {
  const seen: string[] = [];
  for (const name of names) room.on(name, () => seen.push(name));
  return seen;
}

describe('RoomClient recovery: resume', () => {
  it('a dropped channel resumes the same session: same ids, no track events, reconnecting -> connected', async () => {
    const { server, room, bobCamera } = await joinedWithMedia();
    const producerIds = room.localTracks.map((t) => t.producerId);
    const send = room.sendTransport;
    const recv = room.recvTransport;
    const seen = journal(room, TRACK_EVENTS);
    const changes = recordEvents(room, 'connectionstatechange');
    const reconnected = nextReconnected(room);
    server.current.cut('proxy restarted');
    const { how, attempts } = await reconnected;
    assert.equal(how, 'resumed');
    assert.equal(attempts, 1, 'the first retry goes at once');
    assert.deepEqual(
      changes.map(([s]) => s),
      ['reconnecting', 'connected'],
    );
    assert.deepEqual(seen, [], 'the app saw no track (or peer) come or go');
    assert.equal(room.sendTransport, send);
    assert.equal(room.recvTransport, recv);
    assert.deepEqual(
      room.localTracks.map((t) => t.producerId),
      producerIds,
    );
    assert.equal(room.peer('bob')?.track('camera')?.consumerId, bobCamera.id);
    assert.equal(server.requests('join').length, 1, 'no second join');
    assert.equal(server.channels.length, 2, 'a new connection');
    // The resumed connection carries requests as before.
    await room.muteMicrophone();
    assert.equal(server.requests('pauseProducer').length, 1);
  });

  it('sends the last processed notification number, and applies what the server replays once', async () => {
    const { server, room, clock, bobCamera } = await joinedWithMedia();
    server.notify('consumerScore', {
      consumerId: bobCamera.id,
      score: 10,
      producerScore: 10,
      producerScores: [10],
    });
    server.notify('consumerPaused', { consumerId: bobCamera.id });
    await settle();
    assert.equal(room.peer('bob')?.track('camera')?.producerPaused, true);
    // The server is unreachable for a while; things happen meanwhile.
    server.down = true;
    server.current.cut();
    await settle();
    assert.equal(room.connectionState, 'reconnecting');
    server.notify('consumerResumed', { consumerId: bobCamera.id });
    server.notify('peerJoined', { peerId: 'carol', displayName: 'Carol', device: { name: 'x' } });
    const resumed = recordEvents(room, 'trackresumed');
    const joined = recordEvents(room, 'peerjoined');
    server.down = false;
    const reconnected = nextReconnected(room);
    await clock.advance(3000, settle);
    assert.equal((await reconnected).how, 'resumed');
    await settle();
    const [resume] = server.requests('resumeSession');
    assert.equal(resume?.data.lastSeq, 2, 'the two notifications processed before the drop');
    assert.equal(resume?.data.sessionToken, server.sessionToken);
    assert.equal(resumed.length, 1, 'the missed consumerResumed, applied');
    assert.deepEqual(
      joined.map(([p]) => p.id),
      ['carol'],
    );
    // Replayed again (a second drop before the client's number moved): ignored.
    server.endpoint.notify('consumerResumed', { consumerId: bobCamera.id }, 3);
    server.endpoint.notify(
      'peerJoined',
      { peerId: 'dave', displayName: 'D', device: { name: 'x' } },
      4,
    );
    await settle();
    assert.equal(room.peer('dave'), undefined, 'seq 4 was processed already (carol)');
    // The next drop sends the number reached on the resumed connection.
    server.current.cut();
    await nextReconnected(room);
    assert.equal(server.requests('resumeSession')[1]?.data.lastSeq, 4);
  });

  it('a newConsumer re-sent after the resume is answered OK without a second consumer', async () => {
    const { server, room, bobCamera } = await joinedWithMedia();
    const added = recordEvents(room, 'trackadded');
    const handler = room.recvTransport?.handler as FakeHandler | undefined;
    const receivers = handler?.tracks.size;
    server.current.cut();
    await nextReconnected(room);
    assert.deepEqual(await server.request('newConsumer', bobCamera), {});
    assert.equal(room.peer('bob')?.tracks.length, 1);
    assert.equal(added.length, 0);
    assert.equal(handler?.tracks.size, receivers, 'no new receiver in the handler');
  });

  it('a newConsumer still being created when the channel dropped: the re-sent one waits for it', async () => {
    const { server, room, holdReceives } = await joinedWithMedia();
    const release = holdReceives();
    const request = newConsumer('bob', 'audio', { source: 'microphone' });
    const first = server.request('newConsumer', request).catch((e: unknown) => e);
    await settle();
    server.current.cut();
    await nextReconnected(room);
    const again = server.request('newConsumer', request);
    release();
    assert.deepEqual(await again, {});
    assert.ok((await first) instanceof ProtocolError, 'the first answer was lost with its channel');
    assert.equal(room.peer('bob')?.tracks.length, 2);
  });

  it('heartbeat silence (a dead network that says nothing) also resumes', async () => {
    const server = new ScriptedServer();
    const { room } = createRoom(server, { heartbeat: { intervalMs: 50, timeoutMs: 400 } });
    await room.join();
    const reconnected = nextReconnected(room);
    server.current.blackhole = true;
    const [cause] = await nextEvent(room, 'reconnecting');
    assert.equal(cause.cause.code, 'SIGNALING_TIMEOUT');
    assert.equal((await reconnected).how, 'resumed');
    await room.leave();
  });

  it('RATE_LIMITED on resume means "later": the next attempt after a backoff wait succeeds', async () => {
    const { server, room, clock } = await joinedWithMedia();
    let refusals = 1;
    server.on('resumeSession', (data) => {
      if (refusals-- > 0) throw new ProtocolError('RATE_LIMITED', 'slow down');
      return server.resumeAnswer(data);
    });
    const reconnected = nextReconnected(room);
    server.current.cut();
    await settle(20);
    assert.equal(server.requests('resumeSession').length, 1);
    assert.equal(room.connectionState, 'reconnecting');
    await clock.advance(500, settle);
    const { how, attempts, afterMs } = await reconnected;
    assert.deepEqual({ how, attempts, afterMs }, { how: 'resumed', attempts: 2, afterMs: 500 });
  });
});

describe('RoomClient recovery: rejoin', () => {
  it('SESSION_EXPIRED: rejoins at once and publishes the SAME tracks again (never stopped)', async () => {
    const { server, room, camera, microphone, bobCamera } = await joinedWithMedia();
    await room.openDataChannel('game');
    await room.muteMicrophone();
    const cameraTrack = room.localTrack('camera');
    const oldSend = room.sendTransport;
    server.resumable = false;
    const removed = recordEvents(room, 'trackremoved');
    const local = journal(room, ['localtrackpublished', 'localtrackunpublished']);
    const changes = recordEvents(room, 'connectionstatechange');
    const reconnected = nextReconnected(room);
    server.current.cut('server restarted');
    const { how, attempts } = await reconnected;
    assert.equal(how, 'rejoined');
    assert.equal(attempts, 2, 'resume refused, rejoin at once');
    assert.deepEqual(
      changes.map(([s]) => s),
      ['reconnecting', 'connected'],
    );
    assert.equal(server.requests('join').length, 2);
    assert.equal(oldSend?.closed, true);
    assert.notEqual(room.sendTransport, oldSend);
    // Same tracks, same LocalTrack objects, published on the new transport.
    assert.equal(room.localTrack('camera'), cameraTrack);
    assert.equal(room.localTrack('camera')?.track, camera);
    assert.equal(room.localTrack('microphone')?.track, microphone);
    assert.equal(camera.readyState, 'live');
    assert.equal(microphone.readyState, 'live');
    assert.deepEqual(local, [], 'our tracks did not come and go for the app');
    const produced = server.requests('produce');
    assert.deepEqual(
      produced.slice(2).map((r) => [r.data.kind, r.data.appData?.source, r.data.transportId]),
      [
        ['video', 'camera', room.sendTransport?.id],
        ['audio', 'microphone', room.sendTransport?.id],
      ],
    );
    assert.equal(room.localTrack('microphone')?.paused, true, 'muted stays muted');
    assert.equal(
      server.requests('pauseProducer').at(-1)?.data.producerId,
      room.localTrack('microphone')?.producerId,
    );
    await settle();
    assert.ok(
      server
        .requests('produceData')
        .slice(1)
        .some((r) => r.data.label === 'game'),
      'the data label is open again',
    );
    // Bob's track ended with the old transport; the new join's consumer brings it back.
    assert.deepEqual(
      removed.map(([e]) => e.consumerId),
      [bobCamera.id],
    );
    assert.ok(room.peer('bob'), 'Bob is still there');
    const added = nextEvent(room, 'trackadded');
    await server.request('newConsumer', newConsumer('bob', 'video', { source: 'camera' }));
    assert.equal((await added)[0].peer.id, 'bob');
  });

  it('roomClosed workerDied (after transportClosed): rejoins by itself on a new connection', async () => {
    const { server, room, camera } = await joinedWithMedia();
    const closed = recordEvents(room, 'roomclosed');
    const reconnected = nextReconnected(room);
    const send = room.sendTransport?.id ?? '';
    const recv = room.recvTransport?.id ?? '';
    server.notify('transportClosed', { transportId: send });
    server.notify('transportClosed', { transportId: recv });
    server.notify('roomClosed', { reason: 'workerDied' });
    const { how } = await reconnected;
    assert.equal(how, 'rejoined');
    assert.equal(server.requests('resumeSession').length, 0, 'nothing left to resume');
    assert.equal(server.requests('join').length, 2);
    assert.equal(server.channels.length, 2);
    assert.equal(server.requests('leave').length, 1, 'the old session said goodbye');
    assert.equal(room.localTrack('camera')?.track, camera);
    assert.equal(closed.length, 0, 'the room goes on: no roomclosed');
    assert.equal(room.connectionState, 'connected');
  });
});

describe('RoomClient recovery: giving up', () => {
  it('server gone for good: RECONNECT_GAVE_UP after 2 minutes, pending calls rejected at once, tracks left alone', async () => {
    const { server, room, clock, camera, microphone } = await joinedWithMedia();
    server.down = true;
    server.current.cut('server stopped');
    await settle();
    assert.equal(room.connectionState, 'reconnecting');
    // Calls made while reconnecting wait...
    const pending = [
      room.sendData('game', 'hello').catch((e: unknown) => e),
      room.muteMicrophone().catch((e: unknown) => e),
      room.getServerStats({ transport: 'send' }).catch((e: unknown) => e),
    ];
    const error = nextEvent(room, 'error');
    await clock.advance(60_000, settle);
    assert.equal(room.connectionState, 'reconnecting', 'still trying after one minute');
    await clock.advance(65_000, settle);
    const [e] = await error;
    assert.equal(e.code, 'RECONNECT_GAVE_UP');
    assert.match(e.message, /gave up reconnecting after \d+ ms and \d+ attempt/);
    for (const result of await Promise.all(pending)) {
      assert.equal((result as { code?: string }).code, 'RECONNECT_GAVE_UP');
    }
    assert.equal(room.connectionState, 'failed');
    assert.equal(camera.readyState, 'live');
    assert.equal(microphone.readyState, 'live');
    assert.ok(server.channels.length > 40, `${server.channels.length} connections tried`);
    // join() works again once the server is back.
    server.down = false;
    await room.join();
    assert.equal(room.connectionState, 'connected');
  });

  it('leave() while reconnecting stops the loop and rejects the waiting calls', async () => {
    const { server, room, clock } = await joinedWithMedia();
    server.down = true;
    server.current.cut();
    await settle();
    const waiting = room.sendChat('hi').catch((e: unknown) => e);
    await room.leave();
    assert.equal(((await waiting) as { code?: string }).code, 'NOT_JOINED');
    assert.equal(room.connectionState, 'disconnected');
    const tried = server.channels.length;
    await clock.advance(10_000, settle);
    assert.equal(server.channels.length, tried, 'no attempt after leave()');
  });
});
