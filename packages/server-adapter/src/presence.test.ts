import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CloseCode } from './Connection.js';
import { createSfuServer, type SfuServer } from './index.js';
import { vp8Parameters } from './test/fixtures.js';
import { joinWithMedia, serverPeer } from './test/rooms.js';
import { TestClient, waitFor } from './test/TestClient.js';

// Issue 15: a page that closes leaves at once, a reload keeps its seat, and
// a lost link is told to the others as `reconnecting`. Real worker; the
// resume window is long so only the close code can explain a quick leave.
let server: SfuServer;
let rooms = 0;
const newRoomId = () => `presence-${++rooms}`;

before(async () => {
  server = await createSfuServer({
    workers: 1,
    workerSettings: { logLevel: 'none' },
    session: { resumeWindowMs: 60_000, pageReloadGraceMs: 300, mediaPollMs: 50 },
  });
});
after(() => server.close());

async function twoPeers() {
  const roomId = newRoomId();
  const stays = await joinWithMedia(server, roomId);
  const goes = await joinWithMedia(server, roomId);
  await waitFor(() => stays.client.received('peerJoined').length === 1, 'the second announced');
  return { roomId, stays, goes };
}

describe('presence', () => {
  for (const code of [1000, 1001]) {
    it(`a clean close (${code}, a page closed) is a leave at once, not a resume window`, async () => {
      const { roomId, stays, goes } = await twoPeers();
      const peerId = goes.client.peerId;
      goes.client.disconnect(code);
      await waitFor(
        () => stays.client.received('peerLeft').some((n) => n.peerId === peerId),
        'peerLeft',
      );
      assert.equal(server.room(roomId)?.peers.length, 1);
      assert.deepEqual(stays.client.received('peerConnectionState'), []);
    });
  }

  it('a lost link is `reconnecting` for the others, then `connected` on resume', async () => {
    const { roomId, stays, goes } = await twoPeers();
    const peerId = goes.client.peerId;
    const peer = serverPeer(server, roomId, peerId);
    goes.client.disconnect();
    await waitFor(() => !peer.connected, 'the drop noticed');
    await waitFor(() => stays.client.received('peerConnectionState').length === 1, 'told');
    assert.deepEqual(stays.client.received('peerConnectionState'), [
      { peerId, state: 'reconnecting' },
    ]);
    const back = new TestClient(server);
    await back.resume(goes.client.sessionToken, goes.client.lastSeq);
    await waitFor(() => stays.client.received('peerConnectionState').length === 2, 'back');
    assert.deepEqual(stays.client.received('peerConnectionState')[1], {
      peerId,
      state: 'connected',
    });
    assert.deepEqual(stays.client.received('peerLeft'), []);
    back.disconnect(1000);
  });

  it('a reload (PageHidden, then join with resumeToken) keeps the peer id: no peerLeft, no second peer', async () => {
    const { roomId, stays, goes } = await twoPeers();
    const { peerId, sessionToken } = goes.client;
    await goes.client.request('produce', {
      transportId: goes.sendTransportId,
      kind: 'video',
      rtpParameters: vp8Parameters(),
    });
    await waitFor(() => stays.client.consumers.length === 1, 'the old page consumed');
    goes.client.disconnect(CloseCode.PageHidden);
    await waitFor(() => !serverPeer(server, roomId, peerId).connected, 'the close noticed');
    const reloaded = new TestClient(server);
    const answer = await reloaded.join(roomId, { resumeToken: sessionToken });
    assert.equal(answer.peerId, peerId, 'same peer id');
    assert.deepEqual(
      answer.peers.map((p) => p.peerId),
      [stays.client.peerId],
      'the reloaded page does not see its old self',
    );
    assert.equal(server.room(roomId)?.peers.length, 2);
    await waitFor(() => stays.client.received('consumerClosed').length === 1, 'old track closed');
    assert.deepEqual(stays.client.received('peerLeft'), []);
    assert.deepEqual(stays.client.received('peerConnectionState'), []);
    // Past the grace: the seat is still the reloaded page's.
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(serverPeer(server, roomId, peerId).connected, true);
    assert.deepEqual(stays.client.received('peerLeft'), []);
    reloaded.disconnect(1000);
  });

  it('a page that hid and never came back leaves after the reload grace, silently before', async () => {
    const { roomId, stays, goes } = await twoPeers();
    const peerId = goes.client.peerId;
    goes.client.disconnect(CloseCode.PageHidden);
    await waitFor(
      () => stays.client.received('peerLeft').some((n) => n.peerId === peerId),
      'peerLeft after the grace',
    );
    assert.deepEqual(stays.client.received('peerConnectionState'), []);
    assert.equal(server.room(roomId)?.peers.length, 1);
  });

  it('a resumeToken of another room, or a made-up one, is a fresh join', async () => {
    const { goes } = await twoPeers();
    const stranger = new TestClient(server);
    const answer = await stranger.join(newRoomId(), { resumeToken: goes.client.sessionToken });
    assert.notEqual(answer.peerId, goes.client.peerId);
    const guesser = new TestClient(server);
    const guessed = await guesser.join(newRoomId(), { resumeToken: 'x'.repeat(43) });
    assert.ok(guessed.peerId);
    for (const client of [stranger, guesser, goes.client]) client.disconnect(1000);
  });
});
