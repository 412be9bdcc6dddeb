import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { createClientEndpoint, ErrorCode, PROTOCOL_VERSION } from '@vroom/protocol';
import { WebSocket, WebSocketServer } from 'ws';
import { createSfuServer } from '../index.js';
import { FAST_SESSIONS } from '../test/sessions.js';
import { serveWebSocket } from './ws.js';

describe('ws binding', () => {
  it('serves the protocol over a real WebSocket, and ends the session when the socket closes', async () => {
    const server = await createSfuServer({
      workers: 1,
      workerSettings: { logLevel: 'none' },
      session: FAST_SESSIONS,
    });
    const wss = new WebSocketServer({
      host: '127.0.0.1',
      port: 0,
      maxPayload: 2 * server.limits.maxMessageBytes,
    });
    await once(wss, 'listening');
    const stop = serveWebSocket(server, wss);
    try {
      const { port } = wss.address() as AddressInfo;
      const socket = new WebSocket(`ws://127.0.0.1:${port}`);
      await once(socket, 'open');
      const client = createClientEndpoint({
        send: (text) => socket.send(text),
        onRequest: async () => ({}),
      });
      socket.on('message', (data, isBinary) =>
        client.receive(isBinary ? new Uint8Array(data as Buffer) : String(data)),
      );

      const joined = await client.request('join', {
        protocolVersion: PROTOCOL_VERSION,
        roomId: 'ws',
        displayName: 'ws',
        device: { name: 'ws' },
        transports: { send: {} },
      });
      assert.ok(joined.sendTransport?.id);
      assert.equal(server.room('ws')?.peers[0]?.connectionInfo.remoteAddress, '127.0.0.1');

      // A binary frame of garbage is answered, not fatal.
      const answer = new Promise<string>((resolve) =>
        socket.once('message', (data) => resolve(String(data))),
      );
      socket.send(Buffer.from([0xff, 0xfe, 0xfd]));
      assert.equal(JSON.parse(await answer).error.code, ErrorCode.BadMessage);

      socket.close();
      for (let i = 0; i < 200 && server.peerCount > 0; i++)
        await new Promise((r) => setTimeout(r, 10));
      assert.equal(server.peerCount, 0);
      assert.equal(server.room('ws'), undefined);
    } finally {
      stop();
      wss.close();
      server.close();
    }
  });

  it('terminates a socket that stops answering WebSocket pings (a half-open link)', async () => {
    const server = await createSfuServer({
      workers: 1,
      workerSettings: { logLevel: 'none' },
      session: FAST_SESSIONS,
    });
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await once(wss, 'listening');
    const stop = serveWebSocket(server, wss, { pingIntervalMs: 50 });
    try {
      const { port } = wss.address() as AddressInfo;
      // `autoPong: false` plays a peer whose link is cut: pings go unanswered.
      const mute = new WebSocket(`ws://127.0.0.1:${port}`, { autoPong: false });
      const healthy = new WebSocket(`ws://127.0.0.1:${port}`);
      await Promise.all([once(mute, 'open'), once(healthy, 'open')]);
      const [code] = (await once(mute, 'close')) as [number];
      assert.equal(code, 1006, 'terminated, not closed politely');
      await waitForCount(() => server.peerCount === 1);
      assert.equal(healthy.readyState, WebSocket.OPEN, 'a socket that answers stays');
      healthy.close();
    } finally {
      stop();
      wss.close();
      server.close();
    }
  });
});

describe('ws binding: pongs that count (issue 11, F3)', () => {
  it('terminates a socket that sends unsolicited pongs but never answers our pings', async () => {
    const server = await createSfuServer({ workers: 1, workerSettings: { logLevel: 'none' } });
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await once(wss, 'listening');
    const stop = serveWebSocket(server, wss, { pingIntervalMs: 50 });
    try {
      const { port } = wss.address() as AddressInfo;
      const faker = new WebSocket(`ws://127.0.0.1:${port}`, { autoPong: false });
      await once(faker, 'open');
      // Pongs of its own, never the ping's payload: what kept a non-reading
      // socket alive before pings carried a nonce.
      const timer = setInterval(() => faker.pong(Buffer.from('alive')), 10);
      const closed = once(faker, 'close');
      const verdict = await Promise.race([
        closed.then(([code]) => `closed ${code}`),
        new Promise((resolve) => setTimeout(() => resolve('still open'), 3000)),
      ]);
      clearInterval(timer);
      assert.equal(verdict, 'closed 1006', 'terminated');
    } finally {
      stop();
      wss.close();
      server.close();
    }
  });
});

async function waitForCount(check: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(check());
}
