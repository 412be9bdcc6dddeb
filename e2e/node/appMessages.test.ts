/**
 * App messages and permissions end to end: RoomClients in Node (FakeHandler,
 * over `ws`) against a real SfuServer on the mediasoup worker, the app's
 * protocol declared once with valibot and typed on both ends.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { FakeHandler, testFakeParameters } from '@vroom/client';
import {
  appMessages,
  RoomClient as Room,
  type RoomClient,
  type RoomError,
} from '@vroom/client/room';
import { defineAppProtocol, ErrorCode } from '@vroom/protocol';
import { createSfuServer, type SfuServer, serveAppMessages } from '@vroom/server-adapter';
import { serveWebSocket } from '@vroom/server-adapter/ws';
import * as v from 'valibot';
import { WebSocket, WebSocketServer } from 'ws';
import { waitForEvent } from '../support/roomEvents.js';

const handsApp = defineAppProtocol({
  requests: {
    raiseHand: {
      request: v.object({ up: v.boolean() }),
      response: v.object({ raised: v.number() }),
    },
  },
  notifications: {
    handRaised: v.object({ peerId: v.string(), up: v.boolean() }),
    hello: v.object({ text: v.pipe(v.string(), v.maxLength(20)) }),
  },
});

/** The same names with a stricter client-side schema: what an out-of-date server would break. */
const strictClientApp = defineAppProtocol({
  requests: handsApp.requests,
  notifications: {
    handRaised: handsApp.notifications.handRaised,
    hello: v.object({ text: v.pipe(v.string(), v.maxLength(5)) }),
  },
});

let sfu: SfuServer;
let wss: WebSocketServer;
let url: string;
let handled = 0;
let app: ReturnType<typeof serveAppMessages<typeof handsApp>>;
const rooms: RoomClient[] = [];

before(async () => {
  sfu = await createSfuServer({
    workers: 1,
    workerSettings: { logLevel: 'warn', rtcMinPort: 43000, rtcMaxPort: 43999 },
  });
  app = serveAppMessages(sfu, handsApp, {
    raiseHand: (data, { peer, roomId }) => {
      handled++;
      app.notifyRoom(roomId, 'handRaised', { peerId: peer.id, up: data.up }, { except: peer.id });
      return { raised: data.up ? 1 : 0 };
    },
  });
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  serveWebSocket(sfu, wss);
  url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
});

after(async () => {
  for (const room of rooms) await room.leave().catch(() => undefined);
  await new Promise<void>((resolve) => wss.close(() => resolve()));
  sfu.close();
});

function client(roomId: string, displayName: string): RoomClient {
  const room = new Room({
    url,
    WebSocket,
    roomId,
    displayName,
    device: { handlerFactory: FakeHandler.createFactory(testFakeParameters) },
  });
  rooms.push(room);
  return room;
}

describe('app messages through RoomClient', () => {
  it('a typed request is answered; the others get the typed notification', async () => {
    const alice = client('hands', 'alice');
    const bob = client('hands', 'bob');
    await alice.join();
    await bob.join();
    const heard = new Promise<{ peerId: string; up: boolean }>((resolve) =>
      appMessages(bob, handsApp).on('handRaised', resolve),
    );
    const answer = await appMessages(alice, handsApp).request('raiseHand', { up: true });
    assert.deepEqual(answer, { raised: 1 });
    assert.deepEqual(await heard, { peerId: alice.peerId, up: true });
  });

  it('bad data is refused before it leaves (INVALID_DATA) and the server handler never runs', async () => {
    const carol = client('hands-2', 'carol');
    await carol.join();
    const before = handled;
    const hands = appMessages(carol, handsApp);
    await assert.rejects(
      hands.request('raiseHand', { up: 'yes' } as unknown as { up: boolean }),
      (error: RoomError) => error.protocolCode === ErrorCode.InvalidData,
    );
    // Bypassing the typed layer, the server refuses it the same way.
    await assert.rejects(
      carol.appRequest('raiseHand', { up: 'yes' }),
      (error: RoomError) => error.protocolCode === ErrorCode.InvalidData,
    );
    await assert.rejects(
      carol.appRequest('dance', {}),
      (error: RoomError) => error.protocolCode === ErrorCode.UnknownMethod,
    );
    assert.equal(handled, before);
    assert.equal(carol.connectionState, 'connected');
  });

  it('a notification outside the client schema is dropped and reported as an error', async () => {
    const dave = client('hands-3', 'dave');
    await dave.join();
    const got: string[] = [];
    appMessages(dave, strictClientApp).on('hello', ({ text }) => got.push(text));
    const reported = waitForEvent(dave, 'error');
    app.notifyPeer('hands-3', dave.peerId ?? '', 'hello', { text: 'far too long' });
    const [error] = await reported;
    assert.equal(error.protocolCode, ErrorCode.InvalidData);
    app.notifyPeer('hands-3', dave.peerId ?? '', 'hello', { text: 'hi' });
    await waitForEvent(dave, 'appnotification', (m) => (m.data as { text: string }).text === 'hi');
    assert.deepEqual(got, ['hi']);
  });

  it('permissions: the room client hears a change and exposes it', async () => {
    const erin = client('perm', 'erin');
    await erin.join();
    const current = () => erin.permissions; // read again later (no narrowing)
    assert.equal(current(), undefined, 'the server defaults');
    const changed = waitForEvent(erin, 'permissionschange');
    sfu.setPermissions('perm', erin.peerId ?? '', { publish: ['audio'], record: true });
    const [permissions] = await changed;
    assert.deepEqual(permissions.publish, ['audio']);
    assert.equal(current()?.record, true);
  });
});
