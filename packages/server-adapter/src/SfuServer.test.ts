import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ErrorCode, type ProtocolError } from '@vroom/protocol';
import { createSfuServer, type SfuServer } from './index.js';
import {
  audioOnlyRtpCapabilities,
  deviceRtpCapabilities,
  dtlsParameters,
  opusParameters,
  simulcastVp8Parameters,
  vp8Parameters,
} from './test/fixtures.js';
import { joinWithMedia, serverPeer } from './test/rooms.js';
import { TestClient, waitFor } from './test/TestClient.js';

let server: SfuServer;
let roomCount = 0;
const newRoomId = () => `room-${++roomCount}`;

function hasCode(code: string) {
  return (error: unknown) => (error as ProtocolError).code === code;
}

before(async () => {
  server = await createSfuServer({ workers: 1, workerSettings: { logLevel: 'warn' } });
});
after(() => server.close());

describe('joining', () => {
  it('returns the router capabilities, both transports and the peers already present', async () => {
    const roomId = newRoomId();
    const alice = await joinWithMedia(server, roomId);
    const bob = new TestClient(server);
    const joined = await bob.join(roomId, {
      displayName: 'Bob',
      transports: { send: {}, recv: { sctp: true } },
    });

    assert.ok(joined.routerRtpCapabilities.codecs?.some((c) => c.mimeType === 'audio/opus'));
    assert.ok(joined.routerRtpCapabilities.codecs?.some((c) => c.mimeType === 'video/VP8'));
    assert.deepEqual(
      joined.peers.map((p) => p.peerId),
      [alice.client.peerId],
    );
    assert.equal(joined.sendTransport?.sctpParameters, undefined);
    assert.ok(joined.recvTransport?.sctpParameters, 'recv transport asked for SCTP');
    assert.equal(joined.recvTransport?.iceCandidates[0]?.ip, '127.0.0.1');
    const announced = await waitFor(() => alice.client.received('peerJoined')[0], 'peerJoined');
    assert.equal(announced.peerId, bob.peerId);
    assert.equal(announced.displayName, 'Bob');
  });

  it('refuses a second join, and requests before join', async () => {
    const client = new TestClient(server);
    await assert.rejects(
      client.request('closeProducer', { producerId: 'x' }),
      hasCode(ErrorCode.NotJoined),
    );
    await client.join(newRoomId());
    await assert.rejects(client.join(newRoomId()), hasCode(ErrorCode.AlreadyJoined));
    client.disconnect();
  });

  it('refuses another protocol version', async () => {
    const client = new TestClient(server);
    await assert.rejects(
      client.join(newRoomId(), { protocolVersion: 999 }),
      hasCode(ErrorCode.VersionMismatch),
    );
    client.disconnect();
  });
});

