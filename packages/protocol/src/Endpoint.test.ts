import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorCode, ProtocolError } from './errors.js';
import type { ClientEndpoint, ServerEndpoint } from './sides.js';
import { createClientEndpoint, createServerEndpoint } from './sides.js';
import { PROTOCOL_VERSION } from './version.js';

/** A client and a server endpoint wired back to back, as a socket would. */
function pair(options: {
  serverRequest?: Parameters<typeof createServerEndpoint>[0]['onRequest'];
  clientRequest?: Parameters<typeof createClientEndpoint>[0]['onRequest'];
  requestTimeoutMs?: number;
}) {
  const serverErrors: ProtocolError[] = [];
  const clientNotifications: unknown[] = [];
  const clientErrors: ProtocolError[] = [];
  const wire: { client?: ClientEndpoint; server?: ServerEndpoint } = {};
  const server = createServerEndpoint({
    send: (text) => queueMicrotask(() => wire.client?.receive(text)),
    onRequest: options.serverRequest ?? (async () => ({})),
    onError: (e) => serverErrors.push(e),
    requestTimeoutMs: options.requestTimeoutMs ?? 1000,
  });
  const client = createClientEndpoint({
    send: (text) => queueMicrotask(() => wire.server?.receive(text)),
    onRequest: options.clientRequest ?? (async () => ({})),
    onNotification: (n) => clientNotifications.push(n),
    onError: (e) => clientErrors.push(e),
    requestTimeoutMs: options.requestTimeoutMs ?? 1000,
  });
  wire.client = client;
  wire.server = server;
  return { client, server, serverErrors, clientNotifications, clientErrors };
}

const joinData = {
  protocolVersion: PROTOCOL_VERSION,
  roomId: 'r',
  displayName: 'Ann',
  device: { name: 'test' },
};

