import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ErrorCode, PROTOCOL_VERSION, type ProtocolError } from '@vroom/protocol';
import { createSfuServer, type SfuServer } from '../index.js';
import { PATH_SETTLE_MS } from '../keyFrames.js';
import { opusParameters, vp8Parameters } from '../test/fixtures.js';
import { liveObjects } from '../test/liveObjects.js';
import { type JoinedClient, joinWithMedia, serverPeer } from '../test/rooms.js';
import { TestClient, waitFor } from '../test/TestClient.js';

// A long grace: these specs resume at once and must never race the expiry
// (expiry has its own specs in LivenessWatch.test.ts).
let server: SfuServer;
let roomCount = 0;
const newRoomId = () => `resume-${++roomCount}`;

function hasCode(code: string) {
  return (error: unknown) => (error as ProtocolError).code === code;
}

before(async () => {
  server = await createSfuServer({
    workers: 1,
    workerSettings: { logLevel: 'none' },
    session: { resumeWindowMs: 30_000, mediaPollMs: 50, mediaTimeoutMs: 100 },
  });
});
after(() => server.close());

/** Drops the client's connection and waits until the server has noticed. */
async function drop(roomId: string, joined: JoinedClient): Promise<void> {
  const peer = serverPeer(server, roomId, joined.client.peerId);
  joined.client.disconnect();
  await waitFor(() => !peer.connected, 'the server to notice the drop');
}

/** Alice (who joined after Bob) produces audio and video; Bob consumes both (answered). */
async function aliceProducesToBob(roomId: string) {
  const bob = await joinWithMedia(server, roomId);
  const alice = await joinWithMedia(server, roomId);
  for (const rtpParameters of [opusParameters(), vp8Parameters()]) {
    await alice.client.request('produce', {
      transportId: alice.sendTransportId,
      kind: rtpParameters.codecs[0]?.mimeType.startsWith('audio') ? 'audio' : 'video',
      rtpParameters,
    });
  }
  await waitFor(() => bob.client.consumers.length === 2, 'bob consuming both');
  const consumers = serverPeer(server, roomId, bob.client.peerId).consumers;
  await waitFor(() => [...consumers.values()].every((c) => !c.paused), 'consumers resumed');
  return { alice, bob };
}

/**
 * Records the kind of each consumer of `peerId` asked for a key frame. A spy
 * on the real mediasoup consumers (no media flows in these specs, so the
 * worker's own PLI counters would stay at zero): the calls go through.
 */
function spyOnKeyFrameRequests(roomId: string, peerId: string): string[] {
  const asked: string[] = [];
  for (const consumer of serverPeer(server, roomId, peerId).consumers.values()) {
    const real = consumer.requestKeyFrame.bind(consumer);
    consumer.requestKeyFrame = () => {
      asked.push(consumer.kind);
      return real();
    };
  }
  return asked;
}

