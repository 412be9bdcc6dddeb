/**
 * Dead-peer detection against the REAL mediasoup 3.8.4 worker, with real
 * WebRTC peers (@vroom/client's Node handler on @roamhq/wrtc), each in its
 * own process (e2e/support/mediaPeer.ts) producing VP8 video:
 *  - one is killed with SIGKILL: its socket closes and its media stops, so
 *    the others get peerLeft within grace + 10 s and the worker holds
 *    nothing of it;
 *  - one closes only its WebSocket while its video keeps flowing: it stays,
 *    well past the grace period.
 * The server uses the default detection timings (media polled every 2 s,
 * 6 s of silence is dead) and a 1 s grace so the test stays short.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  type ClientEndpoint,
  createClientEndpoint,
  type NotificationUnion,
  PROTOCOL_VERSION,
  type ServerNotifications,
} from '@vroom/protocol';
import { createSfuServer, type SfuServer } from '@vroom/server-adapter';
import { serveWebSocket } from '@vroom/server-adapter/ws';
import { WebSocket, WebSocketServer } from 'ws';

const GRACE_MS = 1000;
/** The server's default (sessionOptions.ts): 6 s without received bytes is dead. */
const MEDIA_TIMEOUT_MS = 6000;
const ROOM = 'dead-peer';
const mediaPeerScript = fileURLToPath(new URL('../support/mediaPeer.ts', import.meta.url));

/** A signaling-only observer in the room, pinging like the room client does. */
class Observer {
  readonly notifications: NotificationUnion<ServerNotifications>[] = [];
  readonly endpoint: ClientEndpoint;
  readonly #socket: WebSocket;
  readonly #heartbeat: NodeJS.Timeout;

  constructor(socket: WebSocket) {
    this.#socket = socket;
    this.endpoint = createClientEndpoint({
      send: (text) => socket.send(text),
      onRequest: async () => ({}),
      onNotification: (n) => this.notifications.push(n),
    });
    socket.on('message', (data) => this.endpoint.receive(String(data)));
    this.#heartbeat = setInterval(
      () => void this.endpoint.request('ping', {}).catch(() => {}),
      2000,
    );
    this.#heartbeat.unref();
  }

  close(): void {
    clearInterval(this.#heartbeat);
    this.#socket.close();
  }
}

interface MediaPeer {
  child: ChildProcess;
  /** Its first line: who it is on the server. */
  ready: Promise<{ peerId: string; transportId: string }>;
  /** Its next line after that. */
  next(): Promise<unknown>;
}

function startMediaPeer(url: string, mode: 'send' | 'recv' = 'send'): MediaPeer {
  const child = spawn(process.execPath, ['--import', 'tsx', mediaPeerScript, url, ROOM, mode], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const waiter = waiting.shift();
    if (waiter) waiter(line);
    else lines.push(line);
  });
  const nextLine = () =>
    new Promise<string>((resolve, reject) => {
      const line = lines.shift();
      if (line !== undefined) return resolve(line);
      waiting.push(resolve);
      child.once('exit', (code) => reject(new Error(`media peer exited (${code})`)));
    });
  return {
    child,
    ready: nextLine().then((line) => JSON.parse(line) as { peerId: string; transportId: string }),
    next: () => nextLine().then((line) => JSON.parse(line) as unknown),
  };
}

