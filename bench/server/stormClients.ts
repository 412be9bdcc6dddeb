// bench:storm's clients, run in a child process so the server process's CPU
// is the server's alone: opens one `ws` socket per peer, and on 'go' sends
// every `join` at once and times each answer.
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { PROTOCOL_VERSION } from '../../packages/protocol/src/index.js';

// The root package installs no workspace tooling: borrow the e2e package's ws.
const require = createRequire(new URL('../../e2e/package.json', import.meta.url));
const { WebSocket } = require('ws') as typeof import('ws');

const ANSWER_TIMEOUT_MS = 30_000;

export interface StormResult {
  /** ms from sending `join` to its answer, for answered joins. */
  latencies: number[];
  /** Error code (or CLOSED / TIMEOUT / SOCKET) -> count. */
  errors: Record<string, number>;
}

export type StormCommand = { open: { url: string; peers: number; rooms: number } } | 'go' | 'close';

export function runStormClients(): void {
  const sockets: import('ws').WebSocket[] = [];
  let rooms = 1;
  const send = (message: unknown) => process.send?.(message);
  process.on('message', async (command: StormCommand) => {
    if (command === 'close') {
      for (const socket of sockets) socket.close();
      process.disconnect();
      return;
    }
    if (command === 'go') return send(await storm(sockets, rooms));
    rooms = command.open.rooms;
    const opened = Array.from({ length: command.open.peers }, () => {
      const socket = new WebSocket(command.open.url);
      socket.on('error', () => undefined); // reported as a failed join
      sockets.push(socket);
      return new Promise<void>((resolve) => {
        socket.once('open', () => resolve());
        socket.once('close', () => resolve());
      });
    });
    await Promise.all(opened);
    send('ready');
  });
}

async function storm(sockets: import('ws').WebSocket[], rooms: number): Promise<StormResult> {
  const result: StormResult = { latencies: [], errors: {} };
  const fail = (code: string) => {
    result.errors[code] = (result.errors[code] ?? 0) + 1;
  };
  await Promise.all(
    sockets.map(
      (socket, i) =>
        new Promise<void>((resolve) => {
          if (socket.readyState !== WebSocket.OPEN) {
            fail('SOCKET');
            return resolve();
          }
          const startedAt = performance.now();
          const done = (code?: string) => {
            clearTimeout(timer);
            socket.off('message', onMessage);
            socket.off('close', onClose);
            if (code) fail(code);
            else result.latencies.push(performance.now() - startedAt);
            resolve();
          };
          const timer = setTimeout(() => done('TIMEOUT'), ANSWER_TIMEOUT_MS);
          const onClose = () => done('CLOSED');
          const onMessage = (data: import('ws').RawData) => {
            const message = JSON.parse(String(data)) as {
              id?: number;
              ok?: boolean;
              error?: { code?: string };
            };
            if (message.id !== 1 || message.ok === undefined) return; // a notification
            done(message.ok ? undefined : (message.error?.code ?? 'UNKNOWN'));
          };
          socket.on('message', onMessage);
          socket.on('close', onClose);
          socket.send(
            JSON.stringify({
              id: 1,
              method: 'join',
              data: {
                protocolVersion: PROTOCOL_VERSION,
                roomId: `storm-${i % rooms}`,
                displayName: `bot ${i}`,
                device: { name: 'bench-storm' },
                transports: { send: {}, recv: {} },
              },
            }),
          );
        }),
    ),
  );
  return result;
}
