import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FakeHandler } from '../handlers/FakeHandler.js';
import * as fake from '../test/fakeParameters.js';
import { FakeClock } from './test/FakeClock.js';
import { createRoom, fakeTrack, nextEvent, recordEvents, settle } from './test/fixtures.js';
import { joinedWithMedia, nextReconnected } from './test/recoveryRoom.js';
import { ScriptedServer } from './test/ScriptedServer.js';
import { CLIENT_TIMING } from './timing.js';

describe('RoomClient recovery: ICE', () => {
  it("'disconnected' or 'failed' restarts ICE through the server at once", async () => {
    const { server, room, clock } = await joinedWithMedia();
    const send = room.sendTransport;
    const recv = room.recvTransport;
    assert.ok(send && recv);
    (send.handler as FakeHandler).setConnectionState('disconnected');
    await server.waitFor('restartIce');
    (recv.handler as FakeHandler).setConnectionState('failed');
    await server.waitFor('restartIce', 2);
    assert.deepEqual(
      server.requests('restartIce').map((r) => r.data.transportId),
      [send.id, recv.id],
    );
    assert.equal(clock.now(), 0, 'no wait of any kind');
    await settle();
    assert.equal(send.connectionState, 'connected', 'FakeHandler reconnects after the restart');
  });

  it('signaling down at that moment: the restart goes right after the resume', async () => {
    const { server, room, clock } = await joinedWithMedia();
    server.down = true;
    server.current.cut();
    await settle();
    const handler = room.sendTransport?.handler as FakeHandler | undefined;
    handler?.setConnectionState('failed');
    await settle();
    assert.equal(server.requests('restartIce').length, 0);
    server.down = false;
    const reconnected = nextReconnected(room);
    await clock.advance(3000, settle);
    await reconnected;
    await server.waitFor('restartIce');
    const methods = server.received.map((r) => r.method);
    assert.equal(
      methods.indexOf('restartIce'),
      methods.lastIndexOf('resumeSession') + 1,
      'right after the resume',
    );
  });

  it('a transport whose every candidate fails (stays "new"): the watchdog calls it failed after iceTimeoutMs', async () => {
    const server = new ScriptedServer();
    server.on('restartIce', () => ({
      iceParameters: fake.generateTransportRemoteParameters().iceParameters,
    }));
    const clock = new FakeClock();
    const { room } = createRoom(server, { clock, iceTimeoutMs: 4000 });
    await room.join();
    const handler = room.sendTransport?.handler as FakeHandler;
    handler.autoConnect = false;
    const errors = recordEvents(room, 'error');
    await room.enableMicrophone({ track: fakeTrack('audio') });
    await clock.advance(3999, settle);
    assert.equal(server.requests('restartIce').length, 0);
    await clock.advance(1, settle);
    assert.equal(errors[0]?.[0].code, 'TRANSPORT_FAILED');
    assert.equal(server.requests('restartIce').length, 1);
    handler.setConnectionState('connected');
    await clock.advance(10_000, settle);
    assert.equal(server.requests('restartIce').length, 1, 'quiet once connected');
  });

  it("the browser's online event and a network change restart ICE on both transports", async () => {
    await withNetworkEvents(async ({ target, connection }) => {
      const { server, room, clock } = await joinedWithMedia();
      // Both transports 'connected' but receiving nothing (FakeHandler stats
      // are empty): after the path check, a restart each.
      target.dispatchEvent(new Event('online'));
      await clock.advance(CLIENT_TIMING.pathCheckMs, settle);
      await server.waitFor('restartIce', 2);
      connection.dispatchEvent(new Event('change'));
      await clock.advance(CLIENT_TIMING.pathCheckMs, settle);
      await server.waitFor('restartIce', 4);
      assert.deepEqual(
        new Set(server.requests('restartIce').map((r) => r.data.transportId)),
        new Set([room.sendTransport?.id, room.recvTransport?.id]),
      );
      await room.leave();
      target.dispatchEvent(new Event('online'));
      await clock.advance(CLIENT_TIMING.pathCheckMs, settle);
      assert.equal(server.requests('restartIce').length, 4, 'unwatched after leave()');
    });
  });

  it('a network event on transports that still receive restarts nothing; the signaling probe passes', async () => {
    await withNetworkEvents(async ({ target }) => {
      const { server, room, clock } = await joinedWithMedia();
      for (const transport of [room.sendTransport, room.recvTransport]) {
        const handler = transport?.handler as FakeHandler;
        let bytes = 0;
        // Stand-in for a live path: each read shows more bytes received.
        handler.getTransportStats = async () => {
          bytes += 1200;
          return new Map([['T01', { type: 'transport', bytesReceived: bytes }]]) as never;
        };
      }
      const changes = recordEvents(room, 'connectionstatechange');
      target.dispatchEvent(new Event('offline'));
      target.dispatchEvent(new Event('online'));
      await clock.advance(CLIENT_TIMING.pathCheckMs, settle);
      await settle(20);
      assert.equal(server.requests('restartIce').length, 0);
      assert.deepEqual(changes, [], 'the server answered the probe: still connected');
      await room.leave();
    });
  });

  it("'disconnected' just after a path check saw bytes arrive is checked again, not restarted; later it restarts at once", async () => {
    await withNetworkEvents(async ({ target }) => {
      const { server, room, clock } = await joinedWithMedia();
      const send = room.sendTransport;
      assert.ok(send);
      const handler = send.handler as FakeHandler;
      let bytes = 0;
      let flowing = true;
      // Stand-in for a path that carries media again: each read shows more bytes.
      handler.getTransportStats = async () => {
        if (flowing) bytes += 1200;
        return new Map([['T01', { type: 'transport', bytesReceived: bytes }]]) as never;
      };
      target.dispatchEvent(new Event('online'));
      await clock.advance(CLIENT_TIMING.pathCheckMs, settle);
      await settle(20);
      // The browser's late verdict on the outage, while media flows again.
      handler.setConnectionState('disconnected');
      await clock.advance(CLIENT_TIMING.pathCheckMs, settle);
      await settle(20);
      assert.equal(
        server.requests('restartIce').filter((r) => r.data.transportId === send.id).length,
        0,
        'bytes still arrive: no restart (the recv transport, silent here, was restarted)',
      );
      // Long after that check, a 'disconnected' is news: restart at once.
      flowing = false;
      handler.setConnectionState('connected');
      await clock.advance(CLIENT_TIMING.aliveFreshMs, settle);
      const before = clock.now();
      const sendRestarts = () =>
        server.requests('restartIce').filter((r) => r.data.transportId === send.id).length;
      handler.setConnectionState('disconnected');
      await settle(20);
      assert.equal(sendRestarts(), 1, 'restarted');
      assert.equal(clock.now(), before, 'no wait');
      await room.leave();
    });
  });

  it('going offline with a silent server: reconnecting after the 1.5 s probe, not the heartbeat timeout', async () => {
    await withNetworkEvents(async ({ target }) => {
      const server = new ScriptedServer();
      // A heartbeat timeout this long cannot be what notices the loss here.
      const { room } = createRoom(server, { heartbeat: { intervalMs: 30_000, timeoutMs: 60_000 } });
      await room.join();
      server.current.blackhole = true;
      const reconnecting = nextEvent(room, 'reconnecting');
      target.dispatchEvent(new Event('offline'));
      const [cause] = await reconnecting;
      assert.equal(cause.cause.code, 'SIGNALING_TIMEOUT');
      await room.leave();
    });
  });
});

/** Runs `fn` with a fake global event target ('online'/'offline') and `navigator.connection`. */
async function withNetworkEvents(
  fn: (events: { target: EventTarget; connection: EventTarget }) => Promise<void>,
): Promise<void> {
  const target = new EventTarget();
  const connection = new EventTarget();
  const globals = globalThis as unknown as Record<string, unknown>;
  const saved = {
    addEventListener: globals.addEventListener,
    removeEventListener: globals.removeEventListener,
    navigator: Object.getOwnPropertyDescriptor(globalThis, 'navigator'),
  };
  globals.addEventListener = target.addEventListener.bind(target);
  globals.removeEventListener = target.removeEventListener.bind(target);
  Object.defineProperty(globalThis, 'navigator', { configurable: true, value: { connection } });
  try {
    await fn({ target, connection });
  } finally {
    globals.addEventListener = saved.addEventListener;
    globals.removeEventListener = saved.removeEventListener;
    if (saved.navigator) Object.defineProperty(globalThis, 'navigator', saved.navigator);
    else delete globals.navigator;
  }
}
