import type { types } from 'mediasoup';
import { whenKeyFrameWouldBeHonoured } from './keyFramePacing.js';
import { downlinkLayersOf } from './layers/DownlinkLayers.js';
import { createLogger } from './logger.js';
import type { Peer } from './Peer.js';
import { ownerOf } from './Room.js';

const log = createLogger('subscribe');

/** Client appData of a producer, as its owner sent it in `produce`. */
export function clientAppData(object: { appData: unknown }): Record<string, unknown> {
  const appData = object.appData as { client?: Record<string, unknown> } | undefined;
  return appData?.client ?? {};
}

/**
 * Creates, on `peer`, a consumer of another peer's producer, following
 * mediasoup's guidance: created paused, sent with `newConsumer`, resumed once
 * the client answers OK. Runs inside `peer`'s queue; never throws.
 */
export async function consumeProducer(peer: Peer, producer: types.Producer): Promise<void> {
  const room = peer.room;
  const rtpCapabilities = peer.rtpCapabilities;
  const transport = peer.recvTransport({ sctp: false });
  if (!room || room.closed || !rtpCapabilities || !transport || producer.closed) return;
  if (!peer.permissions.subscribe) return;
  if (hasConsumerOf(peer, producer.id)) return;
  if (peer.consumers.size >= peer.limits.consumersPerPeer) {
    log.warn('peer %s reached its consumer limit; skipping producer %s', peer.id, producer.id);
    return;
  }
  if (!room.router.canConsume({ producerId: producer.id, rtpCapabilities })) {
    log.debug('peer %s cannot consume producer %s (codecs)', peer.id, producer.id);
    return;
  }
  let consumer: types.Consumer;
  try {
    consumer = await transport.consume({
      producerId: producer.id,
      rtpCapabilities,
      paused: true,
      appData: { peerId: ownerOf(producer) },
    });
    // The producer may have closed while the worker made the consumer: offer nothing dead.
    if (producer.closed || !peer.permissions.subscribe) {
      consumer.close();
      return;
    }
    peer.adoptConsumer(consumer);
    if (room.downlinkLayers) {
      downlinkLayersOf(transport)?.add(consumer, producer, clientAppData(producer).source);
    }
  } catch (error) {
    log.debug('peer %s: consume of producer %s failed: %s', peer.id, producer.id, error);
    return;
  }
  // Not awaited: a slow client delays only its own resumption, not its queue.
  peer
    .request('newConsumer', {
      peerId: ownerOf(producer),
      producerId: producer.id,
      id: consumer.id,
      kind: consumer.kind,
      rtpParameters: consumer.rtpParameters,
      type: consumer.type,
      producerPaused: consumer.producerPaused,
      appData: clientAppData(producer),
    })
    .then(
      () => resumeWhenKeyFrameWouldBeHonoured(peer, consumer),
      (error: unknown) => {
        // The client does not have it: keep nothing it cannot see.
        log.debug('peer %s refused consumer %s: %s', peer.id, consumer.id, error);
        consumer.close();
      },
    )
    .catch((error: unknown) => log.debug('resume of consumer %s failed: %s', consumer.id, error));
}

/**
 * Resumes a consumer through the peer's queue once its sender would honour
 * the key frame request the resume makes (see keyFramePacing.ts); the wait,
 * if any, is spent outside the queue. A client pause or a close meanwhile wins.
 */
export function resumeWhenKeyFrameWouldBeHonoured(
  peer: Peer,
  consumer: types.Consumer,
): Promise<void> {
  return whenKeyFrameWouldBeHonoured(consumer, () =>
    peer.queue.push(async () => {
      if (consumer.closed || peer.pausedByClient.has(consumer.id)) return;
      await consumer.resume();
    }),
  );
}

/** Same for a data producer: a data consumer on the peer's SCTP recv transport. */
export async function consumeDataProducer(
  peer: Peer,
  dataProducer: types.DataProducer,
): Promise<void> {
  const room = peer.room;
  const transport = peer.recvTransport({ sctp: true });
  if (!room || room.closed || !transport || dataProducer.closed) return;
  if (!peer.permissions.subscribe) return;
  if (hasDataConsumerOf(peer, dataProducer.id)) return;
  if (peer.dataConsumers.size >= peer.limits.dataConsumersPerPeer) {
    log.warn('peer %s reached its data consumer limit', peer.id);
    return;
  }
  let dataConsumer: types.DataConsumer;
  try {
    dataConsumer = await transport.consumeData({
      dataProducerId: dataProducer.id,
      appData: { peerId: ownerOf(dataProducer) },
    });
    if (dataProducer.closed || !peer.permissions.subscribe) {
      dataConsumer.close();
      return;
    }
    peer.adoptDataConsumer(dataConsumer);
  } catch (error) {
    log.debug('peer %s: consumeData of %s failed: %s', peer.id, dataProducer.id, error);
    return;
  }
  const sctpStreamParameters = dataConsumer.sctpStreamParameters;
  if (!sctpStreamParameters) {
    dataConsumer.close();
    return;
  }
  peer
    .request('newDataConsumer', {
      peerId: ownerOf(dataProducer),
      dataProducerId: dataProducer.id,
      id: dataConsumer.id,
      sctpStreamParameters,
      label: dataConsumer.label,
      protocol: dataConsumer.protocol,
      appData: clientAppData(dataProducer),
    })
    .catch((error: unknown) => {
      log.debug('peer %s refused data consumer %s: %s', peer.id, dataConsumer.id, error);
      dataConsumer.close();
    });
}

/**
 * Consumes everything the other peers already send. Idempotent (skips what is
 * consumed already), so every trigger (join, setCapabilities, a new recv
 * transport) may call it.
 */
export async function consumeRoom(peer: Peer): Promise<void> {
  const room = peer.room;
  if (!room) return;
  for (const other of room.others(peer)) {
    for (const producer of [...other.producers.values()]) await consumeProducer(peer, producer);
    for (const dataProducer of [...other.dataProducers.values()]) {
      await consumeDataProducer(peer, dataProducer);
    }
  }
}

/**
 * Queues `consumeRoom` on the peer once the current request has been
 * answered: `setImmediate` runs after the response is written, so the client
 * knows its recv transport before the first `newConsumer` arrives.
 */
export function consumeRoomAfterReply(peer: Peer): void {
  setImmediate(() => {
    if (!peer.closed) runInQueue(peer, () => consumeRoom(peer));
  });
}

/** Gives every other peer in the room a consumer of a new producer. */
export function fanOutProducer(owner: Peer, producer: types.Producer): void {
  for (const other of owner.room?.others(owner) ?? []) {
    runInQueue(other, () => consumeProducer(other, producer));
  }
}

export function fanOutDataProducer(owner: Peer, dataProducer: types.DataProducer): void {
  for (const other of owner.room?.others(owner) ?? []) {
    runInQueue(other, () => consumeDataProducer(other, dataProducer));
  }
}

/** Server-initiated work on a peer's queue. It must never reject unhandled: that would end the process. */
function runInQueue(peer: Peer, task: () => Promise<void>): void {
  peer.queue.push(task).catch((error: unknown) => log.error('peer %s: %s', peer.id, error));
}

function hasConsumerOf(peer: Peer, producerId: string): boolean {
  for (const consumer of peer.consumers.values())
    if (consumer.producerId === producerId) return true;
  return false;
}

function hasDataConsumerOf(peer: Peer, dataProducerId: string): boolean {
  for (const dataConsumer of peer.dataConsumers.values()) {
    if (dataConsumer.dataProducerId === dataProducerId) return true;
  }
  return false;
}
