import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ProtocolError } from '@vroom/protocol';
import { FakeMediaStreamTrack } from '../handlers/FakeMediaStreamTrack.js';
import {
  BOB,
  createRoom,
  fakeTrack,
  newConsumer,
  newDataConsumer,
  nextEvent,
  recordEvents,
  settle,
} from './test/fixtures.js';
import { ScriptedServer } from './test/ScriptedServer.js';

/**
 * Node has no getUserMedia: a stand-in on `navigator.mediaDevices` hands
 * out fake tracks and records the constraints, so the capture paths (and
 * which tracks the room stops) can be specified here; real capture is
 * exercised by the browser tests.
 */
const captures: MediaStreamConstraints[] = [];
const captured: FakeMediaStreamTrack[] = [];
const globals = globalThis as { navigator?: unknown };
const originalNavigator = Object.getOwnPropertyDescriptor(globalThis, 'navigator');

before(() => {
  const stream = (constraints: MediaStreamConstraints) => {
    captures.push(constraints);
    const tracks: FakeMediaStreamTrack[] = [];
    if (constraints.video) tracks.push(new FakeMediaStreamTrack({ kind: 'video' }));
    if (constraints.audio) tracks.push(new FakeMediaStreamTrack({ kind: 'audio' }));
    captured.push(...tracks);
    return {
      getVideoTracks: () => tracks.filter((t) => t.kind === 'video'),
      getAudioTracks: () => tracks.filter((t) => t.kind === 'audio'),
    };
  };
  Object.defineProperty(globalThis, 'navigator', {
    configurable: true,
    value: {
      mediaDevices: {
        getUserMedia: async (c: MediaStreamConstraints) => stream(c),
        getDisplayMedia: async (c: MediaStreamConstraints) => stream(c),
      },
    },
  });
});

after(() => {
  if (originalNavigator) Object.defineProperty(globalThis, 'navigator', originalNavigator);
  else delete globals.navigator;
});

async function joinedRoom() {
  const server = new ScriptedServer();
  server.peers = [BOB];
  const test = createRoom(server);
  await test.room.join();
  return { server, ...test };
}

