import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProtocolError } from '@vroom/protocol';
import { RoomError } from './errors.js';
import { BOB, CAROL, createRoom, fakeTrack, nextEvent, recordEvents } from './test/fixtures.js';
import { ScriptedServer } from './test/ScriptedServer.js';

describe('RoomClient join', () => {
  it('asks for both transports (with SCTP) in ONE join, then loads and reports connected', async () => {
    const server = new ScriptedServer();
    server.peers = [BOB];
    const { room } = createRoom(server, { token: 'secret', appData: { role: 'host' } });
    const states = recordEvents(room, 'connectionstatechange');
    const joined = recordEvents(room, 'peerjoined');
    assert.equal(room.connectionState, 'new');

    await room.join();

    assert.deepEqual(
      states.map(([s]) => s),
      ['connecting', 'connected'],
    );
    const [join] = server.requests('join');
    assert.ok(join);
    assert.deepEqual(join.data.transports, {
      send: { sctp: true },
      recv: { sctp: true },
    });
    assert.equal(join.data.token, 'secret');
    assert.deepEqual(join.data.appData, { role: 'host' });
    assert.equal(server.requests('createWebRtcTransport').length, 0, 'no extra transport requests');
    assert.ok(room.peerId?.startsWith('me-'));
    assert.ok(room.device?.loaded);
    assert.equal(room.sendTransport?.direction, 'send');
    assert.equal(room.recvTransport?.direction, 'recv');
    // Peers already there are announced like newcomers.
    assert.deepEqual(
      joined.map(([peer]) => peer.displayName),
      ['Bob'],
    );
    assert.deepEqual(
      room.peers.map((p) => p.id),
      ['bob'],
    );
    await server.waitFor('setCapabilities');
    const [caps] = server.requests('setCapabilities');
    assert.ok((caps?.data.rtpCapabilities.codecs?.length ?? 0) > 0);
  });

  it('needs 2 sequential round trips for join + camera + microphone', async () => {
    // The server holds every answer until release(): a request that arrives
    // before the Nth release cannot depend on the Nth answer.
    const server = new ScriptedServer();
    server.holdAnswers = true;
    const { room } = createRoom(server, { chat: true });

    const joining = room.join();
    await server.waitFor('join');
    server.release(); // round trip 1: join
    await joining;

    const publishing = Promise.all([
      room.enableCamera({ track: fakeTrack('video') }),
      room.enableMicrophone({ track: fakeTrack('audio') }),
    ]);
    await server.waitFor('produce', 2);
    server.release(); // round trip 2: everything else
    const [camera, microphone] = await publishing;

    assert.deepEqual(
      server.received
        .filter((r) => r.method !== 'produceData')
        .map((r) => `${r.round}:${r.method}`),
      ['0:join', '1:setCapabilities', '1:connectWebRtcTransport', '1:produce', '1:produce'],
    );
    assert.equal(camera.source, 'camera');
    assert.equal(microphone.source, 'microphone');
    const sources = server.requests('produce').map((r) => r.data.appData?.source);
    assert.deepEqual(sources.sort(), ['camera', 'microphone']);

    // The early chat channel queues behind the media, never ahead of it.
    await server.waitFor('produceData');
    const [chat] = server.requests('produceData');
    assert.equal(chat?.data.label, 'chat');
    assert.equal(chat?.round, 2);
    server.holdAnswers = false;
    server.release();
  });

  it('opens the chat channel right after joining (chat: true, the default)', async () => {
    const server = new ScriptedServer();
    const { room } = createRoom(server, { chat: true });
    await room.join();
    await server.waitFor('produceData');
    assert.deepEqual(
      server.requests('produceData').map((r) => r.data.label),
      ['chat'],
    );
    await room.sendChat('first');
    assert.equal(server.requests('produceData').length, 1, 'the same channel carries the message');
  });

  it('sends camera with 3 simulcast encodings by default, one without simulcast', async () => {
    const server = new ScriptedServer();
    const { room } = createRoom(server);
    await room.join();
    await room.enableCamera({ track: fakeTrack('video') });
    await room.disableCamera();
    await room.enableCamera({ track: fakeTrack('video'), simulcast: false });
    const [first, second] = server
      .requests('produce')
      .map(
        (r) =>
          (r.data as { rtpParameters: { encodings: unknown[] } }).rtpParameters.encodings.length,
      );
    assert.equal(first, 3);
    assert.equal(second, 1);
  });

  it('fails with JOIN_FAILED (and the server code) when the server refuses', async () => {
    const server = new ScriptedServer();
    server.on('join', () => {
      throw new ProtocolError('JOIN_REFUSED', 'bad token');
    });
    const { room } = createRoom(server);
    const states = recordEvents(room, 'connectionstatechange');
    await assert.rejects(room.join(), (error: unknown) => {
      assert.ok(error instanceof RoomError);
      assert.equal(error.code, 'JOIN_FAILED');
      assert.equal(error.protocolCode, 'JOIN_REFUSED');
      assert.match(error.message, /bad token/);
      return true;
    });
    assert.deepEqual(
      states.map(([s]) => s),
      ['connecting', 'failed'],
    );
    assert.equal(server.current.isOpen, false, 'the channel is closed after a failed join');
  });

  it('joins again after a failure, on a fresh channel', async () => {
    const server = new ScriptedServer();
    let refuse = true;
    server.on('join', () => {
      if (refuse) throw new ProtocolError('JOIN_REFUSED', 'not yet');
      return server.joinAnswer();
    });
    const { room } = createRoom(server);
    await assert.rejects(room.join(), { code: 'JOIN_FAILED' });
    refuse = false;
    await room.join();
    assert.equal(room.connectionState, 'connected');
    assert.equal(server.channels.length, 2);
  });

  it('refuses a second join while joined (ALREADY_JOINED)', async () => {
    const server = new ScriptedServer();
    const { room } = createRoom(server);
    await room.join();
    await assert.rejects(room.join(), { name: 'RoomError', code: 'ALREADY_JOINED' });
  });

  it('leave() during join ends it with JOIN_FAILED and state disconnected', async () => {
    const server = new ScriptedServer();
    server.holdAnswers = true;
    const { room } = createRoom(server);
    const joining = room.join();
    await server.waitFor('join');
    await room.leave();
    await assert.rejects(joining, { code: 'JOIN_FAILED' });
    assert.equal(room.connectionState, 'disconnected');
  });

  it('announces peers who join later, and CAROL after BOB', async () => {
    const server = new ScriptedServer();
    const { room } = createRoom(server);
    await room.join();
    const joined = nextEvent(room, 'peerjoined');
    server.notify('peerJoined', CAROL);
    const [peer] = await joined;
    assert.equal(peer.displayName, 'Carol');
    assert.equal(peer.device.name, 'Chrome111');
    assert.equal(room.peer('carol'), peer);
  });
});
