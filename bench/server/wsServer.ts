import { once } from 'node:events';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { serveWebSocket } from '../../packages/server-adapter/src/bindings/ws.js';
import type { SfuServer } from '../../packages/server-adapter/src/index.js';

// The root package installs no workspace tooling: borrow the e2e package's ws.
const require = createRequire(new URL('../../e2e/package.json', import.meta.url));
const { WebSocketServer } = require('ws') as typeof import('ws');

/** The SFU behind the real ws binding on 127.0.0.1 (a free port), as a deployment would serve it. */
export async function listenWebSocket(
  server: SfuServer,
): Promise<{ url: string; close: () => void }> {
  const wss = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    maxPayload: 2 * server.limits.maxMessageBytes,
  });
  await once(wss, 'listening');
  const stop = serveWebSocket(server, wss);
  return {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`,
    close: () => {
      stop();
      wss.close();
    },
  };
}
