// The loopback test server: the real SfuServer (mediasoup 3.8.4 worker)
// behind @vroom/protocol over WebSocket, the loopback page bundled by esbuild,
// and `/state?room=` (the server's view of a room, as JSON) for assertions.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createSfuServer, DEFAULT_LIMITS, type SfuServer } from '@vroom/server-adapter';
import { serveWebSocket } from '@vroom/server-adapter/ws';
import { build } from 'esbuild';
import { WebSocketServer } from 'ws';
import { LayersRecorder, roomState } from './serverState.js';

export interface LoopbackServerOptions {
  /** Address for HTTP and for media (the page must reach both). */
  host: string;
  /** HTTP port; 0 picks a free one. */
  port?: number;
}

export interface LoopbackServer {
  url: string;
  sfu: SfuServer;
  close(): Promise<void>;
}

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>vroom loopback</title></head>
<body><p>vroom client loopback test page</p><script type="module" src="/page.js"></script></body></html>`;

/** Bundles page.ts with @vroom/client and mediasoup-client 3.24.1, as an app would ship them. */
export async function bundlePage(): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./page.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error('esbuild produced no bundle');
  return output.text;
}

export async function startLoopbackServer(options: LoopbackServerOptions): Promise<LoopbackServer> {
  const bundle = await bundlePage();
  const recorder = new LayersRecorder();
  const sfu = await createSfuServer({
    workers: 1,
    webRtcTransport: {
      listenIps: [{ ip: options.host }],
      // Loopback has bandwidth to spare: start high so simulcast and SVC
      // consumers reach their top layers without a long ramp-up.
      initialAvailableOutgoingBitrate: 3_000_000,
    },
    audioLevels: false,
    activeSpeaker: false,
  });

  const http = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    if (url.pathname === '/') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
    } else if (url.pathname === '/page.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
    } else if (url.pathname === '/state') {
      roomState(sfu, url.searchParams.get('room') ?? '', recorder).then(
        (state) => {
          response.writeHead(state ? 200 : 404, { 'content-type': 'application/json' });
          response.end(JSON.stringify(state ?? { error: 'no such room' }));
        },
        (error: unknown) => response.writeHead(500).end(String(error)),
      );
    } else {
      response.writeHead(404).end();
    }
  });
  const wss = new WebSocketServer({
    server: http,
    path: '/ws',
    maxPayload: DEFAULT_LIMITS.maxMessageBytes * 2,
  });
  serveWebSocket(sfu, wss);
  await new Promise<void>((resolve) => http.listen(options.port ?? 0, options.host, resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}/`,
    sfu,
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
      sfu.close();
    },
  };
}
