import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { RawData, WebSocket as WsSocket } from 'ws';

const require = createRequire(new URL('../../e2e/package.json', import.meta.url));
const { WebSocket, WebSocketServer } = require('ws') as typeof import('ws');

/** One signaling message seen at the proxy, when it arrived there (before the delay). */
export type ProxiedMessage = {
  at: number;
  /** `up`: client to server; `down`: server to client. */
  direction: 'up' | 'down';
  method?: string;
  id?: number | null;
};

/**
 * A WebSocket proxy on 127.0.0.1 that holds every frame `rttMs / 2` in each
 * direction (order kept: equal delays fire in order), so a signaling round
 * trip costs `rttMs` as on a real network. Only signaling is delayed: the
 * WebSocket handshake and the media (UDP straight to the worker) are not.
 * It logs what passes, for round counting.
 */
export class DelayProxy {
  rttMs = 0;
  log: ProxiedMessage[] = [];
  readonly #server: InstanceType<typeof WebSocketServer>;
  readonly #target: string;
  readonly #sockets = new Set<WsSocket>();

  private constructor(server: InstanceType<typeof WebSocketServer>, target: string) {
    this.#server = server;
    this.#target = target;
    server.on('connection', (client) => this.#relay(client));
  }

  static async start(target: string): Promise<DelayProxy> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    return new DelayProxy(server, target);
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.#server.address() as AddressInfo).port}/ws`;
  }

  close(): void {
    for (const socket of this.#sockets) socket.terminate();
    this.#server.close();
  }

  #relay(client: WsSocket): void {
    const upstream = new WebSocket(this.#target);
    this.#sockets.add(client);
    this.#sockets.add(upstream);
    const waiting: RawData[] = [];
    upstream.on('open', () => {
      for (const data of waiting.splice(0)) upstream.send(data);
    });
    client.on('message', (data) => {
      this.#record('up', data);
      this.#later(() => {
        if (upstream.readyState === WebSocket.OPEN) upstream.send(data);
        else if (upstream.readyState === WebSocket.CONNECTING) waiting.push(data);
      });
    });
    upstream.on('message', (data) => {
      this.#record('down', data);
      this.#later(() => {
        if (client.readyState === WebSocket.OPEN) client.send(String(data));
      });
    });
    const closeBoth = () => {
      this.#later(() => {
        client.close();
        upstream.close();
      });
    };
    client.on('close', closeBoth);
    upstream.on('close', closeBoth);
    client.on('error', closeBoth);
    upstream.on('error', closeBoth);
  }

  #later(task: () => void): void {
    if (this.rttMs === 0) task();
    else setTimeout(task, this.rttMs / 2);
  }

  #record(direction: 'up' | 'down', data: RawData): void {
    try {
      const message = JSON.parse(String(data)) as { method?: string; id?: number | null };
      this.log.push({
        at: performance.now(),
        direction,
        ...(message.method !== undefined ? { method: message.method } : {}),
        ...(message.id !== undefined ? { id: message.id } : {}),
      });
    } catch {
      // Not ours to judge: the server answers malformed input itself.
    }
  }
}
