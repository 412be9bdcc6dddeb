import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PROTOCOL_VERSION } from '@vroom/protocol';
import { CloseCode } from './Connection.js';
import { createSfuServer, type SfuServer } from './index.js';
import { createConnectionPair, MemoryConnection } from './test/MemoryConnection.js';
import { TestClient, waitFor } from './test/TestClient.js';

// Issue 11, F3-F5: what a connection may cost before and after it joins,
// on the real server (real worker), through in-memory connections.

let server: SfuServer;
before(async () => {
  server = await createSfuServer({
    workers: 1,
    workerSettings: { logLevel: 'none' },
    limits: {
      joinTimeoutMs: 300,
      preJoinMessageBytes: 4096,
      frameBurst: 50,
      framesPerSecond: 10,
      connectionsPerAddress: 3,
      maxConnections: 12,
      sendBufferBytes: 32 * 1024,
      byteBurst: 64 * 1024,
      bytesPerSecond: 8 * 1024,
    },
  });
});
after(() => server.close());

/** An in-memory connection to `server` from `remoteAddress`, and everything it received. */
function connect(remoteAddress?: string) {
  const [serverSide, clientSide] = createConnectionPair();
  const received: string[] = [];
  clientSide.onMessage((data) => received.push(String(data)));
  server.handleConnection(serverSide, remoteAddress ? { remoteAddress } : {});
  return { client: clientSide, received };
}

const closedWith = (connection: MemoryConnection, code: number) =>
  waitFor(() => connection.closed && connection.closeCode === code, `close code ${code}`);

const joinFrame = (roomId: string) =>
  JSON.stringify({
    id: 1,
    method: 'join',
    data: { protocolVersion: PROTOCOL_VERSION, roomId, displayName: 'g', device: { name: 'g' } },
  });

describe('F4: frames are bounded and counted before any parse', () => {
  it('before join, a frame over preJoinMessageBytes is cut (1009), unanswered', async () => {
    const { client, received } = connect('192.0.2.10');
    client.sendRaw(JSON.stringify({ id: 1, ok: true, data: { pad: 'x'.repeat(120 * 1024) } }));
    await closedWith(client, CloseCode.MessageTooBig);
    assert.deepEqual(received, []);
  });

  it('response-shaped and junk frames count toward the flood limit (1008)', async () => {
    const { client } = connect('192.0.2.11');
    for (let i = 0; i < 60; i++) client.sendRaw(JSON.stringify({ id: i, ok: true, data: {} }));
    await closedWith(client, CloseCode.PolicyViolation);
    const junk = connect('192.0.2.12').client;
    for (let i = 0; i < 60; i++) junk.sendRaw('not json');
    await closedWith(junk, CloseCode.PolicyViolation);
  });

  it('a joined client past its byte budget is cut (1008), however few its frames', async () => {
    const { client } = connect('192.0.2.14');
    client.sendRaw(joinFrame('bytes'));
    await waitFor(() => server.room('bytes')?.peers.length === 1, 'joined');
    const big = JSON.stringify({ id: 9, method: 'ping', data: { pad: 'x'.repeat(20 * 1024) } });
    for (let i = 0; i < 5; i++) client.sendRaw(big);
    await closedWith(client, CloseCode.PolicyViolation);
  });

  it('a joined client within its budget is not cut, and may send large frames', async () => {
    const alice = new TestClient(server, '192.0.2.13');
    await alice.join('guarded');
    await alice.request('ping', { pad: 'x'.repeat(8192) } as never);
    assert.equal(alice.connection.closed, false);
  });
});

/**
 * The server's end of a socket whose client never reads: everything sent
 * stays buffered. A stand-in for ws's `bufferedAmount`, which on loopback
 * only starts to grow once the kernel's socket buffers (several MB) are full.
 */
class UnreadConnection extends MemoryConnection {
  buffered = 0;
  override send(text: string): void {
    if (this.closed) throw new Error('connection closed');
    this.buffered += Buffer.byteLength(text);
  }
  bufferedAmount(): number {
    return this.buffered;
  }
}

describe('F3: a client that does not read', () => {
  it('is cut (4004) once more than sendBufferBytes wait for it', async () => {
    const serverSide = new UnreadConnection();
    const slow = new MemoryConnection();
    serverSide.other = slow;
    slow.other = serverSide;
    server.handleConnection(serverSide, { remoteAddress: '192.0.2.30' });
    slow.sendRaw(joinFrame('unread'));
    await waitFor(() => server.room('unread')?.peers.length === 1, 'the slow peer seated');
    // Others come and go with 3 KB of app data (under the pre-join frame limit):
    // each peerJoined waits in its buffer.
    for (let i = 0; i < 20 && !slow.closed; i++) {
      const other = new TestClient(server, `192.0.2.${40 + i}`);
      await other.join('unread', { appData: { blob: 'x'.repeat(3000) } });
      await other.request('leave', {});
      other.disconnect();
    }
    await closedWith(slow, CloseCode.SlowReader);
    assert.ok(serverSide.buffered > 32 * 1024);
    assert.ok(serverSide.buffered < 48 * 1024, 'cut soon after the limit, not later');
  });
});

describe('F5: idle and numerous connections', () => {
  it('a connection that does not join within joinTimeoutMs is closed (4003); a joined one stays', async () => {
    const idle = connect('192.0.2.20').client;
    const joined = new TestClient(server, '192.0.2.21');
    await joined.join('idle');
    await closedWith(idle, CloseCode.JoinTimeout);
    await new Promise((resolve) => setTimeout(resolve, 350));
    assert.equal(joined.connection.closed, false);
    assert.equal(server.room('idle')?.peers.length, 1);
  });

  it('connections per address are capped (4005); IPv6 counts per /64; closing frees a slot', async () => {
    const first = [1, 2, 3].map((i) => connect(`2001:db8:0:7::${i}`));
    for (const { client } of first) client.sendRaw(joinFrame('v6'));
    await waitFor(() => server.room('v6')?.peers.length === 3, 'three peers');
    const fourth = connect('2001:db8:0:7:ffff::9').client;
    await closedWith(fourth, CloseCode.TooManyConnections);
    assert.match(fourth.closeReason ?? '', /too many connections from this address/);
    assert.equal(connect('2001:db8:0:8::1').client.closed, false, 'another /64 gets in');
    const before = server.connectionCount;
    first[0]?.client.close(); // its session is kept for a resume; its connection slot is freed
    await waitFor(() => server.connectionCount === before - 1, 'the slot freed');
    assert.equal(connect('2001:db8:0:7::4').client.closed, false, 'the freed slot is taken');
  });

  it('connections in all are capped (1013, server full)', async () => {
    const open: MemoryConnection[] = [];
    for (let i = 0; open.length < 40; i++) {
      const { client } = connect(`198.51.100.${i}`);
      open.push(client);
      if (client.closed) break;
    }
    const refused = open.at(-1) as MemoryConnection;
    await closedWith(refused, CloseCode.TryAgainLater);
    assert.ok(server.connectionCount <= 12);
    for (const connection of open) connection.close();
  });
});