describe('media between peers', () => {
  it('gives every other peer a paused consumer of each new producer, resumed once answered', async () => {
    const roomId = newRoomId();
    const [alice, bob, carol] = [
      await joinWithMedia(server, roomId),
      await joinWithMedia(server, roomId),
      await joinWithMedia(server, roomId),
    ];
    // Pipelined on purpose: the peer's queue keeps them in order.
    const [audio, video, simulcast] = await Promise.all([
      alice.client.request('produce', {
        transportId: alice.sendTransportId,
        kind: 'audio',
        rtpParameters: opusParameters(),
        appData: { source: 'mic' },
      }),
      alice.client.request('produce', {
        transportId: alice.sendTransportId,
        kind: 'video',
        rtpParameters: vp8Parameters(),
      }),
      alice.client.request('produce', {
        transportId: alice.sendTransportId,
        kind: 'video',
        rtpParameters: simulcastVp8Parameters(),
      }),
    ]);

    for (const receiver of [bob, carol]) {
      const consumers = await waitFor(
        () => receiver.client.consumers.length === 3 && receiver.client.consumers,
        'three newConsumer requests',
      );
      const byProducer = new Map(consumers.map((c) => [c.producerId, c]));
      assert.equal(byProducer.get(audio.producerId)?.kind, 'audio');
      assert.deepEqual(byProducer.get(audio.producerId)?.appData, { source: 'mic' });
      assert.equal(byProducer.get(video.producerId)?.type, 'simple');
      assert.equal(byProducer.get(simulcast.producerId)?.type, 'simulcast');
      assert.ok(consumers.every((c) => c.peerId === alice.client.peerId));

      const peer = serverPeer(server, roomId, receiver.client.peerId);
      await waitFor(
        () => consumers.every((c) => peer.consumers.get(c.id)?.paused === false),
        'consumers resumed on the server',
      );
    }
    assert.equal(alice.client.consumers.length, 0, 'nobody consumes their own producers');
  });

  it('lets a later peer consume what is already produced once it sends capabilities', async () => {
    const roomId = newRoomId();
    const alice = await joinWithMedia(server, roomId);
    await alice.client.request('produce', {
      transportId: alice.sendTransportId,
      kind: 'video',
      rtpParameters: vp8Parameters(),
    });

    const bob = new TestClient(server);
    await bob.join(roomId);
    await bob.request('createWebRtcTransport', { direction: 'recv' });
    assert.equal(bob.consumers.length, 0, 'no capabilities yet, no consumers');
    await bob.request('setCapabilities', { rtpCapabilities: deviceRtpCapabilities });
    await waitFor(() => bob.consumers.length === 1, 'newConsumer after setCapabilities');
    await assert.rejects(
      bob.request('setCapabilities', { rtpCapabilities: deviceRtpCapabilities }),
      hasCode(ErrorCode.InvalidState),
    );
  });

  it('survives capabilities mediasoup cannot use: no consumers, no crash', async () => {
    const roomId = newRoomId();
    const alice = await joinWithMedia(server, roomId);
    await alice.client.request('produce', {
      transportId: alice.sendTransportId,
      kind: 'audio',
      rtpParameters: opusParameters(),
    });
    const odd = new TestClient(server);
    await odd.join(roomId, {
      // Schema-valid, but a video MIME type on an audio codec: mediasoup rejects it.
      rtpCapabilities: {
        codecs: [
          { kind: 'audio', mimeType: 'video/VP8', clockRate: 90000, preferredPayloadType: 100 },
        ],
      },
      transports: { recv: {} },
    });
    await odd.request('ping', {});
    assert.equal(serverPeer(server, roomId, odd.peerId).consumers.size, 0);
    await alice.client.request('ping', {});
  });

  it('skips what a device cannot consume (router.canConsume)', async () => {
    const roomId = newRoomId();
    const alice = await joinWithMedia(server, roomId);
    const gateway = new TestClient(server);
    await gateway.join(roomId, {
      rtpCapabilities: audioOnlyRtpCapabilities,
      transports: { recv: {} },
    });
    const video = await alice.client.request('produce', {
      transportId: alice.sendTransportId,
      kind: 'video',
      rtpParameters: vp8Parameters(),
    });
    const audio = await alice.client.request('produce', {
      transportId: alice.sendTransportId,
      kind: 'audio',
      rtpParameters: opusParameters(),
    });
    await waitFor(() => gateway.consumers.length === 1, 'the audio consumer');
    assert.equal(gateway.consumers[0]?.producerId, audio.producerId);
    assert.notEqual(gateway.consumers[0]?.producerId, video.producerId);
  });

  it('closes a consumer the client refuses', async () => {
    const roomId = newRoomId();
    const alice = await joinWithMedia(server, roomId);
    const bob = await joinWithMedia(server, roomId);
    bob.client.refuseConsumers = true;
    await alice.client.request('produce', {
      transportId: alice.sendTransportId,
      kind: 'audio',
      rtpParameters: opusParameters(),
    });
    await waitFor(() => bob.client.consumers.length === 1, 'newConsumer');
    const peer = serverPeer(server, roomId, bob.client.peerId);
    await waitFor(() => peer.consumers.size === 0, 'the refused consumer closed');
  });

  it('tells consumers when their producer pauses, resumes and closes', async () => {
    const roomId = newRoomId();
    const alice = await joinWithMedia(server, roomId);
    const bob = await joinWithMedia(server, roomId);
    const { producerId } = await alice.client.request('produce', {
      transportId: alice.sendTransportId,
      kind: 'video',
      rtpParameters: vp8Parameters(),
    });
    const consumer = await waitFor(() => bob.client.consumers[0], 'newConsumer');
    const consumerId = consumer.id;

    await alice.client.request('pauseProducer', { producerId });
    await waitFor(
      () => bob.client.received('consumerPaused').some((n) => n.consumerId === consumerId),
      'consumerPaused',
    );
    await alice.client.request('resumeProducer', { producerId });
    await waitFor(
      () => bob.client.received('consumerResumed').some((n) => n.consumerId === consumerId),
      'consumerResumed',
    );
    await alice.client.request('closeProducer', { producerId });
    await waitFor(
      () => bob.client.received('consumerClosed').some((n) => n.consumerId === consumerId),
      'consumerClosed',
    );
    await assert.rejects(
      alice.client.request('pauseProducer', { producerId }),
      hasCode(ErrorCode.NotFound),
    );
    assert.equal(serverPeer(server, roomId, bob.client.peerId).consumers.size, 0);
  });

  it('lets a client pause, resume, tune and close its own consumers', async () => {
    const roomId = newRoomId();
    const alice = await joinWithMedia(server, roomId);
    const bob = await joinWithMedia(server, roomId);
    await alice.client.request('produce', {
      transportId: alice.sendTransportId,
      kind: 'video',
      rtpParameters: simulcastVp8Parameters(),
    });
    const { id: consumerId } = await waitFor(() => bob.client.consumers[0], 'newConsumer');
    const serverConsumer = () =>
      serverPeer(server, roomId, bob.client.peerId).consumers.get(consumerId);
    await waitFor(() => serverConsumer()?.paused === false, 'resumed after the answer');

    await bob.client.request('pauseConsumer', { consumerId });
    assert.equal(serverConsumer()?.paused, true);
    await bob.client.request('resumeConsumer', { consumerId });
    assert.equal(serverConsumer()?.paused, false);
    await bob.client.request('setConsumerPreferredLayers', {
      consumerId,
      spatialLayer: 1,
      temporalLayer: 2,
    });
    assert.deepEqual(serverConsumer()?.preferredLayers, { spatialLayer: 1, temporalLayer: 2 });
    await bob.client.request('setConsumerPriority', { consumerId, priority: 7 });
    assert.equal(serverConsumer()?.priority, 7);
    await bob.client.request('requestConsumerKeyFrame', { consumerId });
    const { stats } = await bob.client.request('getConsumerStats', { consumerId });
    assert.ok(Array.isArray(stats));
    await bob.client.request('closeConsumer', { consumerId });
    assert.equal(serverConsumer(), undefined);
    await assert.rejects(
      bob.client.request('resumeConsumer', { consumerId }),
      hasCode(ErrorCode.NotFound),
    );
  });
});

