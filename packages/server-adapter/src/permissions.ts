import {
  DEFAULT_PERMISSIONS,
  ErrorCode,
  type PeerPermissions,
  ProtocolError,
  patchPermissions,
} from '@vroom/protocol';
import { createLogger } from './logger.js';
import type { Peer } from './Peer.js';
import { clientAppData, consumeRoomAfterReply } from './subscribe.js';

const log = createLogger('permissions');

/**
 * What each peer may do, enforced where it acts: `produce` and `produceData`
 * ask `assertMayProduce` / `assertMayProduceData` (FORBIDDEN), consumers are
 * only made for peers that may subscribe, and a hidden peer is left out of
 * the others' peer lists. `changePermissions` applies a change at once: what
 * is no longer allowed is closed (and the peer told), and the peer gets its
 * new permissions (`permissionsChanged`).
 */

/** Permissions a fresh session starts with, as a copy it may own. */
export function defaultPermissions(): PeerPermissions {
  return patchPermissions(DEFAULT_PERMISSIONS, {});
}

/** Why a producer of this kind and client appData is not allowed, or undefined. */
function produceRefusal(
  permissions: PeerPermissions,
  kind: 'audio' | 'video',
  appData: Record<string, unknown> | undefined,
): string | undefined {
  if (permissions.hidden) return 'publishing as a hidden peer';
  if (!permissions.publish.includes(kind)) return `publishing ${kind}`;
  const sources = permissions.publishSources;
  if (sources === null) return undefined;
  const source = appData?.source;
  if (typeof source !== 'string') return 'publishing without an appData.source';
  return sources.includes(source) ? undefined : `publishing source "${source}"`;
}

export function assertMayProduce(
  peer: Peer,
  kind: 'audio' | 'video',
  appData: Record<string, unknown> | undefined,
): void {
  const refusal = produceRefusal(peer.permissions, kind, appData);
  if (refusal) throw ProtocolError.forbidden(refusal);
}

export function assertMayProduceData(peer: Peer): void {
  const { hidden, publishData } = peer.permissions;
  if (hidden || !publishData) throw ProtocolError.forbidden('publishing data');
}

/** The application may record this peer (for recording features: they check it first). */
export function canRecord(peer: Peer): boolean {
  return peer.permissions.record;
}

/**
 * Checks permissions the join hook gave (a bad value is the app's bug: the
 * join is refused with INTERNAL and the reason is logged).
 */
export function joinPermissions(patch: Partial<PeerPermissions> | undefined): PeerPermissions {
  if (!patch) return defaultPermissions();
  try {
    return patchPermissions(DEFAULT_PERMISSIONS, patch);
  } catch (error) {
    log.error('authorize hook gave bad permissions: %s; join refused', error);
    throw new ProtocolError(ErrorCode.Internal, `the server's join hook failed: bad permissions`);
  }
}

/** Tells a peer that just joined its permissions, after the join answer, when not the defaults. */
export function announcePermissionsAfterReply(peer: Peer): void {
  if (samePermissions(peer.permissions, DEFAULT_PERMISSIONS)) return;
  setImmediate(() => {
    if (peer.joined) peer.notify('permissionsChanged', { permissions: peer.permissions });
  });
}

/**
 * Applies `patch` to a joined peer's permissions now: closes producers,
 * data producers and consumers that are no longer allowed (telling the
 * peer), consumes the room when subscribing is granted, shows or hides the
 * peer to the others, and sends the peer its new permissions.
 */
export function changePermissions(peer: Peer, patch: Partial<PeerPermissions>): PeerPermissions {
  const room = peer.requireRoom();
  const before = peer.permissions;
  const after = patchPermissions(before, patch);
  peer.permissions = after;
  for (const producer of [...peer.producers.values()]) {
    if (produceRefusal(after, producer.kind, clientAppData(producer)) === undefined) continue;
    producer.close();
    peer.notify('producerClosed', { producerId: producer.id });
  }
  if (after.hidden || !after.publishData) {
    // The worker resets the SCTP stream, which closes the client's data channel.
    for (const dataProducer of [...peer.dataProducers.values()]) dataProducer.close();
  }
  if (!after.subscribe) {
    for (const consumer of [...peer.consumers.values()]) {
      consumer.close();
      peer.notify('consumerClosed', { consumerId: consumer.id });
    }
    for (const dataConsumer of [...peer.dataConsumers.values()]) {
      dataConsumer.close();
      peer.notify('dataConsumerClosed', { dataConsumerId: dataConsumer.id });
    }
  } else if (!before.subscribe) consumeRoomAfterReply(peer);
  if (before.hidden !== after.hidden && peer.announced) {
    const info = peer.info();
    for (const other of room.others(peer)) {
      if (!other.announced) continue;
      if (after.hidden) other.notify('peerLeft', { peerId: peer.id });
      else other.notify('peerJoined', info);
    }
  }
  if (!samePermissions(before, after)) {
    peer.notify('permissionsChanged', { permissions: after });
    peer.events.emit('permissionsChanged', {
      roomId: room.id,
      peerId: peer.id,
      permissions: after,
    });
  }
  return after;
}

function samePermissions(a: Readonly<PeerPermissions>, b: Readonly<PeerPermissions>): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
