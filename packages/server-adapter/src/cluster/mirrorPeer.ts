import type { PeerInfo } from '@vroom/protocol';
import { ProtocolError } from '@vroom/protocol';
import type { Limits } from '../limits.js';
import { Peer } from '../Peer.js';
import type { Room } from '../Room.js';
import { ServerEvents } from '../ServerEvents.js';
import type { SessionRegistry } from '../SessionRegistry.js';

export interface MirrorHost {
  limits: Limits;
  sessions: SessionRegistry<Peer>;
}

/**
 * Seats, in this node's room, the stand-in of a peer connected to another
 * node: same id, name and device, so local peers see one room. It has no
 * connection and consumes nothing; its producers are the pipe producers of
 * the other node's media. Its events go to a private emitter: the app hears
 * each peer once, on the node it is connected to.
 */
export function seatMirrorPeer(host: MirrorHost, room: Room, info: PeerInfo): Peer {
  const peer = new Peer({
    id: info.peerId,
    limits: host.limits,
    connectionInfo: {},
    handle: async () => {
      throw ProtocolError.closed('a peer of another node takes no requests here');
    },
    requestTimeoutMs: 1,
    sessions: host.sessions,
    resumeWindowMs: 0,
    events: new ServerEvents(),
    onClosed: () => {},
  });
  peer.identity = {
    displayName: info.displayName,
    device: info.device,
    ...(info.appData ? { appData: info.appData } : {}),
  };
  room.addPeer(peer, Buffer.byteLength(JSON.stringify(info)));
  peer.room = room;
  room.announceJoin(peer);
  return peer;
}
