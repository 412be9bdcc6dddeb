import { ProtocolError } from '@vroom/protocol';
import type { Limits } from './limits.js';
import { createLogger } from './logger.js';
import { Peer, type PeerIdentity } from './Peer.js';
import type { Room } from './Room.js';
import type { ServerEvents } from './ServerEvents.js';
import type { SessionRegistry } from './SessionRegistry.js';

const log = createLogger('serverPeer');

/** What seating a server-side peer needs from the server around it. */
export interface ServerPeerHost {
  readonly limits: Limits;
  readonly sessions: SessionRegistry<Peer>;
  readonly events: ServerEvents;
  openRoom(roomId: string): Promise<Room>;
}

/**
 * Seats a peer that has no signaling connection (a server-side participant:
 * an ingest, a bot voice, a recorder that wants to be seen). The room treats
 * it like any joiner: the others get `peerJoined`, its producers fan out to
 * them, and `peer.close()` makes them hear `peerLeft`. It never consumes
 * through the protocol (it has no WebRTC recv transport), so `newConsumer`
 * fan-outs pass it by. The room closing closes it (`onClosed`).
 */
export async function seatServerPeer(
  host: ServerPeerHost,
  roomId: string,
  identity: PeerIdentity,
  onClosed: (peer: Peer) => void,
): Promise<Peer> {
  const peer = new Peer({
    limits: host.limits,
    connectionInfo: {},
    // Nothing reaches it over a connection; a request would be a bug.
    handle: async () => {
      throw ProtocolError.closed('a server-side participant takes no requests');
    },
    requestTimeoutMs: 1,
    sessions: host.sessions,
    events: host.events,
    // No resume: nothing is logged for a client that does not exist.
    resumeWindowMs: 0,
    onClosed,
  });
  let room = await host.openRoom(roomId);
  // An empty room may close between its creation and our seat: take a fresh one.
  for (let attempt = 0; room.closed && attempt < 3; attempt++) room = await host.openRoom(roomId);
  if (room.closed) throw ProtocolError.closed(`room "${roomId}" closed while joining; retry`);
  peer.identity = identity;
  try {
    room.addPeer(peer, Buffer.byteLength(JSON.stringify(peer.info())));
  } catch (error) {
    room.closeIfEmpty();
    throw error;
  }
  peer.room = room;
  room.announceJoin(peer);
  log.debug('server peer %s (%s) seated in room %s', peer.id, identity.displayName, roomId);
  return peer;
}
