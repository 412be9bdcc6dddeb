import type { types } from 'mediasoup';
import type { Peer } from './Peer.js';
import { clientAppData } from './subscribe.js';

/**
 * Which mediasoup events of a peer's objects the application hears through
 * `server.events`, and as what (the client's own notifications are in
 * `objectNotifications.ts`). Ids are taken at adoption: the room and owner of
 * an object never change during its life.
 */

export function emitProducerEvents(peer: Peer, producer: types.Producer): void {
  const roomId = peer.room?.id ?? '';
  const ids = { roomId, peerId: peer.id, producerId: producer.id };
  const appData = clientAppData(producer);
  const source = typeof appData.source === 'string' ? appData.source : undefined;
  const { events } = peer;
  events.emit('producerCreated', { ...ids, kind: producer.kind, source, appData });
  producer.observer.on('pause', () => events.emit('producerPaused', ids));
  producer.observer.on('resume', () => events.emit('producerResumed', ids));
  producer.observer.once('close', () => events.emit('producerClosed', ids));
}

export function emitDataProducerEvents(peer: Peer, dataProducer: types.DataProducer): void {
  peer.events.emit('dataProducerCreated', {
    roomId: peer.room?.id ?? '',
    peerId: peer.id,
    dataProducerId: dataProducer.id,
    label: dataProducer.label,
  });
}
