import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createSfuServer, type SfuServer } from '../index.js';
import { opusParameters } from '../test/fixtures.js';
import { joinWithMedia } from '../test/rooms.js';
import { waitFor } from '../test/TestClient.js';
import { createWebhookReceiver, verifyWebhook } from './receiver.js';
import { connectWebhooks } from './serverWebhooks.js';
import { SIGNATURE_HEADER, signWebhook, WebhookSignatureError } from './signature.js';
import { type WebhookDelivery, WebhookSender } from './WebhookSender.js';

const secret = 'whsec-0123456789abcdef0123456789abcdef';
let sfu: SfuServer;

before(async () => {
  sfu = await createSfuServer({ workers: 1, workerSettings: { logLevel: 'warn' } });
});
after(() => sfu.close());

/** A real local HTTP server; `handle` answers each request. */
async function listen(handle: (request: IncomingMessage, response: ServerResponse) => unknown) {
  const server: Server = createServer((request, response) => void handle(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return { url, close: () => new Promise((resolve) => server.close(resolve)) };
}

function isSignatureError(code: string) {
  return (error: unknown) => error instanceof WebhookSignatureError && error.code === code;
}

describe('webhook signatures', () => {
  const body = JSON.stringify({ id: '1', type: 'room.started', createdAt: 0, data: {} });

  it('accepts its own signature and refuses missing, malformed, stale, forged and altered ones', () => {
    const header = signWebhook(secret, body);
    assert.equal(verifyWebhook(secret, body, header).type, 'room.started');
    assert.throws(() => verifyWebhook(secret, body, undefined), isSignatureError('MISSING'));
    assert.throws(() => verifyWebhook(secret, body, 'v1=abc'), isSignatureError('MALFORMED'));
    const old = signWebhook(secret, body, Math.floor(Date.now() / 1000) - 600);
    assert.throws(() => verifyWebhook(secret, body, old), isSignatureError('STALE'));
    const forged = signWebhook('someone else', body);
    assert.throws(() => verifyWebhook(secret, body, forged), isSignatureError('MISMATCH'));
    assert.throws(
      () => verifyWebhook(secret, body.replace('started', 'finished'), header),
      isSignatureError('MISMATCH'),
    );
    // A later timestamp on the same signature does not pass either.
    const t = Number(/t=(\d+)/.exec(header)?.[1]);
    assert.throws(
      () => verifyWebhook(secret, body, header.replace(`t=${t}`, `t=${t + 1}`)),
      isSignatureError('MISMATCH'),
    );
  });
});

describe('server webhooks, delivered to a real receiver', () => {
  it('sends the main events of a join / produce / leave, signed, in order', async () => {
    const received: WebhookDelivery[] = [];
    const receiver = await listen(
      createWebhookReceiver({ secret, onEvent: (delivery) => void received.push(delivery) }),
    );
    const hooks = connectWebhooks(sfu, { url: receiver.url, secret });
    const alice = await joinWithMedia(sfu, 'hooks-1');
    const { producerId } = await alice.client.request('produce', {
      transportId: alice.sendTransportId,
      kind: 'audio',
      rtpParameters: opusParameters(),
      appData: { source: 'microphone' },
    });
    await alice.client.request('closeProducer', { producerId });
    await alice.client.request('leave', {});
    await waitFor(() => received.length >= 6, 'six deliveries');
    await hooks.sender.drained();
    assert.deepEqual(
      received.map((d) => d.type),
      [
        'room.started',
        'peer.joined',
        'producer.published',
        'producer.unpublished',
        'peer.left',
        'room.finished',
      ],
    );
    const published = received[2]?.data as { producerId: string; source: string; roomId: string };
    assert.equal(published.producerId, producerId);
    assert.equal(published.source, 'microphone');
    assert.equal(published.roomId, 'hooks-1');
    assert.equal((received[4]?.data as { reason?: string } | undefined)?.reason, 'left');
    assert.equal(new Set(received.map((d) => d.id)).size, 6);
    assert.deepEqual(hooks.sender.stats, {
      delivered: 6,
      failed: 0,
      dropped: 0,
      retries: 0,
      queued: 0,
    });
    hooks.close();
    alice.client.disconnect();
    await receiver.close();
  });

  it('refuses deliveries signed with another secret (401), calling nothing', async () => {
    const received: WebhookDelivery[] = [];
    const receiver = await listen(
      createWebhookReceiver({ secret, onEvent: (delivery) => void received.push(delivery) }),
    );
    const impostor = new WebhookSender({
      url: receiver.url,
      secret: 'not-the-secret',
      maxAttempts: 1,
    });
    impostor.send('room.started', { roomId: 'x' });
    await impostor.drained();
    assert.equal(impostor.stats.failed, 1, 'a 401 is a refusal, not retried');
    const unsigned = await fetch(receiver.url, { method: 'POST', body: '{}' });
    assert.equal(unsigned.status, 401);
    const body = JSON.stringify({ id: 'a', type: 'room.started', createdAt: 1, data: {} });
    const stale = await fetch(receiver.url, {
      method: 'POST',
      body,
      headers: { [SIGNATURE_HEADER]: signWebhook(secret, body, 1000) },
    });
    assert.equal(stale.status, 401);
    assert.match(await stale.text(), /outside 300 s/);
    assert.equal(received.length, 0);
    await receiver.close();
  });

  it('retries a failing receiver with backoff, same id each time, and keeps the order', async () => {
    const attempts: { id: string; at: number }[] = [];
    const received: WebhookDelivery[] = [];
    const verify = createWebhookReceiver({ secret, onEvent: (d) => void received.push(d) });
    const receiver = await listen(async (request, response) => {
      // The first three tries fail: 503, a dropped connection, 503.
      if (attempts.length < 3) {
        const chunks: Buffer[] = [];
        for await (const chunk of request) chunks.push(chunk as Buffer);
        attempts.push({ id: JSON.parse(Buffer.concat(chunks).toString()).id, at: Date.now() });
        if (attempts.length === 2) response.socket?.destroy();
        else response.writeHead(503).end();
        return;
      }
      await verify(request, response);
    });
    const sender = new WebhookSender({ url: receiver.url, secret, backoffMs: 40, maxAttempts: 5 });
    sender.send('peer.joined', { n: 1 });
    sender.send('peer.joined', { n: 2 });
    await sender.drained();
    assert.deepEqual(
      received.map((d) => (d.data as { n: number }).n),
      [1, 2],
    );
    assert.ok(
      attempts.every((a) => a.id === received[0]?.id),
      'retries carry the same id',
    );
    const gaps = attempts.slice(1).map((a, i) => a.at - (attempts[i]?.at ?? 0));
    assert.ok(
      gaps.every((gap) => gap >= 15),
      `backoff waited between tries (${gaps})`,
    );
    assert.deepEqual(sender.stats, { delivered: 2, failed: 0, dropped: 0, retries: 3, queued: 0 });
    await receiver.close();
  });

  it('gives up after maxAttempts, and bounds its queue by dropping the oldest', async () => {
    let hits = 0;
    const receiver = await listen((_request, response) => {
      hits++;
      response.writeHead(500).end();
    });
    const sender = new WebhookSender({
      url: receiver.url,
      secret,
      backoffMs: 1,
      maxAttempts: 3,
      maxQueue: 2,
    });
    for (let n = 0; n < 5; n++) sender.send('peer.joined', { n });
    await sender.drained();
    // Two slots, the first in flight: 1, 2 and 3 are each pushed out by the next; 0 and 4 are tried.
    assert.deepEqual(sender.stats, { delivered: 0, failed: 2, dropped: 3, retries: 4, queued: 0 });
    assert.equal(hits, 6);
    await receiver.close();
  });
});