describe('audio observers', () => {
  it('feeds every audio producer (and no video) to the level and speaker observers', async () => {
    const roomId = newRoomId();
    const alice = await joinWithMedia(server, roomId);
    const audio = await alice.client.request('produce', {
      transportId: alice.sendTransportId,
      kind: 'audio',
      rtpParameters: opusParameters(),
    });
    const video = await alice.client.request('produce', {
      transportId: alice.sendTransportId,
      kind: 'video',
      rtpParameters: vp8Parameters(),
    });
    const router = server.room(roomId)?.router;
    const dump = await waitFor(async () => {
      const d = (await router?.dump()) as {
        rtpObserverIds: string[];
        mapProducerIdObserverIds: Record<string, string[]>;
      };
      return (d.mapProducerIdObserverIds[audio.producerId]?.length ?? 0) === 2 ? d : undefined;
    }, 'the audio producer observed');
    assert.equal(
      dump.rtpObserverIds.length,
      2,
      'an AudioLevelObserver and an ActiveSpeakerObserver',
    );
    assert.deepEqual(dump.mapProducerIdObserverIds[video.producerId] ?? [], []);
  });
});

describe('data channels', () => {
  it('gives other peers a data consumer of each data producer and tells them when it closes', async () => {
    const roomId = newRoomId();
    const alice = await joinWithMedia(server, roomId);
    const bob = await joinWithMedia(server, roomId);
    const { dataProducerId } = await alice.client.request('produceData', {
      transportId: alice.sendTransportId,
      sctpStreamParameters: { streamId: 0, ordered: true },
      label: 'chat',
      protocol: 'text',
      appData: { topic: 'general' },
    });
    const dataConsumer = await waitFor(() => bob.client.dataConsumers[0], 'newDataConsumer');
    assert.equal(dataConsumer.dataProducerId, dataProducerId);
    assert.equal(dataConsumer.peerId, alice.client.peerId);
    assert.equal(dataConsumer.label, 'chat');
    assert.equal(dataConsumer.protocol, 'text');
    assert.deepEqual(dataConsumer.appData, { topic: 'general' });

    await alice.client.request('closeDataProducer', { dataProducerId });
    await waitFor(
      () =>
        bob.client.received('dataConsumerClosed').some((n) => n.dataConsumerId === dataConsumer.id),
      'dataConsumerClosed',
    );
  });

  it('refuses produceData on a transport without SCTP', async () => {
    const client = new TestClient(server);
    const joined = await client.join(newRoomId(), { transports: { send: {} } });
    await assert.rejects(
      client.request('produceData', {
        transportId: joined.sendTransport?.id ?? '',
        sctpStreamParameters: { streamId: 1 },
      }),
      hasCode(ErrorCode.InvalidState),
    );
    client.disconnect();
  });
});