describe('Endpoint', () => {
  it('carries a typed request and its response', async () => {
    const { client } = pair({
      serverRequest: async (request) => {
        assert.equal(request.method, 'join');
        if (request.method !== 'join') throw new Error('unreachable');
        assert.equal(request.data.displayName, 'Ann');
        return { peerId: 'p1', routerRtpCapabilities: { codecs: [] }, peers: [] };
      },
    });
    const response = await client.request('join', joinData);
    assert.equal(response.peerId, 'p1');
    assert.deepEqual(response.peers, []);
  });

  it('drops keys the schema does not know before the handler sees them', async () => {
    let seen: unknown;
    const { client } = pair({
      serverRequest: async (request) => {
        seen = request.data;
        return {};
      },
    });
    await client.request('closeProducer', { producerId: 'x', extra: 1 } as never);
    assert.deepEqual(seen, { producerId: 'x' });
  });

  it('answers a handler ProtocolError with its code, and other errors with INTERNAL', async () => {
    const { client } = pair({
      serverRequest: async (request) => {
        if (request.method === 'pauseProducer') throw ProtocolError.notFound('producer', 'x');
        throw new TypeError('boom');
      },
    });
    await assert.rejects(client.request('pauseProducer', { producerId: 'x' }), {
      name: 'ProtocolError',
      code: ErrorCode.NotFound,
      message: 'producer "x" not found',
    });
    await assert.rejects(client.request('resumeProducer', { producerId: 'x' }), {
      code: ErrorCode.Internal,
      message: 'boom',
    });
  });

  it('answers invalid data with INVALID_DATA naming the field', async () => {
    const { client } = pair({});
    await assert.rejects(
      client.request('setConsumerPriority', { consumerId: 'c', priority: 'high' as never }),
      (error: ProtocolError) => {
        assert.equal(error.code, ErrorCode.InvalidData);
        assert.match(error.message, /setConsumerPriority.*priority/);
        return true;
      },
    );
  });

  it('answers an unknown method with UNKNOWN_METHOD', async () => {
    const { client } = pair({});
    await assert.rejects(client.request('nope' as never, {} as never), {
      code: ErrorCode.UnknownMethod,
    });
  });

  it('answers garbage it can read an id from, and reports the rest', async () => {
    const sent: string[] = [];
    const errors: ProtocolError[] = [];
    const server = createServerEndpoint({
      send: (text) => sent.push(text),
      onRequest: async () => ({}),
      onError: (e) => errors.push(e),
    });
    server.receive('{"id":3,"method":42}');
    server.receive('not json');
    assert.deepEqual(JSON.parse(sent[0] ?? ''), {
      id: 3,
      ok: false,
      error: {
        code: 'BAD_MESSAGE',
        message: 'malformed message: "method" must be a non-empty string',
      },
    });
    assert.equal(JSON.parse(sent[1] ?? '').id, null);
    assert.equal(errors.length, 2);
  });

  it('lets the server ask the client, and validates the answer', async () => {
    const { server } = pair({ clientRequest: async () => ({}) });
    const answer = await server.request('newDataConsumer', {
      peerId: 'p',
      dataProducerId: 'dp',
      id: 'dc',
      sctpStreamParameters: { streamId: 1 },
      label: 'chat',
      protocol: '',
      appData: {},
    });
    assert.deepEqual(answer, {});
  });

  it('rejects a response that breaks the response schema', async () => {
    const { client } = pair({ serverRequest: async () => ({ producerId: 5 }) });
    await assert.rejects(
      client.request('produce', {
        transportId: 't',
        kind: 'audio',
        rtpParameters: { codecs: [] },
      }),
      { code: ErrorCode.InvalidData },
    );
  });

  it('delivers valid notifications and skips unknown or invalid ones', async () => {
    const { server, clientNotifications, clientErrors } = pair({});
    server.notify('peerLeft', { peerId: 'p2' });
    server.notify('nope' as never, {} as never);
    server.notify('peerLeft', { peerId: 3 } as never);
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.deepEqual(clientNotifications, [{ method: 'peerLeft', data: { peerId: 'p2' } }]);
    assert.deepEqual(
      clientErrors.map((e) => e.code),
      [ErrorCode.UnknownMethod, ErrorCode.InvalidData],
    );
  });

  it('carries the sequence number of numbered notifications', async () => {
    const seen: Array<[string, number | undefined]> = [];
    const client = createClientEndpoint({
      send: () => {},
      onRequest: async () => ({}),
      onNotification: (n, seq) => seen.push([n.method, seq]),
    });
    const sent: string[] = [];
    const server = createServerEndpoint({ send: (t) => sent.push(t), onRequest: async () => ({}) });
    server.notify('peerLeft', { peerId: 'a' }, 41);
    server.notify('peerLeft', { peerId: 'b' });
    for (const text of sent) client.receive(text);
    assert.deepEqual(seen, [
      ['peerLeft', 41],
      ['peerLeft', undefined],
    ]);
  });

  it('times out a request nobody answers', async () => {
    const client = createClientEndpoint({ send: () => {}, onRequest: async () => ({}) });
    await assert.rejects(client.request('ping', {}, 20), { code: ErrorCode.Timeout });
    assert.equal(client.pendingCount, 0);
  });

  it('rejects pending and later requests once closed', async () => {
    const client = createClientEndpoint({ send: () => {}, onRequest: async () => ({}) });
    const pending = client.request('ping', {});
    client.close();
    await assert.rejects(pending, { code: ErrorCode.Closed });
    await assert.rejects(client.request('ping', {}), { code: ErrorCode.Closed });
  });

  it('treats a send that throws as a closed channel for that request', async () => {
    const client = createClientEndpoint({
      send: () => {
        throw new Error('socket gone');
      },
      onRequest: async () => ({}),
    });
    await assert.rejects(client.request('ping', {}), { code: ErrorCode.Closed });
  });
});

describe('Endpoint: answers that cannot be written', () => {
  it('answers INTERNAL, never silence, when the response cannot be serialised', async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const { client, serverErrors } = pair({ serverRequest: async () => cyclic });
    await assert.rejects(client.request('ping', {}), (error: ProtocolError) => {
      assert.equal(error.code, ErrorCode.Internal);
      assert.match(error.message, /could not be serialised/);
      return true;
    });
    assert.match(serverErrors[0]?.message ?? '', /cannot serialise/);
  });
});
