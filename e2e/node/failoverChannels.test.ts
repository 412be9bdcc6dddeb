import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { failoverChannels } from '@vroom/client/room';
import WebSocket, { WebSocketServer } from 'ws';

// Real sockets: a URL where nothing listens, then a real ws server.
describe('failoverChannels', () => {
  it('moves to the next URL when one does not open, and stays on a URL whose link dropped', async () => {
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await once(server, 'listening');
    const dead = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await once(dead, 'listening');
    const deadPort = (dead.address() as AddressInfo).port;
    await new Promise((resolve) => dead.close(resolve));
    const live = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      const next = failoverChannels([`ws://127.0.0.1:${deadPort}/`, live], { WebSocket });
      await assert.rejects(next().open(), /did not open/);
      const second = next();
      await second.open();
      const closed = new Promise<string>((resolve) => {
        second.onclose = resolve;
      });
      for (const client of server.clients) client.terminate();
      await closed;
      const third = next();
      await third.open();
      third.close(1000);
    } finally {
      for (const client of server.clients) client.terminate();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('refuses an empty list and a URL that is not ws:// or wss://', () => {
    assert.throws(() => failoverChannels([], { WebSocket }), TypeError);
    assert.throws(() => failoverChannels(['http://x/'], { WebSocket }), TypeError);
  });
});
