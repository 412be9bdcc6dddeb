import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RoomClient } from './RoomClient.js';
import { createRoom, fakeTrack } from './test/fixtures.js';
import { ScriptedServer } from './test/ScriptedServer.js';
import { WebSocketChannel } from './WebSocketChannel.js';

const channel = new ScriptedServer().channel;

describe('RoomClient: bad arguments are TypeErrors that say what to pass', () => {
  it('in the constructor', () => {
    const ok = { channel, roomId: 'r', displayName: 'A' };
    const bad: [unknown, RegExp][] = [
      [undefined, /options must be an object/],
      [{ ...ok, roomId: '' }, /roomId/],
      [{ ...ok, roomId: 'x'.repeat(200) }, /roomId/],
      [{ ...ok, displayName: 42 }, /displayName/],
      [{ roomId: 'r', displayName: 'A' }, /either url .* or channel/],
      [{ ...ok, url: 'ws://x' }, /exactly one/],
      [{ roomId: 'r', displayName: 'A', url: 'foo' }, /invalid url "foo": use ws:\/\/host/],
      [{ roomId: 'r', displayName: 'A', url: 'http://x/ws' }, /invalid url/],
      [{ roomId: 'r', displayName: 'A', url: 'ws://[bad' }, /invalid url/],
      [{ ...ok, channel: 'ws://x' }, /channel must be/],
      [{ ...ok, token: 7 }, /token/],
      [{ ...ok, appData: [] }, /appData/],
      [{ ...ok, heartbeat: { intervalMs: -1 } }, /heartbeat.intervalMs/],
      [{ ...ok, heartbeat: { intervalMs: 1000, timeoutMs: 500 } }, /longer than/],
      [{ ...ok, requestTimeoutMs: 0 }, /requestTimeoutMs/],
    ];
    for (const [options, message] of bad) {
      assert.throws(
        () => new RoomClient(options as never),
        { name: 'TypeError', message },
        String(message),
      );
    }
  });

  it('WebSocketChannel wants a ws:// URL and a WebSocket class', () => {
    assert.throws(() => new WebSocketChannel('http://x'), {
      name: 'TypeError',
      message: /ws:\/\/host/,
    });
    if (typeof (globalThis as { WebSocket?: unknown }).WebSocket !== 'function') {
      assert.throws(() => new WebSocketChannel('ws://x'), {
        name: 'TypeError',
        message: /"ws" package/,
      });
    }
  });

  it('in the methods, checked before anything is sent', async () => {
    const server = new ScriptedServer();
    const { room } = createRoom(server);
    await room.join();
    const before = server.received.length;
    const calls: [() => unknown, RegExp][] = [
      [() => room.enableCamera({ track: fakeTrack('audio') }), /must be a video track/],
      [() => room.enableCamera({ track: {} as MediaStreamTrack }), /must be a MediaStreamTrack/],
      [() => room.enableCamera({ simulcast: 'yes' as never }), /simulcast must be true or false/],
      [() => room.enableMicrophone({ track: fakeTrack('video') }), /must be an audio track/],
      [() => room.enableMicrophone({ deviceId: 5 as never }), /deviceId/],
      [() => room.sendChat(''), /non-blank/],
      [() => room.sendChat('x'.repeat(5000)), /at most 4000/],
      [() => room.sendData('chat', 'x'), /reserved: use sendChat/],
      [() => room.sendData('', 'x'), /label/],
      [() => room.sendData('game', 12 as never), /data must be/],
      [() => room.setPreferredLayers('c', -1), /spatialLayer/],
      [() => room.setPreferredLayers('c', 1, 1.5), /temporalLayer/],
      [() => room.setPreferredLayers('nope', 1), /no received track/],
      [() => room.setPreferredLayers({ peerId: 'ghost' }, 1), /no peer "ghost"/],
    ];
    for (const [call, message] of calls) {
      await assert.rejects(async () => call(), { name: 'TypeError', message }, String(message));
    }
    const ended = fakeTrack('video');
    ended.stop();
    await assert.rejects(async () => room.enableCamera({ track: ended }), /has ended/);
    assert.equal(server.received.length, before, 'nothing was sent');
  });

  it('calls that need a joined room reject with NOT_JOINED', async () => {
    const { room } = createRoom(new ScriptedServer());
    for (const call of [
      () => room.enableCamera({ track: fakeTrack('video') }),
      () => room.enableMicrophone({ track: fakeTrack('audio') }),
      () => room.sendChat('hi'),
      () => room.sendData('game', 'x'),
      () => room.getStats({ transport: 'send' }),
    ]) {
      await assert.rejects(async () => call(), {
        name: 'RoomError',
        code: 'NOT_JOINED',
        message: /await room.join\(\) first/,
      });
    }
    await room.leave(); // harmless before join
    assert.equal(room.connectionState, 'disconnected');
  });
});
