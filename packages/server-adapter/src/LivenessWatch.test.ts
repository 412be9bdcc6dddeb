import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { describe, it } from 'node:test';
import { ErrorCode, type ProtocolError } from '@vroom/protocol';
import { createSfuServer, type SfuServer } from './index.js';
import type { SessionOptions } from './sessionOptions.js';
import { opusParameters } from './test/fixtures.js';
import { liveObjects } from './test/liveObjects.js';
import { type JoinedClient, joinWithMedia, serverPeer } from './test/rooms.js';
import { TestClient, waitFor } from './test/TestClient.js';

async function withServer(
  session: Partial<SessionOptions>,
  run: (server: SfuServer) => Promise<void>,
): Promise<void> {
  const server = await createSfuServer({
    workers: 1,
    workerSettings: { logLevel: 'none' },
    session: { mediaPollMs: 50, mediaTimeoutMs: 100, resumeWindowMs: 300, ...session },
  });
  try {
    await run(server);
  } finally {
    server.close();
  }
}

function hasCode(code: string) {
  return (error: unknown) => (error as ProtocolError).code === code;
}

/**
 * Real UDP datagrams to the transport's own port, as a browser's STUN
 * consent checks would arrive. The worker counts every datagram in
 * `bytesReceived` (WebRtcTransport::OnPacketReceived counts before it
 * parses), which is what the watch reads; e2e/node/deadPeer.test.ts does
 * the same with a real WebRTC peer.
 */
function sprayUdp(joined: JoinedClient, server: SfuServer, roomId: string) {
  const peer = serverPeer(server, roomId, joined.client.peerId);
  const transport = peer.transport(joined.sendTransportId);
  const candidate = transport.iceCandidates.find((c) => c.protocol === 'udp');
  if (!candidate) throw new Error('no UDP candidate');
  const socket = createSocket('udp4');
  const timer = setInterval(
    () => socket.send(Buffer.alloc(20, 1), candidate.port, candidate.ip),
    20,
  );
  return () => {
    clearInterval(timer);
    socket.close();
  };
}

describe('a dropped session whose grace runs out', () => {
  it('is removed: peerLeft to the others, every mediasoup object of it closed', () =>
    withServer({}, async (server) => {
      const alice = await joinWithMedia(server, 'expiry');
      const aliceOnly = await liveObjects(server);
      const bob = await joinWithMedia(server, 'expiry');
      await bob.client.request('produce', {
        transportId: bob.sendTransportId,
        kind: 'audio',
        rtpParameters: opusParameters(),
      });
      await waitFor(() => alice.client.consumers.length === 1, 'alice consuming bob');

      bob.client.disconnect();
      await waitFor(() => alice.client.received('peerLeft')[0], 'peerLeft');
      assert.deepEqual(alice.client.received('peerLeft'), [{ peerId: bob.client.peerId }]);
      await waitFor(() => alice.client.received('consumerClosed')[0], 'consumerClosed');
      assert.deepEqual(alice.client.received('consumerClosed'), [
        { consumerId: alice.client.consumers[0]?.id ?? '' },
      ]);
      await waitFor(
        async () => JSON.stringify(await liveObjects(server)) === JSON.stringify(aliceOnly),
        "none of bob's objects left",
      );
      const late = new TestClient(server);
      await assert.rejects(
        late.resume(bob.client.sessionToken, bob.client.lastSeq),
        hasCode(ErrorCode.SessionExpired),
      );
      for (const c of [alice.client, late]) c.disconnect();
    }));

  it('is removed when the client is too far behind for the replay log', async () => {
    const server = await createSfuServer({
      workers: 1,
      workerSettings: { logLevel: 'none' },
      limits: { replayLogSize: 2 },
      session: { resumeWindowMs: 30_000 },
    });
    try {
      const bob = await joinWithMedia(server, 'behind');
      const alice = await joinWithMedia(server, 'behind');
      const lastSeq = bob.client.lastSeq;
      const peer = serverPeer(server, 'behind', bob.client.peerId);
      bob.client.disconnect();
      await waitFor(() => !peer.connected, 'detached');
      for (let i = 0; i < 3; i++) {
        const passer = new TestClient(server);
        await passer.join('behind'); // peerJoined to bob: 3 numbered notifications
        await passer.request('leave', {}); // and 3 peerLeft
        passer.disconnect();
      }
      const bob2 = new TestClient(server);
      await assert.rejects(
        bob2.resume(bob.client.sessionToken, lastSeq),
        hasCode('SESSION_EXPIRED'),
      );
      await waitFor(
        () => alice.client.received('peerLeft').some((p) => p.peerId === bob.client.peerId),
        'bob removed at once, so his rejoin is not beside a ghost',
      );
      for (const c of [alice.client, bob2]) c.disconnect();
    } finally {
      server.close();
    }
  });
});