describe('join', () => {
  it('returns a session token (256 random bits, base64url) and the resume window', async () => {
    const client = new TestClient(server);
    const joined = await client.join(newRoomId());
    assert.match(joined.sessionToken ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.equal(joined.resumeWindowMs, 30_000);
    const other = new TestClient(server);
    const second = await other.join(newRoomId());
    assert.notEqual(second.sessionToken, joined.sessionToken);
    client.disconnect();
    other.disconnect();
  });
});

describe('resumeSession within the grace period', () => {
  it('keeps the peer id and every mediasoup object, and the others see nothing', async () => {
    const roomId = newRoomId();
    const { alice, bob } = await aliceProducesToBob(roomId);
    const before = await liveObjects(server);
    const peer = serverPeer(server, roomId, bob.client.peerId);
    const consumerIds = [...peer.consumers.keys()].sort();

    await drop(roomId, bob);
    assert.deepEqual(await liveObjects(server), before, 'nothing closed while away');

    const bob2 = new TestClient(server);
    const resumed = await bob2.resume(bob.client.sessionToken, bob.client.lastSeq);
    assert.equal(resumed.peerId, bob.client.peerId);
    assert.deepEqual(
      resumed.peers.map((p) => p.peerId),
      [alice.client.peerId],
    );
    assert.equal(serverPeer(server, roomId, bob2.peerId), peer, 'the same session');
    assert.ok(peer.connected);
    assert.deepEqual([...peer.consumers.keys()].sort(), consumerIds);
    assert.deepEqual(await liveObjects(server), before);

    // The old ids work on the new connection.
    const [consumerId] = consumerIds;
    await bob2.request('getConsumerStats', { consumerId: consumerId ?? '' });
    await bob2.request('produce', {
      transportId: bob.sendTransportId,
      kind: 'audio',
      rtpParameters: opusParameters(),
    });
    await waitFor(() => alice.client.consumers.length === 1, 'alice consuming bob');
    assert.deepEqual(alice.client.received('peerLeft'), []);
    assert.deepEqual(alice.client.received('peerJoined'), [], 'bob joined before alice');
    for (const c of [alice.client, bob2]) c.disconnect();
  });

  it('replays the numbered notifications missed after lastSeq, in order, once', async () => {
    const roomId = newRoomId();
    const { alice, bob } = await aliceProducesToBob(roomId);
    const lastSeq = bob.client.lastSeq;
    assert.ok(lastSeq > 0, 'bob has numbered notifications already (peerJoined of alice)');
    await drop(roomId, bob);

    // While bob is away: alice pauses and resumes a producer, carol comes and goes.
    const [audio] = [...serverPeer(server, roomId, alice.client.peerId).producers.keys()];
    await alice.client.request('pauseProducer', { producerId: audio ?? '' });
    await alice.client.request('resumeProducer', { producerId: audio ?? '' });
    const carol = new TestClient(server);
    await carol.join(roomId);
    await waitFor(() => alice.client.received('peerJoined').length === 1, 'carol announced');
    // Her link is lost: kept for a resume, so bob hears `reconnecting`, no peerLeft.
    carol.disconnect();
    await waitFor(() => alice.client.received('peerConnectionState').length === 1, 'carol lost');

    const bob2 = new TestClient(server);
    await bob2.resume(bob.client.sessionToken, lastSeq);
    await waitFor(() => bob2.notifications.length >= 4, 'the replay');
    const numbered = bob2.notifications
      .map((n, i) => ({ method: n.method, seq: bob2.seqs[i] }))
      .filter((n) => n.seq !== undefined);
    assert.deepEqual(
      numbered.map((n) => n.method),
      ['consumerPaused', 'consumerResumed', 'peerJoined', 'peerConnectionState'],
    );
    assert.deepEqual(
      numbered.map((n) => n.seq),
      [lastSeq + 1, lastSeq + 2, lastSeq + 3, lastSeq + 4],
    );

    // Live notifications continue the numbering, with nothing replayed twice.
    await alice.client.request('pauseProducer', { producerId: audio ?? '' });
    await waitFor(() => bob2.received('consumerPaused').length === 2, 'the live one');
    const seqs = bob2.seqs.filter((seq) => seq !== undefined);
    assert.deepEqual(seqs, [lastSeq + 1, lastSeq + 2, lastSeq + 3, lastSeq + 4, lastSeq + 5]);
    for (const c of [alice.client, bob2]) c.disconnect();
  });

  it('re-sends a newConsumer the client had not answered; the answer resumes the consumer', async () => {
    const roomId = newRoomId();
    const alice = await joinWithMedia(server, roomId);
    const bob = await joinWithMedia(server, roomId);
    bob.client.ignoreConsumers = true;
    await alice.client.request('produce', {
      transportId: alice.sendTransportId,
      kind: 'video',
      rtpParameters: vp8Parameters(),
    });
    await waitFor(() => bob.client.consumers.length === 1, 'the unanswered newConsumer');
    const offered = bob.client.consumers[0];
    const peer = serverPeer(server, roomId, bob.client.peerId);
    await drop(roomId, bob);
    const consumer = peer.consumers.get(offered?.id ?? '');
    assert.ok(consumer && !consumer.closed, 'the dead connection did not close the consumer');
    assert.equal(consumer.paused, true);

    // A producer created while bob is away is offered once he is back, too.
    await alice.client.request('produce', {
      transportId: alice.sendTransportId,
      kind: 'audio',
      rtpParameters: opusParameters(),
    });
    await waitFor(() => peer.consumers.size === 2, 'the second consumer, made while away');

    const bob2 = new TestClient(server);
    await bob2.resume(bob.client.sessionToken, bob.client.lastSeq);
    await waitFor(() => bob2.consumers.length === 2, 'both newConsumer requests');
    assert.equal(bob2.consumers[0]?.id, offered?.id, 'the same consumer, offered again first');
    assert.deepEqual(
      bob2.consumers.map((c) => c.kind),
      ['video', 'audio'],
    );
    await waitFor(() => [...peer.consumers.values()].every((c) => !c.paused), 'both resumed');
    // A round trip instead of a sleep: a second newConsumer, sent before the
    // server answered this ping, has arrived by the answer (one ordered connection).
    await bob2.request('ping', {});
    assert.equal(bob2.consumers.length, 2, 'each sent once');
    for (const c of [alice.client, bob2]) c.disconnect();
  });

  it('closes a half-open old connection when the session resumes elsewhere', async () => {
    const roomId = newRoomId();
    const bob = await joinWithMedia(server, roomId);
    const bob2 = new TestClient(server);
    await bob2.resume(bob.client.sessionToken, bob.client.lastSeq);
    await waitFor(() => bob.client.connection.closed, 'the old connection closed');
    assert.equal(bob.client.connection.closeCode, 4001);
    await bob2.request('ping', {});
    bob2.disconnect();
  });

  it('asks for video key frames both ways: what the resumed peer receives and what it sends', async () => {
    const roomId = newRoomId();
    const { alice, bob } = await aliceProducesToBob(roomId);
    const asked = spyOnKeyFrameRequests(roomId, bob.client.peerId);

    await drop(roomId, alice);
    const alice2 = new TestClient(server);
    await alice2.resume(alice.client.sessionToken, alice.client.lastSeq);
    await waitFor(() => asked.length === 1, 'a key frame of alice for bob');
    assert.deepEqual(asked, ['video'], 'video only: audio has no key frames');

    await drop(roomId, bob);
    const bob2 = new TestClient(server);
    await bob2.resume(bob.client.sessionToken, bob.client.lastSeq);
    await waitFor(() => asked.length === 2, 'a key frame for bob');
    assert.deepEqual(asked, ['video', 'video']);
    alice2.disconnect();
    bob2.disconnect();
  });
});

describe('media back after a silence', () => {
  it('a video producer whose streams come back from score 0 gets key frames asked of its consumers', async () => {
    const roomId = newRoomId();
    const { alice, bob } = await aliceProducesToBob(roomId);
    const asked = spyOnKeyFrameRequests(roomId, bob.client.peerId);
    const producers = [...serverPeer(server, roomId, alice.client.peerId).producers.values()];
    // No RTP flows in these specs, so the worker never scores a stream: the
    // spec emits the 'score' events the worker sends (same shape).
    const score = (value: number) => [{ encodingIdx: 0, ssrc: 1111, score: value }];
    for (const producer of producers) producer.emit('score', score(10));
    assert.deepEqual(asked, [], 'a first score is not a comeback');
    for (const producer of producers) producer.emit('score', score(0));
    for (const producer of producers) producer.emit('score', score(9));
    assert.deepEqual(asked, ['video'], 'silent -> live: a key frame, video only');
    for (const producer of producers) producer.emit('score', score(7));
    assert.deepEqual(asked, ['video'], 'live -> live: nothing more');
    alice.client.disconnect();
    bob.client.disconnect();
  });
});

describe('a transport on a new ICE path', () => {
  it('asks for key frames of what it carries once the path settles: the producers of a send transport, the consumers of a recv transport', async (t) => {
    const roomId = newRoomId();
    const { alice, bob } = await aliceProducesToBob(roomId);
    const asked = spyOnKeyFrameRequests(roomId, bob.client.peerId);
    const transportOf = (peerId: string, id: string) =>
      serverPeer(server, roomId, peerId).transport(id);
    // No ICE runs in these specs: the spec emits the event the worker sends
    // when the selected tuple changes (shape as in mediasoup's types).
    const tuple = (port: number) => ({
      localIp: '127.0.0.1',
      localPort: 40000,
      remoteIp: '127.0.0.1',
      remotePort: port,
      protocol: 'udp',
    });
    const aliceSend = transportOf(alice.client.peerId, alice.sendTransportId);
    const bobRecv = transportOf(bob.client.peerId, bob.recvTransportId);
    // The settle wait on a fake clock: the events and the key frame requests
    // are synchronous, so nothing below waits for the worker. Only timers
    // set from here on are fake; reset before anything awaits.
    t.mock.timers.enable({ apis: ['setTimeout'] });
    try {
      aliceSend.emit('iceselectedtuplechange', tuple(5000));
      t.mock.timers.tick(PATH_SETTLE_MS * 2);
      assert.deepEqual(asked, [], 'the first path is no change');
      // A restart's burst: three paths in a row, one request after the last.
      for (const port of [5001, 5002, 5003]) aliceSend.emit('iceselectedtuplechange', tuple(port));
      assert.deepEqual(asked, [], 'not while the path is still changing');
      t.mock.timers.tick(PATH_SETTLE_MS);
      assert.ok(asked.length > 0, 'a key frame once the path settled');
      t.mock.timers.tick(PATH_SETTLE_MS * 2);
      assert.deepEqual(asked, ['video'], "one request: alice's video, as bob receives it");

      bobRecv.emit('iceselectedtuplechange', tuple(6000));
      bobRecv.emit('iceselectedtuplechange', tuple(6001));
      t.mock.timers.tick(PATH_SETTLE_MS);
      assert.ok(asked.length > 1, "a key frame for bob's consumers");
      assert.deepEqual(asked, ['video', 'video'], "bob's video consumer, audio left alone");
    } finally {
      t.mock.timers.reset();
    }
    alice.client.disconnect();
    bob.client.disconnect();
  });
});

describe('resumeSession that cannot be honoured', () => {
  it('answers SESSION_EXPIRED, the same for unknown and revoked tokens, and changes nothing', async () => {
    const roomId = newRoomId();
    const { alice, bob } = await aliceProducesToBob(roomId);
    const leaver = new TestClient(server);
    await leaver.join(roomId);
    await leaver.request('leave', {});
    const before = await liveObjects(server);
    const peers = server.room(roomId)?.peers.length;

    const messages: string[] = [];
    for (const token of ['A'.repeat(43), leaver.sessionToken, `${bob.client.sessionToken}x`]) {
      const stranger = new TestClient(server);
      await assert.rejects(stranger.resume(token, 0), (error: ProtocolError) => {
        messages.push(error.message);
        return error.code === ErrorCode.SessionExpired;
      });
      // The connection is still good for a join.
      await stranger.request('ping', {});
      stranger.disconnect();
    }
    assert.equal(new Set(messages).size, 1, 'one message: no oracle');
    assert.deepEqual(await liveObjects(server), before);
    assert.equal(server.room(roomId)?.peers.length, peers);
    assert.ok(serverPeer(server, roomId, bob.client.peerId).connected, 'bob untouched');
    assert.deepEqual(alice.client.received('peerLeft'), [{ peerId: leaver.peerId }]);
    for (const c of [alice.client, bob.client, leaver]) c.disconnect();
  });

  it('refuses a resume on a connection that has joined already', async () => {
    const bob = await joinWithMedia(server, newRoomId());
    await assert.rejects(
      bob.client.resume(bob.client.sessionToken, 0),
      hasCode(ErrorCode.AlreadyJoined),
    );
    bob.client.disconnect();
  });
});

describe('reconnect storms', () => {
  it('rate limits a resume flood (RATE_LIMITED) while another peer keeps working', async () => {
    const own = await createSfuServer({
      workers: 1,
      workerSettings: { logLevel: 'none' },
      limits: { joinsPerAddressBurst: 20, joinsPerAddressPerMinute: 60 },
    });
    try {
      const alice = await joinWithMedia(own, 'storm');
      const flooder = new TestClient(own, '192.0.2.7');
      const flood = Array.from({ length: 60 }, () =>
        flooder
          .request('resumeSession', {
            protocolVersion: PROTOCOL_VERSION,
            sessionToken: 'B'.repeat(43),
            lastSeq: 0,
          })
          .then(
            () => 'ok',
            (error: ProtocolError) => error.code,
          ),
      );
      const pings = Array.from({ length: 20 }, () => alice.client.request('ping', {}));
      const codes = await Promise.all(flood);
      await Promise.all(pings); // every one answered OK
      assert.ok(codes.includes(ErrorCode.RateLimited), 'the flood was limited');
      assert.ok(codes.every((c) => c === ErrorCode.RateLimited || c === ErrorCode.SessionExpired));
      // Another address is not affected by this one's storm.
      const elsewhere = new TestClient(own, '198.51.100.1');
      await elsewhere.join('storm');
      for (const c of [alice.client, flooder, elsewhere]) c.disconnect();
    } finally {
      own.close();
    }
  });

  it('limits resumes and restartIce per session', async () => {
    const own = await createSfuServer({
      workers: 1,
      workerSettings: { logLevel: 'none' },
      limits: { reconnectBurst: 4, reconnectsPerMinute: 1 },
    });
    try {
      const bob = await joinWithMedia(own, 'flap'); // the join took one of 4
      const codes: string[] = [];
      let latest = bob.client;
      for (let i = 0; i < 3; i++) {
        const next = new TestClient(own, `203.0.113.${i}`);
        codes.push(
          await next.resume(bob.client.sessionToken, 0).then(
            () => 'ok',
            (error: ProtocolError) => error.code,
          ),
        );
        latest = next;
      }
      assert.deepEqual(codes, ['ok', 'ok', 'ok']);
      // The budget is the session's: restartIce on the newest connection is refused too.
      await assert.rejects(
        latest.request('restartIce', { transportId: bob.sendTransportId }),
        hasCode(ErrorCode.RateLimited),
      );
      const current = new TestClient(own);
      await assert.rejects(
        current.resume(bob.client.sessionToken, 0),
        hasCode(ErrorCode.RateLimited),
      );
      assert.equal(own.room('flap')?.peers.length, 1, 'the session itself is fine');
      await latest.request('ping', {}); // the session itself still works
      current.disconnect();
    } finally {
      own.close();
    }
  });
});

describe('a worker that dies', () => {
  it('sends roomClosed { workerDied } alone; the session cannot be resumed, a rejoin works', async () => {
    const own = await createSfuServer({ workers: 2, workerSettings: { logLevel: 'none' } });
    try {
      const bob = await joinWithMedia(own, 'doomed');
      const carol = await joinWithMedia(own, 'doomed');
      await bob.client.request('produce', {
        transportId: bob.sendTransportId,
        kind: 'video',
        rtpParameters: vp8Parameters(),
      });
      await waitFor(() => carol.client.consumers.length === 1, 'carol consuming bob');
      const dave = await joinWithMedia(own, 'elsewhere'); // on the other worker (least loaded)
      const doomed = own.room('doomed')?.worker;
      assert.notEqual(own.room('elsewhere')?.worker, doomed);
      carol.client.disconnect(); // detached, kept for a resume...
      await waitFor(() => !serverPeer(own, 'doomed', carol.client.peerId).connected, 'detached');

      process.kill(doomed?.pid ?? 0, 'SIGKILL');
      await waitFor(() => bob.client.received('roomClosed')[0], 'roomClosed');
      assert.deepEqual(bob.client.received('roomClosed'), [{ reason: 'workerDied' }]);
      // Not one close per object first: the client would drop the tracks its rejoin republishes.
      for (const method of ['producerClosed', 'transportClosed', 'consumerClosed'] as const) {
        assert.deepEqual(bob.client.received(method), [], method);
      }
      // ... but its room is gone: the detached session ends with it.
      await waitFor(() => own.peerCount === 2, 'carol session ended');

      for (const [client, token, lastSeq] of [
        [new TestClient(own), bob.client.sessionToken, bob.client.lastSeq],
        [new TestClient(own), carol.client.sessionToken, carol.client.lastSeq],
      ] as const) {
        await assert.rejects(client.resume(token, lastSeq), hasCode(ErrorCode.SessionExpired));
        client.disconnect();
      }
      const rejoined = await bob.client.join('doomed');
      assert.ok(rejoined.sessionToken);
      assert.notEqual(own.room('doomed')?.worker, doomed);
      await dave.client.request('produce', {
        transportId: dave.sendTransportId,
        kind: 'audio',
        rtpParameters: opusParameters(),
      });
      for (const c of [bob.client, dave.client]) c.disconnect();
    } finally {
      own.close();
    }
  });
});
