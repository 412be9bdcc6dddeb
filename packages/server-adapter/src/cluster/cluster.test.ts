import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createSfuServer, type SfuServer } from '../index.js';
import { opusParameters, vp8Parameters } from '../test/fixtures.js';
import { RedisServer } from '../test/redisServer.js';
import { joinWithMedia } from '../test/rooms.js';
import { waitFor } from '../test/TestClient.js';

// Three nodes in this process, each with its own mediasoup worker, on one
// real Redis: peers of one room on different nodes see one room.
describe('cluster: one room over three nodes (real Redis, real workers)', () => {
  let redis: RedisServer;
  const nodes: SfuServer[] = [];

  before(async () => {
    redis = await RedisServer.start();
    for (const nodeId of ['n1', 'n2', 'n3']) {
      nodes.push(
        await createSfuServer({
          workers: 1,
          workerSettings: { logLevel: 'none' },
          cluster: {
            redis: redis.url,
            nodeId,
            url: `ws://127.0.0.1/${nodeId}`,
            advertise: '127.0.0.1',
            prefix: 'c3',
            heartbeatTtlMs: 600,
          },
        }),
      );
    }
    await waitFor(
      () => nodes.every((n) => n.cluster?.liveNodes().length === 3),
      'all nodes see each other',
    );
  });
  after(async () => {
    for (const node of nodes) node.close();
    await new Promise((r) => setTimeout(r, 100));
    await redis.stop();
  });

  it('peers on three nodes see each other join, produce, pause and leave', async () => {
    const [a, b, c] = [
      await joinWithMedia(nodes[0]!, 'span'),
      await joinWithMedia(nodes[1]!, 'span'),
      await joinWithMedia(nodes[2]!, 'span'),
    ];
    const peerIds = [a, b, c].map((p) => p.client.peerId);
    // Each one learns of the two others (in its join answer or as peerJoined).
    for (const [i, p] of [a, b, c].entries()) {
      await waitFor(() => {
        const known = new Set([
          ...p.peerIds,
          ...p.client.notifications
            .filter((n) => n.method === 'peerJoined')
            .map((n) => (n.data as { peerId: string }).peerId),
        ]);
        return peerIds.filter((_, j) => j !== i).every((id) => known.has(id));
      }, `peer ${i} sees the others`);
    }

    const { producerId: audioId } = await a.client.request('produce', {
      transportId: a.sendTransportId,
      kind: 'audio',
      rtpParameters: opusParameters(),
    });
    const { producerId: videoId } = await a.client.request('produce', {
      transportId: a.sendTransportId,
      kind: 'video',
      rtpParameters: vp8Parameters(),
    });
    const { dataProducerId } = await a.client.request('produceData', {
      transportId: a.sendTransportId,
      sctpStreamParameters: { streamId: 0, ordered: true },
      label: 'chat',
    });
    for (const p of [b, c]) {
      await waitFor(
        () =>
          p.client.dataConsumers.some(
            (x) => x.dataProducerId === dataProducerId && x.label === 'chat',
          ),
        'a data consumer of the chat on the other nodes',
      );
      await waitFor(
        () => [audioId, videoId].every((id) => p.client.consumers.some((x) => x.producerId === id)),
        'consumers of both producers on the other nodes',
      );
      const consumer = p.client.consumers.find((x) => x.producerId === videoId)!;
      assert.equal(consumer.peerId, a.client.peerId);
    }
    // One pipe per producer per node pair: n1 consumes each producer once per other node.
    const origin = nodes[0]!.room('span')!.router;
    const dump = (await origin.dump()) as { mapProducerIdConsumerIds: Record<string, string[]> };
    for (const id of [audioId, videoId]) {
      assert.equal(
        dump.mapProducerIdConsumerIds[id]?.length,
        2,
        `producer ${id} is piped once to each of 2 nodes`,
      );
    }

    await a.client.request('pauseProducer', { producerId: videoId });
    for (const p of [b, c]) {
      const consumer = p.client.consumers.find((x) => x.producerId === videoId)!;
      await waitFor(
        () =>
          p.client.notifications.some(
            (n) =>
              n.method === 'consumerPaused' &&
              (n.data as { consumerId: string }).consumerId === consumer.id,
          ),
        'consumerPaused across the pipe',
      );
    }
    await a.client.request('closeProducer', { producerId: videoId });
    for (const p of [b, c]) {
      const consumer = p.client.consumers.find((x) => x.producerId === videoId)!;
      await waitFor(
        () =>
          p.client.notifications.some(
            (n) =>
              n.method === 'consumerClosed' &&
              (n.data as { consumerId: string }).consumerId === consumer.id,
          ),
        'consumerClosed across the pipe',
      );
    }

    await c.client.request('leave', {});
    for (const p of [a, b]) {
      await waitFor(
        () =>
          p.client.notifications.some(
            (n) =>
              n.method === 'peerLeft' && (n.data as { peerId: string }).peerId === c.client.peerId,
          ),
        'peerLeft of the peer on n3',
      );
    }
    // n3 had no peer left: its room (and the stand-ins in it) closed.
    await waitFor(() => nodes[2]!.room('span') === undefined, 'the room closed on n3');
  });
});
