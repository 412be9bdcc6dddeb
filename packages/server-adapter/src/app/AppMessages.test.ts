import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  type AppNotificationData,
  defineAppProtocol,
  ErrorCode,
  MAX_APP_MESSAGE_DEPTH,
  ProtocolError,
} from '@vroom/protocol';
import * as v from 'valibot';
import { createSfuServer, type SfuServer } from '../index.js';
import { TestClient, waitFor } from '../test/TestClient.js';
import { serveAppMessages } from './AppMessages.js';

/** What an example app declares: raise hand, a counter, and their notifications. */
const handsApp = defineAppProtocol({
  requests: {
    raiseHand: {
      request: v.object({ up: v.boolean() }),
      response: v.object({ raised: v.pipe(v.number(), v.integer()) }),
    },
    lowerEveryone: { request: v.object({}), response: v.object({}) },
    /** Its handler answers outside the response schema: the server's bug. */
    broken: { request: v.object({}), response: v.object({ ok: v.literal(true) }) },
  },
  notifications: {
    handRaised: v.object({ peerId: v.string(), up: v.boolean() }),
    hello: v.object({ text: v.pipe(v.string(), v.maxLength(20)) }),
  },
});

let server: SfuServer;
let roomCount = 0;
const newRoomId = () => `app-${++roomCount}`;
const hands = new Map<string, Set<string>>();
let app: ReturnType<typeof serveAppMessages<typeof handsApp>>;

function hasCode(code: string) {
  return (error: unknown) => (error as ProtocolError).code === code;
}

before(async () => {
  server = await createSfuServer({ workers: 1, workerSettings: { logLevel: 'warn' } });
  app = serveAppMessages(server, handsApp, {
    raiseHand: (data, { peer, roomId }) => {
      const raised = hands.get(roomId) ?? new Set<string>();
      hands.set(roomId, raised);
      if (data.up) raised.add(peer.id);
      else raised.delete(peer.id);
      app.notifyRoom(roomId, 'handRaised', { peerId: peer.id, up: data.up }, { except: peer.id });
      return { raised: raised.size };
    },
    lowerEveryone: async (_data, { peer }) => {
      if (peer.identity?.displayName !== 'host') throw ProtocolError.forbidden('lowering hands');
      return {};
    },
    broken: async () => ({ ok: false }) as unknown as { ok: true },
  });
});
after(() => server.close());

describe('app messages on the server', () => {
  it('a declared request reaches its handler with the peer and room; the room hears the notification', async () => {
    const roomId = newRoomId();
    const alice = new TestClient(server);
    await alice.join(roomId);
    const bob = new TestClient(server);
    await bob.join(roomId);
    const answer = await alice.request('appRequest', { method: 'raiseHand', data: { up: true } });
    assert.deepEqual(answer, { data: { raised: 1 } });
    const heard = await waitFor(() => bob.received('appNotification')[0], 'handRaised');
    assert.deepEqual(heard, { method: 'handRaised', data: { peerId: alice.peerId, up: true } });
    await alice.request('ping', {});
    assert.deepEqual(alice.received('appNotification'), [], 'except the sender');
    for (const c of [alice, bob]) c.disconnect();
  });

  it('a bad payload is INVALID_DATA and changes nothing; an unknown method is UNKNOWN_METHOD', async () => {
    const roomId = newRoomId();
    const alice = new TestClient(server);
    await alice.join(roomId);
    await assert.rejects(
      alice.request('appRequest', { method: 'raiseHand', data: { up: 'yes' } }),
      hasCode(ErrorCode.InvalidData),
    );
    assert.equal(hands.get(roomId), undefined, 'the handler never ran');
    await assert.rejects(
      alice.request('appRequest', { method: 'dance', data: {} }),
      hasCode(ErrorCode.UnknownMethod),
    );
    // Built-in names are not app methods: the app table cannot reach them.
    await assert.rejects(
      alice.request('appRequest', { method: 'leave', data: {} }),
      hasCode(ErrorCode.UnknownMethod),
    );
    assert.equal(server.room(roomId)?.peers.length, 1);
    // Nesting past the bound is refused by the envelope's schema, before the app's.
    let deep: unknown = {};
    for (let i = 0; i < MAX_APP_MESSAGE_DEPTH + 2; i++) deep = { deep };
    await assert.rejects(
      alice.request('appRequest', { method: 'raiseHand', data: deep }),
      hasCode(ErrorCode.InvalidData),
    );
    alice.disconnect();
  });

  it('a handler refuses with its own code; a handler answering outside its schema is INTERNAL', async () => {
    const roomId = newRoomId();
    const guest = new TestClient(server);
    await guest.join(roomId);
    await assert.rejects(
      guest.request('appRequest', { method: 'lowerEveryone', data: {} }),
      hasCode(ErrorCode.Forbidden),
    );
    const host = new TestClient(server);
    await host.join(roomId, { displayName: 'host' });
    assert.deepEqual(await host.request('appRequest', { method: 'lowerEveryone', data: {} }), {
      data: {},
    });
    await assert.rejects(
      host.request('appRequest', { method: 'broken', data: {} }),
      hasCode(ErrorCode.Internal),
    );
    await host.request('ping', {}); // the session goes on
    for (const c of [guest, host]) c.disconnect();
  });

  it('app requests need a join, like built-in ones', async () => {
    const client = new TestClient(server);
    await assert.rejects(
      client.request('appRequest', { method: 'raiseHand', data: { up: true } }),
      hasCode(ErrorCode.NotJoined),
    );
    client.disconnect();
  });

  it('notifyPeer reaches one peer; bad data or an unknown peer throw and send nothing', async () => {
    const roomId = newRoomId();
    const alice = new TestClient(server);
    await alice.join(roomId);
    const bob = new TestClient(server);
    await bob.join(roomId);
    app.notifyPeer(roomId, alice.peerId, 'hello', { text: 'hi alice' });
    const got = await waitFor(() => alice.received('appNotification')[0], 'hello');
    const data = got.data as AppNotificationData<typeof handsApp, 'hello'>;
    assert.equal(data.text, 'hi alice');
    assert.throws(
      () => app.notifyPeer(roomId, alice.peerId, 'hello', { text: 'x'.repeat(21) }),
      hasCode(ErrorCode.InvalidData),
    );
    assert.throws(
      () => app.notifyPeer(roomId, 'nobody', 'hello', { text: 'hi' }),
      hasCode(ErrorCode.NotFound),
    );
    assert.equal(app.notifyRoom('no-such-room', 'hello', { text: 'hi' }), 0);
    await bob.request('ping', {});
    await alice.request('ping', {});
    assert.equal(alice.received('appNotification').length, 1);
    assert.equal(bob.received('appNotification').length, 0);
    for (const c of [alice, bob]) c.disconnect();
  });
});

describe('defineAppProtocol', () => {
  it('refuses built-in names and invalid names', () => {
    const schemas = { request: v.object({}), response: v.object({}) };
    assert.throws(() => defineAppProtocol({ requests: { join: schemas } }), /built-in/);
    assert.throws(
      () => defineAppProtocol({ notifications: { peerJoined: v.object({}) } }),
      /built-in/,
    );
    assert.throws(() => defineAppProtocol({ requests: { 'no spaces': schemas } }), /invalid/);
    assert.throws(() => defineAppProtocol({ requests: { ['__proto__']: schemas } }), /invalid/);
  });

  it('a second app protocol on one server is refused', () => {
    assert.throws(() => serveAppMessages(server, handsApp, app as never), /one per server/);
  });
});
