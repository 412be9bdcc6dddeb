// The example's server as a function, so the CLI (server.ts) and the
// end-to-end tests start exactly the same thing.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createSfuServer,
  DEFAULT_LIMITS,
  type SfuServer,
  type SfuServerOptions,
} from '@vroom/server-adapter';
import { serveWebSocket } from '@vroom/server-adapter/ws';
import { WebSocketServer } from 'ws';

export interface VideoRoomServerOptions {
  /** HTTP host; default 0.0.0.0. */
  host?: string;
  /** HTTP port; 0 picks a free one. Default 3000. */
  port?: number;
  /** Address mediasoup binds for media; default 127.0.0.1. */
  rtcListenIp?: string;
  /** Address told to clients, when rtcListenIp is 0.0.0.0. */
  rtcAnnouncedIp?: string;
  /** The built web app; default `./dist` beside this file. */
  webRoot?: string;
  sfu?: SfuServerOptions;
}

export interface VideoRoomServer {
  url: string;
  sfu: SfuServer;
  close(): Promise<void>;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
};

export async function startVideoRoomServer(
  options: VideoRoomServerOptions = {},
): Promise<VideoRoomServer> {
  const host = options.host ?? '0.0.0.0';
  const webRoot = options.webRoot ?? fileURLToPath(new URL('./dist/', import.meta.url));
  const listenIp = options.rtcListenIp ?? '127.0.0.1';
  const sfu = await createSfuServer({
    webRtcTransport: {
      listenIps: [
        {
          ip: listenIp,
          ...(options.rtcAnnouncedIp ? { announcedIp: options.rtcAnnouncedIp } : {}),
        },
      ],
    },
    ...options.sfu,
  });

  const http = createServer(async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    // normalize() and the prefix check keep requests inside the web root.
    const file = normalize(join(webRoot, path === '/' ? 'index.html' : path));
    if (!file.startsWith(webRoot)) {
      response.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      response.writeHead(200, {
        'content-type': contentTypes[extname(file)] ?? 'application/octet-stream',
      });
      response.end(body);
    } catch {
      response
        .writeHead(404, { 'content-type': 'text/plain' })
        .end('not found (did `vite build` run?)\n');
    }
  });

  const wss = new WebSocketServer({
    server: http,
    path: '/ws',
    maxPayload: DEFAULT_LIMITS.maxMessageBytes * 2,
  });
  serveWebSocket(sfu, wss);

  await new Promise<void>((resolve) => http.listen(options.port ?? 3000, host, resolve));
  const { port } = http.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' ? 'localhost' : host;
  return {
    url: `http://${shownHost}:${port}/`,
    sfu,
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      await new Promise((resolve) => http.close(resolve));
      sfu.close();
    },
  };
}
