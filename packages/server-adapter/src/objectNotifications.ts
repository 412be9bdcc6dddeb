import type { NotificationData, ServerNotifications } from '@vroom/protocol';
import type { types } from 'mediasoup';
import type { Peer } from './Peer.js';

/**
 * Which mediasoup events of a peer's own objects its client hears about, and
 * as what. Closures the client did not ask for are told; pauses, layers and
 * scores of its consumers too; its own `close` calls are answered instead.
 */

/**
 * When the router is gone (its worker died, the room is closing), mediasoup
 * closes every object of the room one by one before the room's own event:
 * those closures are news of the room, which `roomClosed` tells in one go.
 * Sent one by one first, they would make clients drop tracks that the
 * rejoin after `roomClosed` must publish again.
 */
function notifyUnlessRoomGone<M extends keyof ServerNotifications & string>(
  peer: Peer,
  method: M,
  data: NotificationData<ServerNotifications, M>,
): void {
  if (peer.room?.router.closed) return;
  peer.notify(method, data);
}

export function notifyTransportEvents(peer: Peer, transport: types.WebRtcTransport): void {
  const transportId = transport.id;
  transport.on('routerclose', () => notifyUnlessRoomGone(peer, 'transportClosed', { transportId }));
}

export function notifyProducerEvents(peer: Peer, producer: types.Producer): void {
  const producerId = producer.id;
  producer.on('transportclose', () => notifyUnlessRoomGone(peer, 'producerClosed', { producerId }));
  producer.on('score', (score: types.ProducerScore[]) => {
    peer.notify('producerScore', {
      producerId,
      score: score.map((s) => ({
        ssrc: s.ssrc,
        score: s.score,
        ...(s.rid ? { rid: s.rid } : {}),
      })),
    });
  });
}

export function notifyConsumerEvents(peer: Peer, consumer: types.Consumer): void {
  const consumerId = consumer.id;
  const closed = () => notifyUnlessRoomGone(peer, 'consumerClosed', { consumerId });
  consumer.on('producerclose', closed);
  consumer.on('transportclose', closed);
  consumer.on('producerpause', () => peer.notify('consumerPaused', { consumerId }));
  consumer.on('producerresume', () => peer.notify('consumerResumed', { consumerId }));
  consumer.on('layerschange', (layers?: types.ConsumerLayers) =>
    peer.notify('consumerLayersChanged', {
      consumerId,
      spatialLayer: layers?.spatialLayer ?? null,
      temporalLayer: layers?.temporalLayer ?? null,
    }),
  );
  consumer.on('score', (score: types.ConsumerScore) =>
    peer.notify('consumerScore', { consumerId, ...score }),
  );
}

export function notifyDataConsumerEvents(peer: Peer, dataConsumer: types.DataConsumer): void {
  const dataConsumerId = dataConsumer.id;
  const closed = () => notifyUnlessRoomGone(peer, 'dataConsumerClosed', { dataConsumerId });
  dataConsumer.on('dataproducerclose', closed);
  dataConsumer.on('transportclose', closed);
}