describe('RoomClient: our media', () => {
  it('mute / unmute pauses the producer and tells the server', async () => {
    const { server, room } = await joinedRoom();
    const track = fakeTrack('audio');
    const mic = await room.enableMicrophone({ track });
    await room.muteMicrophone();
    assert.equal(mic.paused, true);
    assert.equal(track.enabled, false, 'nothing is sent while muted');
    assert.deepEqual(
      server.requests('pauseProducer').map((r) => r.data.producerId),
      [mic.producerId],
    );
    await room.unmuteMicrophone();
    assert.equal(mic.paused, false);
    assert.deepEqual(
      server.requests('resumeProducer').map((r) => r.data.producerId),
      [mic.producerId],
    );
    await room.muteMicrophone();
    await room.muteMicrophone();
    assert.equal(server.requests('pauseProducer').length, 2, 'muting twice sends one request');
  });

  it('pauseCamera / resumeCamera; a refused resume leaves it paused', async () => {
    const { server, room } = await joinedRoom();
    const camera = await room.enableCamera({ track: fakeTrack('video') });
    await room.pauseCamera();
    assert.equal(camera.paused, true);
    server.on('resumeProducer', () => {
      throw new ProtocolError('RATE_LIMITED', 'slow down');
    });
    await assert.rejects(room.resumeCamera(), {
      name: 'RoomError',
      code: 'REQUEST_FAILED',
      protocolCode: 'RATE_LIMITED',
    });
    assert.equal(camera.paused, true);
  });

  it('disableCamera closes the producer on both sides and never stops an app track', async () => {
    const { server, room } = await joinedRoom();
    const track = fakeTrack('video');
    const camera = await room.enableCamera({ track });
    const unpublished = nextEvent(room, 'localtrackunpublished');
    await room.disableCamera();
    assert.equal((await unpublished)[0], camera);
    assert.equal(camera.producer.closed, true);
    assert.deepEqual(
      server.requests('closeProducer').map((r) => r.data.producerId),
      [camera.producerId],
    );
    assert.equal(track.readyState, 'live');
    assert.equal(room.localTrack('camera'), undefined);
  });

  it('captures the camera when no track is given, and stops what it captured', async () => {
    const { room } = await joinedRoom();
    const camera = await room.enableCamera({ deviceId: 'cam-2' });
    const constraints = captures.at(-1);
    assert.deepEqual((constraints?.video as MediaTrackConstraints | undefined)?.deviceId, {
      exact: 'cam-2',
    });
    assert.equal(constraints?.audio, false);
    const track = camera.track;
    assert.equal(camera.owned, true);
    await room.disableCamera();
    assert.equal(track?.readyState, 'ended');
  });

  it('enableCameraAndMicrophone asks getUserMedia once for both', async () => {
    const { server, room } = await joinedRoom();
    const before = captures.length;
    const { camera, microphone } = await room.enableCameraAndMicrophone();
    assert.equal(captures.length, before + 1);
    assert.ok(captures.at(-1)?.audio && captures.at(-1)?.video);
    assert.equal(camera.source, 'camera');
    assert.equal(microphone.source, 'microphone');
    assert.equal(server.requests('produce').length, 2);
  });

  it('enableCamera with a new track switches the track without a new producer', async () => {
    const { server, room } = await joinedRoom();
    const first = fakeTrack('video');
    const second = fakeTrack('video');
    const camera = await room.enableCamera({ track: first });
    const again = await room.enableCamera({ track: second });
    assert.equal(again, camera);
    assert.equal(camera.track, second);
    assert.equal(first.readyState, 'live', 'the app owns the first track');
    assert.equal(server.requests('produce').length, 1);
  });

  it('a source that ends (device unplugged, sharing stopped) is unpublished', async () => {
    const { server, room } = await joinedRoom();
    const track = new FakeMediaStreamTrack({ kind: 'video' });
    const screen = await room.enableScreenShare({ track: track.asTrack() });
    assert.equal(screen.source, 'screen');
    const unpublished = nextEvent(room, 'localtrackunpublished');
    track.remoteStop();
    assert.equal((await unpublished)[0].source, 'screen');
    await server.waitFor('closeProducer');
  });

  it('producerClosed from the server unpublishes the track', async () => {
    const { server, room } = await joinedRoom();
    const mic = await room.enableMicrophone({ track: fakeTrack('audio') });
    const unpublished = nextEvent(room, 'localtrackunpublished');
    server.notify('producerClosed', { producerId: mic.producerId });
    await unpublished;
    assert.equal(mic.producer.closed, true);
    assert.equal(room.localTracks.length, 0);
  });

  it('producerScore lands on the local track and as a score event', async () => {
    const { server, room } = await joinedRoom();
    const mic = await room.enableMicrophone({ track: fakeTrack('audio') });
    const score = nextEvent(room, 'score');
    server.notify('producerScore', { producerId: mic.producerId, score: [{ ssrc: 1, score: 7 }] });
    const [event] = await score;
    assert.equal(event.type === 'producer' && event.source, 'microphone');
    assert.equal(mic.score[0]?.score, 7);
  });

  it('leave() says goodbye, closes everything, stops only the tracks the room captured', async () => {
    const { server, room } = await joinedRoom();
    const appTrack = fakeTrack('audio');
    await room.enableMicrophone({ track: appTrack });
    const camera = await room.enableCamera();
    const capturedTrack = camera.track;
    await server.request('newConsumer', newConsumer('bob', 'video'));
    const consumer = room.peer('bob')?.tracks[0]?.consumer;
    const send = room.sendTransport;
    const recv = room.recvTransport;
    const peerEvents = recordEvents(room, 'peerleft');

    await room.leave();

    assert.equal(server.requests('leave').length, 1);
    assert.equal(room.connectionState, 'disconnected');
    assert.equal(send?.closed, true);
    assert.equal(recv?.closed, true);
    assert.equal(consumer?.closed, true);
    assert.equal(appTrack.readyState, 'live');
    assert.equal(capturedTrack?.readyState, 'ended');
    assert.equal(room.peers.length, 0);
    assert.equal(room.localTracks.length, 0);
    assert.equal(
      peerEvents.length,
      0,
      'our own leave is one state change, not a peerleft per peer',
    );
    assert.equal(server.current.isOpen, false);
    await room.leave(); // twice is fine
  });

  it('setPreferredLayers names the consumer (by id, or by peer and source)', async () => {
    const { server, room } = await joinedRoom();
    const request = newConsumer('bob', 'video', { source: 'camera' });
    await server.request('newConsumer', request);
    await room.setPreferredLayers(request.id, 1, 2);
    await room.setPreferredLayers({ peerId: 'bob', source: 'camera' }, 0);
    assert.deepEqual(
      server.requests('setConsumerPreferredLayers').map((r) => r.data),
      [
        { consumerId: request.id, spatialLayer: 1, temporalLayer: 2 },
        { consumerId: request.id, spatialLayer: 0 },
      ],
    );
  });

  it('getStats reads local stats, getServerStats asks the server', async () => {
    const { server, room } = await joinedRoom();
    await room.enableMicrophone({ track: fakeTrack('audio') });
    const local = await room.getStats({ transport: 'send' });
    assert.equal(typeof local.forEach, 'function');
    const remote = await room.getServerStats({ source: 'microphone' });
    assert.deepEqual(remote, [{ type: 'inbound-rtp' }]);
    assert.equal(server.requests('getProducerStats').length, 1);
    await assert.rejects(room.getServerStats({ source: 'camera' }), TypeError);
  });
});

