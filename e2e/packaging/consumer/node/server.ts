// The packed server adapter on 127.0.0.1: rooms on the real mediasoup worker
// (MEDIASOUP_WORKER_BIN), signaling over `ws`, and the built pages over HTTP.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { createSfuServer, DEFAULT_LIMITS, type SfuServer } from '@vroom/server-adapter';
import { serveWebSocket } from '@vroom/server-adapter/ws';
import { WebSocketServer } from 'ws';

export interface ConsumerServer {
  httpUrl: string;
  wsUrl: string;
  sfu: SfuServer;
}

export async function startServer(webRoot: string): Promise<ConsumerServer> {
  const sfu = await createSfuServer({ webRtcTransport: { listenIps: [{ ip: '127.0.0.1' }] } });
  const http = createServer(async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    const file = normalize(join(webRoot, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(webRoot)) return void response.writeHead(403).end();
    try {
      const body = await readFile(file);
      const type = extname(file) === '.html' ? 'text/html' : 'text/javascript';
      response.writeHead(200, { 'content-type': type }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  const wss = new WebSocketServer({
    server: http,
    path: '/ws',
    maxPayload: DEFAULT_LIMITS.maxMessageBytes * 2,
  });
  serveWebSocket(sfu, wss);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return { httpUrl: `http://127.0.0.1:${port}`, wsUrl: `ws://127.0.0.1:${port}/ws`, sfu };
}
