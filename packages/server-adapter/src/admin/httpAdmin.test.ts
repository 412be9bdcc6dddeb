import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createSfuServer, type SfuServer } from '../index.js';
import { TestClient, waitFor } from '../test/TestClient.js';
import { signAdminToken } from './adminToken.js';
import { createAdminHandler } from './httpAdmin.js';
import { Moderation } from './Moderation.js';

const secret = randomBytes(32).toString('hex');
let sfu: SfuServer;
let http: Server;
let base = '';

before(async () => {
  sfu = await createSfuServer({ workers: 1, workerSettings: { logLevel: 'warn' } });
  const admin = createAdminHandler(new Moderation(sfu), { secret, maxBodyBytes: 4096 });
  http = createServer(async (request, response) => {
    if (!(await admin(request, response))) response.writeHead(404).end('app route');
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}/admin`;
});
after(async () => {
  await new Promise((resolve) => http.close(resolve));
  sfu.close();
});

async function call(
  route: string,
  options: { body?: unknown; raw?: string; auth?: string | null; method?: string } = {},
) {
  const auth = options.auth === undefined ? secret : options.auth;
  const body =
    options.raw ?? (options.body !== undefined ? JSON.stringify(options.body) : undefined);
  const response = await fetch(`${base}/${route}`, {
    method: options.method ?? (body !== undefined ? 'POST' : 'GET'),
    headers: {
      'content-type': 'application/json',
      ...(auth !== null ? { authorization: `Bearer ${auth}` } : {}),
    },
    ...(body !== undefined ? { body } : {}),
  });
  const json = (await response.json()) as {
    result?: unknown;
    error?: { code: string; message: string };
  };
  return { status: response.status, ...json };
}

describe('HTTP admin endpoint', () => {
  it('refuses without the secret, with a wrong one, a forged or an expired token (401), changing nothing', async () => {
    const alice = new TestClient(sfu);
    await alice.join('http-1');
    const forged = signAdminToken('another secret that is long enough to be accepted');
    const expired = signAdminToken(secret, 1, Date.now() - 10_000);
    for (const auth of [null, 'wrong', `${secret}x`, forged, expired, 'v1.99999999999.abc']) {
      const answer = await call('removePeer', {
        auth,
        body: { roomId: 'http-1', peerId: alice.peerId, reason: 'x' },
      });
      assert.equal(answer.status, 401, `credential ${auth}`);
      assert.equal(answer.error?.code, 'UNAUTHORIZED');
    }
    assert.equal(sfu.room('http-1')?.peers.length, 1);
    assert.equal(alice.received('removedFromRoom').length, 0);
    alice.disconnect();
  });

  it('lists rooms with the secret or a signed token', async () => {
    const alice = new TestClient(sfu);
    await alice.join('http-2', { displayName: 'Alice' });
    for (const auth of [secret, signAdminToken(secret, 60)]) {
      const answer = await call('rooms', { auth });
      assert.equal(answer.status, 200);
      const rooms = answer.result as { roomId: string; peers: { displayName: string }[] }[];
      const room = rooms.find((r) => r.roomId === 'http-2');
      assert.deepEqual(
        room?.peers.map((p) => p.displayName),
        ['Alice'],
      );
    }
    alice.disconnect();
  });

  it('answers bad input with 400 and a clear message, unknown routes 404, wrong methods 405, big bodies 413', async () => {
    const alice = new TestClient(sfu);
    await alice.join('http-3');
    const badJson = await call('removePeer', { raw: '{"roomId":' });
    assert.equal(badJson.status, 400);
    assert.match(badJson.error?.message ?? '', /not JSON/);
    const missing = await call('removePeer', { body: { roomId: 'http-3', peerId: alice.peerId } });
    assert.equal(missing.status, 400);
    assert.match(missing.error?.message ?? '', /reason/);
    const array = await call('closeRoom', { body: [] });
    assert.equal(array.status, 400);
    assert.equal((await call('nope', { body: {} })).status, 404);
    assert.equal((await call('__proto__', { body: {} })).status, 404);
    const gone = await call('removePeer', {
      body: { roomId: 'http-3', peerId: 'nobody', reason: 'x' },
    });
    assert.equal(gone.status, 404);
    assert.equal(gone.error?.code, 'NOT_FOUND');
    assert.equal((await call('removePeer', { method: 'GET' })).status, 405);
    const big = await call('sendMessage', { body: { roomId: 'http-3', text: 'x'.repeat(5000) } });
    assert.equal(big.status, 413);
    assert.equal(sfu.room('http-3')?.peers.length, 1);
    assert.equal(alice.received('serverMessage').length, 0);
    alice.disconnect();
  });

  it('runs an operation: removePeer reaches the peer with its reason', async () => {
    const alice = new TestClient(sfu);
    await alice.join('http-4');
    const answer = await call('removePeer', {
      body: { roomId: 'http-4', peerId: alice.peerId, reason: 'spam' },
    });
    assert.equal(answer.status, 200);
    await waitFor(() => alice.connection.closed, 'removed');
    assert.deepEqual(alice.received('removedFromRoom'), [{ reason: 'spam' }]);
  });

  it('leaves other paths to the app', async () => {
    const response = await fetch(base.replace('/admin', '/other'));
    assert.equal(response.status, 404);
    assert.equal(await response.text(), 'app route');
  });

  it('refuses a short secret at creation', () => {
    assert.throws(
      () => createAdminHandler(new Moderation(sfu), { secret: 'short' }),
      /32 characters/,
    );
  });
});