async function waitFor<T>(check: () => T | undefined | false, what: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('dead peers (real WebRTC peers in child processes)', () => {
  let server: SfuServer;
  let wss: WebSocketServer;
  let url: string;
  const children: ChildProcess[] = [];
  let observer: Observer | undefined;

  before(async () => {
    server = await createSfuServer({
      workers: 1,
      workerSettings: { logLevel: 'warn', rtcMinPort: 40200, rtcMaxPort: 40300 },
      session: { resumeWindowMs: GRACE_MS },
    });
    wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await once(wss, 'listening');
    serveWebSocket(server, wss);
    url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
  });

  after(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    observer?.close();
    wss?.close();
    server?.close();
  });

  it('removes a killed peer within grace + 10 s; keeps one whose signaling alone dropped', async (t) => {
    const socket = new WebSocket(url);
    await once(socket, 'open');
    observer = new Observer(socket);
    await observer.endpoint.request('join', {
      protocolVersion: PROTOCOL_VERSION,
      roomId: ROOM,
      displayName: 'observer',
      device: { name: 'node-test' },
    });

    const killed = startMediaPeer(url);
    const detached = startMediaPeer(url);
    children.push(killed.child, detached.child);
    const [killedPeer, detachedPeerInfo] = await Promise.all([killed.ready, detached.ready]);
    const killedId = killedPeer.peerId;
    const detachedId = detachedPeerInfo.peerId;
    const peerOf = (id: string) => server.room(ROOM)?.peers.find((p) => p.id === id);
    // Both send video: the worker counts their bytes.
    await waitFor(
      () =>
        [killedId, detachedId].every((id) => {
          const peer = peerOf(id);
          // A flat synthetic picture compresses to a few kB/s of VP8.
          return peer && peer.liveness.bytesReceived > 5_000;
        }),
      'video flowing from both peers',
      20_000,
    );

    const cutAt = Date.now();
    killed.child.kill('SIGKILL');
    detached.child.stdin?.write('drop-signaling\n');

    const peerLeft = (id: string) =>
      observer?.notifications.some((n) => n.method === 'peerLeft' && n.data.peerId === id);
    // The deadline is the spec's bound plus slack for a loaded machine; the
    // measured figure is reported below.
    await waitFor(() => peerLeft(killedId), 'peerLeft of the killed peer', GRACE_MS + 15_000);
    const elapsed = Date.now() - cutAt;
    t.diagnostic(`killed peer removed ${elapsed} ms after SIGKILL (grace ${GRACE_MS} ms)`);

    // Nothing of it is left in the worker: the detached peer's transport and producer only.
    const dump = (await server.room(ROOM)?.router.dump()) as {
      transportIds: string[];
      mapProducerIdConsumerIds: Record<string, string[]>;
    };
    const detachedPeer = peerOf(detachedId);
    assert.ok(detachedPeer, 'the peer whose signaling alone dropped is still in the room');
    assert.deepEqual(dump.transportIds.sort(), [...detachedPeer.transports.keys()].sort());
    assert.deepEqual(
      Object.keys(dump.mapProducerIdConsumerIds).sort(),
      [...detachedPeer.producers.keys()].sort(),
    );

    // The detached one: no connection, but its media keeps it. Wait until the
    // grace and the media timeout (plus two 2 s polls) have surely run out
    // since the cut, then check it is still there and still sending.
    assert.equal(detachedPeer.connected, false);
    const pastDeadline = cutAt + GRACE_MS + MEDIA_TIMEOUT_MS + 4_000;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, pastDeadline - Date.now())));
    const seen = detachedPeer.liveness.lastMediaAt;
    await waitFor(() => detachedPeer.liveness.lastMediaAt > seen, 'more media from it', 10_000);
    assert.equal(peerLeft(detachedId), false);
    assert.ok(peerOf(detachedId), 'still in the room past grace + media timeout');

    // Once its media stops too, it goes the same way.
    detached.child.kill('SIGKILL');
    await waitFor(() => peerLeft(detachedId), 'peerLeft of the second peer', GRACE_MS + 15_000);
    const empty = (await server.room(ROOM)?.router.dump()) as { transportIds: string[] };
    assert.deepEqual(empty.transportIds, []);
  });

  it('counts the STUN checks of a receive-only peer that receives nothing: it is not dead', async (t) => {
    const producer = startMediaPeer(url);
    children.push(producer.child);
    await producer.ready;
    // It consumes the video; then its consumer is closed, so no RTP reaches
    // it and it has nothing to report in RTCP: what still arrives is ICE.
    const probe = startMediaPeer(url, 'recv');
    children.push(probe.child);
    const { peerId, transportId } = await probe.ready;
    const peer = await waitFor(
      () => server.room(ROOM)?.peers.find((p) => p.id === peerId),
      'the probe on the server',
      5_000,
    );
    const transport = peer.transport(transportId);
    await waitFor(() => transport.dtlsState === 'connected', 'DTLS connected', 20_000);
    probe.child.stdin?.write('close-consumers\n');
    await probe.next();
    assert.equal(peer.consumers.size, 0);

    const sample = async () => (await transport.getStats())[0]?.bytesReceived ?? 0;
    const samples: number[] = [];
    let last = await sample();
    // Six 2 s windows (the watch's poll) with no media at all.
    for (let i = 0; i < 6; i++) {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const now = await sample();
      samples.push(now - last);
      last = now;
    }
    t.diagnostic(`bytes received per 2 s from an idle receive-only peer: ${samples.join(', ')}`);
    // No 6 s window (the media timeout) without a byte.
    for (let i = 0; i + 3 <= samples.length; i++) {
      assert.ok(
        samples.slice(i, i + 3).some((bytes) => bytes > 0),
        `window ${i} was silent`,
      );
    }
    producer.child.kill('SIGKILL');
    probe.child.kill('SIGKILL');
  });
});