describe('liveness', () => {
  it('drops a joined connection that went silent (a cut link), then expires the session', () =>
    withServer({ signalingTimeoutMs: 1000 }, async (server) => {
      const alice = await joinWithMedia(server, 'silent');
      const bob = await joinWithMedia(server, 'silent');
      // Alice pings (10 per timeout, so a busy machine cannot make her look
      // silent); Bob says nothing.
      const heartbeat = setInterval(
        () => void alice.client.request('ping', {}).catch(() => {}),
        100,
      );
      try {
        await waitFor(() => bob.client.connection.closed, 'the silent connection dropped');
        assert.equal(bob.client.connection.closeCode, 4002);
        await waitFor(() => alice.client.received('peerLeft')[0], 'peerLeft');
        assert.ok(serverPeer(server, 'silent', alice.client.peerId).connected);
      } finally {
        clearInterval(heartbeat);
      }
      alice.client.disconnect();
    }));

  it('keeps a dropped session while its media flows, past the grace; removes it once media stops', () =>
    withServer({ mediaTimeoutMs: 400 }, async (server) => {
      const alice = await joinWithMedia(server, 'media');
      const bob = await joinWithMedia(server, 'media');
      const carol = await joinWithMedia(server, 'media');
      const stopMedia = sprayUdp(bob, server, 'media');
      try {
        bob.client.disconnect();
        carol.client.disconnect(); // the control: same drop, no media
        await waitFor(
          () => alice.client.received('peerLeft').some((p) => p.peerId === carol.client.peerId),
          'carol (no media) removed after the grace',
        );
        // A few more sweeps beyond carol's removal: bob's media keeps him.
        const peer = serverPeer(server, 'media', bob.client.peerId);
        const seen = peer.liveness.lastMediaAt;
        await waitFor(() => peer.liveness.lastMediaAt > seen, 'the watch seeing more bytes');
        assert.equal(peer.closed, false);
        assert.equal(peer.connected, false);
        // Alice, connected with no media at all, is never taken for dead either.
        assert.equal(server.room('media')?.peers.length, 2);
      } finally {
        stopMedia();
      }
      await waitFor(
        () => alice.client.received('peerLeft').some((p) => p.peerId === bob.client.peerId),
        'bob removed once his media stopped',
      );
      alice.client.disconnect();
    }));

  it('looks at a peer whose connection dropped every 0.5 s, not only at each media poll', () =>
    // A poll far longer than the test: only the close look can notice bob.
    withServer({ mediaPollMs: 60_000, mediaTimeoutMs: 300 }, async (server) => {
      const bob = await joinWithMedia(server, 'close-look');
      const peer = serverPeer(server, 'close-look', bob.client.peerId);
      bob.client.disconnect();
      await waitFor(() => peer.liveness.deadSince !== undefined, 'bob marked dead', 20_000);
      assert.equal(peer.closed, false, 'dead starts the grace; it does not end the session');
    }));
});
