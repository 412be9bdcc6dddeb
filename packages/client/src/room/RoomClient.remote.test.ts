import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BOB,
  CAROL,
  createRoom,
  fakeTrack,
  newConsumer,
  nextEvent,
  recordEvents,
  settle,
} from './test/fixtures.js';
import { ScriptedServer } from './test/ScriptedServer.js';

async function joinedRoom(options: Parameters<typeof createRoom>[1] = {}) {
  const server = new ScriptedServer();
  server.peers = [BOB, CAROL];
  const test = createRoom(server, options);
  await test.room.join();
  await server.waitFor('setCapabilities');
  return { server, ...test };
}

describe('RoomClient: what the others send', () => {
  it('answers newConsumer only once the consumer exists, and emits trackadded with its source', async () => {
    const { server, room } = await joinedRoom();
    const added = nextEvent(room, 'trackadded');
    const request = newConsumer('bob', 'video', { source: 'camera' });
    const answer = await server.request('newConsumer', request);
    assert.deepEqual(answer, {});
    const [event] = await added;
    assert.equal(event.peer.id, 'bob');
    assert.equal(event.kind, 'video');
    assert.equal(event.source, 'camera');
    assert.equal(event.consumerId, request.id);
    assert.equal(event.track.kind, 'video');
    assert.equal(room.peer('bob')?.track('camera')?.consumerId, request.id);
    // FakeHandler plays a working network: connected once its connect was answered.
    assert.equal(room.recvTransport?.connectionState, 'connected');
    // The recv transport's connect went out without being awaited.
    await server.waitFor('connectWebRtcTransport');
  });

  it('a track of a sender that is paused starts paused; consumerPaused / consumerResumed mirror it', async () => {
    const { server, room } = await joinedRoom();
    const request = newConsumer('bob', 'audio', { source: 'microphone' }, true);
    await server.request('newConsumer', request);
    const track = room.peer('bob')?.track('microphone');
    assert.equal(track?.producerPaused, true);

    const resumed = nextEvent(room, 'trackresumed');
    server.notify('consumerResumed', { consumerId: request.id });
    const [r] = await resumed;
    assert.equal(r.source, 'microphone');
    assert.equal(track?.producerPaused, false);

    const paused = nextEvent(room, 'trackpaused');
    server.notify('consumerPaused', { consumerId: request.id });
    const [p] = await paused;
    assert.equal(p.peer.id, 'bob');
    assert.equal(track?.producerPaused, true);
  });

  it('consumerClosed removes the track (trackremoved) and closes the consumer', async () => {
    const { server, room } = await joinedRoom();
    const request = newConsumer('bob', 'video', { source: 'screen' });
    await server.request('newConsumer', request);
    const consumer = room.peer('bob')?.track('screen')?.consumer;
    const removed = nextEvent(room, 'trackremoved');
    server.notify('consumerClosed', { consumerId: request.id });
    const [event] = await removed;
    assert.equal(event.source, 'screen');
    assert.equal(consumer?.closed, true);
    assert.equal(room.peer('bob')?.tracks.length, 0);
  });

  it('a consumer closed while it was being created never shows up', async () => {
    const { server, room, holdReceives } = await joinedRoom();
    const added = recordEvents(room, 'trackadded');
    const release = holdReceives();
    const request = newConsumer('bob', 'video');
    const answering = server.request('newConsumer', request);
    server.notify('consumerClosed', { consumerId: request.id });
    await settle();
    release();
    await answering;
    await settle();
    assert.equal(added.length, 0);
    assert.equal(room.peer('bob')?.tracks.length, 0);
  });

  it('refuses a consumer of an unknown peer (the server then closes it) and reports it', async () => {
    const { server, room } = await joinedRoom();
    const errors = recordEvents(room, 'error');
    await assert.rejects(server.request('newConsumer', newConsumer('mallory', 'video')), {
      code: 'INTERNAL',
    });
    assert.equal(errors[0]?.[0].code, 'CONSUME_FAILED');
  });

  it('peerLeft removes its tracks first (trackremoved), then the peer (peerleft)', async () => {
    const { server, room } = await joinedRoom();
    await server.request('newConsumer', newConsumer('bob', 'video', { source: 'camera' }));
    await server.request('newConsumer', newConsumer('bob', 'audio', { source: 'microphone' }));
    const order: string[] = [];
    room.on('trackremoved', ({ source }) => order.push(`trackremoved:${source}`));
    room.on('peerleft', (peer) => order.push(`peerleft:${peer.id}`));
    const left = nextEvent(room, 'peerleft');
    server.notify('peerLeft', { peerId: 'bob' });
    await left;
    assert.deepEqual(order, ['trackremoved:camera', 'trackremoved:microphone', 'peerleft:bob']);
    assert.deepEqual(
      room.peers.map((p) => p.id),
      ['carol'],
    );
  });

  it('mirrors layers and scores', async () => {
    const { server, room } = await joinedRoom();
    const request = newConsumer('carol', 'video', { source: 'camera' });
    await server.request('newConsumer', request);

    const layers = nextEvent(room, 'layerschange');
    server.notify('consumerLayersChanged', {
      consumerId: request.id,
      spatialLayer: 2,
      temporalLayer: 1,
    });
    const [l] = await layers;
    assert.equal(l.peer.id, 'carol');
    assert.equal(l.spatialLayer, 2);
    assert.equal(room.peer('carol')?.track('camera')?.spatialLayer, 2);

    const score = nextEvent(room, 'score');
    server.notify('consumerScore', {
      consumerId: request.id,
      score: 9,
      producerScore: 10,
      producerScores: [10],
    });
    const [s] = await score;
    assert.equal(s.type, 'consumer');
    assert.equal(s.type === 'consumer' && s.peer?.id, 'carol');
    assert.equal(room.peer('carol')?.track('camera')?.score, 9);
  });

  it('activeSpeaker and audioLevels name the peer; a speaker who leaves becomes null', async () => {
    const { server, room } = await joinedRoom();
    const speaker = nextEvent(room, 'activespeaker');
    server.notify('activeSpeaker', { peerId: 'carol', producerId: 'p1' });
    assert.deepEqual(await speaker, ['carol']);
    assert.equal(room.activeSpeaker, 'carol');

    const levels = nextEvent(room, 'audiolevels');
    server.notify('audioLevels', { volumes: [{ peerId: 'carol', producerId: 'p1', volume: -20 }] });
    const [[level]] = await levels;
    assert.equal(level?.peer?.displayName, 'Carol');
    assert.equal(level?.volume, -20);

    const silent = nextEvent(room, 'activespeaker');
    server.notify('peerLeft', { peerId: 'carol' });
    assert.deepEqual(await silent, [null]);
  });

  it('without reconnect: transportClosed of the send transport unpublishes our tracks; the room stays joined', async () => {
    const { server, room } = await joinedRoom({ reconnect: false });
    const mic = await room.enableMicrophone({ track: fakeTrack('audio') });
    const send = room.sendTransport;
    const unpublished = nextEvent(room, 'localtrackunpublished');
    server.notify('transportClosed', { transportId: send?.id ?? '' });
    assert.equal((await unpublished)[0], mic);
    assert.equal(send?.closed, true);
    assert.equal(mic.producer.closed, true);
    assert.equal(room.connectionState, 'connected');
  });

  it('roomClosed ends the room: roomclosed, disconnected, no peers (workerDied without reconnect)', async () => {
    const { server, room } = await joinedRoom({ reconnect: false });
    await server.request('newConsumer', newConsumer('bob', 'video'));
    const consumer = room.peer('bob')?.tracks[0]?.consumer;
    const closed = nextEvent(room, 'roomclosed');
    server.notify('transportClosed', { transportId: room.recvTransport?.id ?? '' });
    server.notify('roomClosed', { reason: 'workerDied' });
    assert.deepEqual(await closed, [{ reason: 'workerDied' }]);
    assert.equal(room.connectionState, 'disconnected');
    assert.equal(room.peers.length, 0);
    assert.equal(consumer?.closed, true);
    assert.equal(server.current.isOpen, false);
  });

  it('roomClosed "closed" ends the room even with reconnect on', async () => {
    const { server, room } = await joinedRoom();
    const closed = nextEvent(room, 'roomclosed');
    server.notify('roomClosed', { reason: 'closed' });
    assert.deepEqual(await closed, [{ reason: 'closed' }]);
    assert.equal(room.connectionState, 'disconnected');
    assert.equal(server.channels.length, 1, 'no new connection');
  });
});