describe('RoomClient: data and chat', () => {
  it('sendChat opens one "chat" data producer and sends JSON on it', async () => {
    const { server, room, sending } = await joinedRoom();
    await room.sendChat('hello');
    await room.sendChat('again');
    const produced = server.requests('produceData');
    assert.equal(produced.length, 1, 'one data producer per label');
    assert.equal(produced[0]?.data.label, 'chat');
    const sent = (sending[0]?.sent ?? []).map(
      (m) => JSON.parse(m as string) as { text: string; at: number },
    );
    assert.deepEqual(
      sent.map((m) => m.text),
      ['hello', 'again'],
    );
    assert.equal(typeof sent[0]?.at, 'number');
  });

  it('sendData concurrently on one label still makes one data producer', async () => {
    const { server, room, sending } = await joinedRoom();
    await Promise.all([
      room.sendData('game', 'a'),
      room.sendData('game', 'b'),
      room.sendData('cursor', 'c'),
    ]);
    assert.deepEqual(
      server
        .requests('produceData')
        .map((r) => r.data.label)
        .sort(),
      ['cursor', 'game'],
    );
    assert.deepEqual(sending.flatMap((c) => c.sent).sort(), ['a', 'b', 'c']);
  });

  it('messages on data consumers become chat and data events from the right peer', async () => {
    const { server, room, receiving } = await joinedRoom();
    await server.request('newDataConsumer', newDataConsumer('bob', 'chat'));
    await server.request('newDataConsumer', newDataConsumer('bob', 'game'));
    assert.equal(room.peer('bob')?.dataConsumers.length, 2);
    const chat = nextEvent(room, 'chat');
    receiving[0]?.receive(JSON.stringify({ text: 'hi all', at: 1234 }));
    const [c] = await chat;
    assert.deepEqual([c.peer.id, c.text, c.at], ['bob', 'hi all', 1234]);
    const data = nextEvent(room, 'data');
    receiving[1]?.receive('move e4');
    const [d] = await data;
    assert.deepEqual([d.peer.id, d.label, d.data], ['bob', 'game', 'move e4']);

    const chats = recordEvents(room, 'chat');
    receiving[0]?.receive('not json');
    receiving[0]?.receive(JSON.stringify({ nope: 1 }));
    await settle();
    assert.equal(chats.length, 0, 'malformed chat is dropped');
  });

  it('dataConsumerClosed closes the data consumer', async () => {
    const { server, room } = await joinedRoom();
    const request = newDataConsumer('bob', 'game');
    await server.request('newDataConsumer', request);
    const dataConsumer = room.peer('bob')?.dataConsumers[0];
    server.notify('dataConsumerClosed', { dataConsumerId: request.id });
    await settle();
    assert.equal(dataConsumer?.closed, true);
    assert.equal(room.peer('bob')?.dataConsumers.length, 0);
  });
});