describe('transports', () => {
  it('restarts ICE, reports stats and refuses a second connect', async () => {
    const roomId = newRoomId();
    const alice = await joinWithMedia(server, roomId);
    const before = serverPeer(server, roomId, alice.client.peerId).transport(
      alice.sendTransportId,
    ).iceParameters;
    const { iceParameters } = await alice.client.request('restartIce', {
      transportId: alice.sendTransportId,
    });
    assert.notEqual(iceParameters.usernameFragment, before.usernameFragment);

    const { stats } = await alice.client.request('getTransportStats', {
      transportId: alice.sendTransportId,
    });
    assert.equal(stats[0]?.type, 'webrtc-transport');
    const { producerId } = await alice.client.request('produce', {
      transportId: alice.sendTransportId,
      kind: 'audio',
      rtpParameters: opusParameters(),
    });
    const producerStats = await alice.client.request('getProducerStats', { producerId });
    assert.ok(Array.isArray(producerStats.stats));
    await assert.rejects(
      alice.client.request('connectWebRtcTransport', {
        transportId: alice.sendTransportId,
        dtlsParameters,
      }),
      hasCode(ErrorCode.InvalidState),
    );
  });

  it('refuses to produce on a recv transport', async () => {
    const alice = await joinWithMedia(server, newRoomId());
    await assert.rejects(
      alice.client.request('produce', {
        transportId: alice.recvTransportId,
        kind: 'audio',
        rtpParameters: opusParameters(),
      }),
      hasCode(ErrorCode.InvalidState),
    );
  });
});

describe('closing the server', () => {
  it('tells every peer its room closed, then closes the connections and workers', async () => {
    const own = await createSfuServer({ workers: 1, workerSettings: { logLevel: 'none' } });
    const alice = await joinWithMedia(own, 'closing');
    own.close();
    await waitFor(() => alice.client.connection.closed, 'the connection closed');
    assert.deepEqual(alice.client.received('roomClosed'), [{ reason: 'closed' }]);
    assert.ok(own.pool.workers.every((w) => w.closed));
  });
});

describe('leaving', () => {
  it('tells the others, closes the peer objects, and closes the room with its last peer', async () => {
    const roomId = newRoomId();
    const alice = await joinWithMedia(server, roomId);
    const bob = await joinWithMedia(server, roomId);
    await alice.client.request('produce', {
      transportId: alice.sendTransportId,
      kind: 'audio',
      rtpParameters: opusParameters(),
    });
    const consumer = await waitFor(() => bob.client.consumers[0], 'newConsumer');

    await alice.client.request('leave', {});
    await waitFor(
      () => bob.client.received('peerLeft').some((n) => n.peerId === alice.client.peerId),
      'peerLeft',
    );
    await waitFor(
      () => bob.client.received('consumerClosed').some((n) => n.consumerId === consumer.id),
      'consumerClosed',
    );
    assert.equal(server.room(roomId)?.peers.length, 1);
    await assert.rejects(
      alice.client.request('produce', {
        transportId: alice.sendTransportId,
        kind: 'audio',
        rtpParameters: opusParameters(),
      }),
      hasCode(ErrorCode.NotJoined),
    );
    await assert.rejects(alice.client.request('leave', {}), hasCode(ErrorCode.NotJoined));

    await bob.client.request('leave', {});
    assert.equal(server.room(roomId), undefined, 'the room closed with its last peer');
    // The session outlives the room: the same connection may join again.
    await alice.client.join(roomId);
    alice.client.disconnect();
  });
});
