import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FakeHandler } from '../handlers/FakeHandler.js';
import * as fake from '../test/fakeParameters.js';
import { RoomError } from './errors.js';
import { createRoom, fakeTrack, nextEvent, recordEvents } from './test/fixtures.js';
import { ScriptedServer } from './test/ScriptedServer.js';

describe('RoomClient: losing the server', () => {
  it('pings while joined', async () => {
    const server = new ScriptedServer();
    const { room } = createRoom(server, { heartbeat: { intervalMs: 20, timeoutMs: 200 } });
    await room.join();
    await server.waitFor('ping', 2);
    await room.leave();
  });

  it('without reconnect: a server that stops answering (no close) is noticed: SIGNALING_TIMEOUT, then disconnected', async () => {
    const server = new ScriptedServer();
    const { room } = createRoom(server, {
      heartbeat: { intervalMs: 50, timeoutMs: 400 },
      reconnect: false,
    });
    const camera = fakeTrack('video');
    await room.join();
    await room.enableCamera({ track: camera });
    const error = nextEvent(room, 'error');
    const disconnected = new Promise<void>((resolve) =>
      room.on('connectionstatechange', (state) => state === 'disconnected' && resolve()),
    );
    server.current.blackhole = true; // a dead network: nothing crosses, nobody says so
    const [e] = await error;
    await disconnected;
    assert.ok(e instanceof RoomError);
    assert.equal(e.code, 'SIGNALING_TIMEOUT');
    assert.equal(room.sendTransport, undefined);
    assert.equal(camera.readyState, 'live', 'app tracks survive the disconnect');
    assert.equal(server.current.isOpen, false, 'the dead channel is closed');
  });

  it('a server that answers requests but never pings, and says nothing else, is declared dead', async () => {
    const server = new ScriptedServer();
    server.ignorePings = true;
    const { room } = createRoom(server, {
      heartbeat: { intervalMs: 50, timeoutMs: 400 },
      reconnect: false,
    });
    await room.join();
    const [e] = await nextEvent(room, 'error');
    assert.equal(e.code, 'SIGNALING_TIMEOUT');
    assert.equal(room.connectionState, 'disconnected');
  });

  it('without reconnect: a channel closed by the server: SIGNALING_CLOSED, disconnected, and join() works again', async () => {
    const server = new ScriptedServer();
    const { room } = createRoom(server, { reconnect: false });
    await room.join();
    const states = recordEvents(room, 'connectionstatechange');
    const error = nextEvent(room, 'error');
    server.current.cut('server restarting');
    const [e] = await error;
    assert.equal(e.code, 'SIGNALING_CLOSED');
    assert.match(e.message, /server restarting/);
    assert.deepEqual(
      states.map(([s]) => s),
      ['disconnected'],
    );
    await room.join();
    assert.equal(room.connectionState, 'connected');
    assert.equal(server.channels.length, 2, 'a fresh channel per join');
  });

  it('a failed WebRTC transport: TRANSPORT_FAILED reported, ICE restarted at once, still connected', async () => {
    const server = new ScriptedServer();
    server.on('restartIce', () => ({
      iceParameters: fake.generateTransportRemoteParameters().iceParameters,
    }));
    const { room } = createRoom(server);
    await room.join();
    const error = nextEvent(room, 'error');
    const handler = room.recvTransport?.handler as FakeHandler | undefined;
    handler?.setConnectionState('failed');
    const [e] = await error;
    assert.equal(e.code, 'TRANSPORT_FAILED');
    assert.match(e.message, /recv transport/);
    await server.waitFor('restartIce');
    assert.deepEqual(
      server.requests('restartIce').map((r) => r.data.transportId),
      [room.recvTransport?.id],
    );
    assert.equal(room.connectionState, 'connected');
    await room.leave();
    assert.equal(server.requests('leave').length, 1);
  });

  it('a connect request that fails later is reported as an error event', async () => {
    const server = new ScriptedServer();
    server.on('connectWebRtcTransport', () => {
      throw new Error('dtls mismatch');
    });
    const { room } = createRoom(server);
    await room.join();
    const error = nextEvent(room, 'error');
    await room.enableMicrophone({ track: fakeTrack('audio') });
    const [e] = await error;
    assert.equal(e.code, 'REQUEST_FAILED');
    assert.equal(e.protocolCode, 'INTERNAL');
    assert.match(e.message, /connectWebRtcTransport/);
  });

  it('a refused produce rejects enableCamera with REQUEST_FAILED and publishes nothing', async () => {
    const server = new ScriptedServer();
    server.on('produce', async () => {
      const { ProtocolError } = await import('@vroom/protocol');
      throw ProtocolError.limit('producers per peer', 16);
    });
    const { room } = createRoom(server);
    await room.join();
    await assert.rejects(room.enableCamera({ track: fakeTrack('video') }), {
      code: 'REQUEST_FAILED',
      protocolCode: 'LIMIT_EXCEEDED',
    });
    assert.equal(room.localTracks.length, 0);
  });
});
