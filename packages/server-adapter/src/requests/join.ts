import {
  appDataProblem,
  ErrorCode,
  PROTOCOL_VERSION,
  ProtocolError,
  rtpCapabilitiesDigest,
  type TransportOptions,
} from '@vroom/protocol';
import type { types } from 'mediasoup';
import { alreadyJoined, joinRefused, rateLimited } from '../errors.js';
import { createLogger } from '../logger.js';
import { announcePermissionsAfterReply, joinPermissions } from '../permissions.js';
import { consumeRoomAfterReply } from '../subscribe.js';
import { createTransport } from './transports.js';
import type { Handler, ServerContext } from './types.js';

const log = createLogger('join');

const join: Handler<'join'> = async (peer, data, server) => {
  if (peer.joined) throw alreadyJoined();
  // A rejoin storm: per session (the same connection) and per address (fresh ones).
  if (!peer.takeReconnect() || !server.admitFromAddress(peer)) throw rateLimited();
  if (data.protocolVersion !== PROTOCOL_VERSION) {
    throw ProtocolError.versionMismatch(data.protocolVersion, PROTOCOL_VERSION);
  }
  assertRoomForOneMore(server);
  const { roomId, displayName, device, token, appData } = data;
  let peerAppData = appData;
  let permissions = joinPermissions(undefined);
  if (server.authorize) {
    const verdict = await server
      .authorize({ roomId, displayName, device, token, appData }, peer.connectionInfo)
      .catch((error: unknown) => {
        // A hook that fails must refuse, never let the peer in.
        log.error('authorize hook failed: %s', error);
        return false as const;
      });
    if (verdict === false) throw joinRefused();
    if (typeof verdict === 'object' && verdict.appData) {
      // Others get it in their join answers: written wrong, it would jam the room.
      const problem = appDataProblem(verdict.appData);
      if (problem) {
        log.error('authorize hook gave appData that is %s; join refused', problem);
        throw new ProtocolError(ErrorCode.Internal, `the server's join hook failed: bad appData`);
      }
      peerAppData = verdict.appData;
    }
    if (typeof verdict === 'object') permissions = joinPermissions(verdict.permissions);
  }
  takeOverReloadedSeat(peer, data, server);
  let room = await server.openRoom(roomId);
  // An empty room may close between its creation and our seat: take a fresh one.
  for (let attempt = 0; room.closed && attempt < 3; attempt++) room = await server.openRoom(roomId);
  if (room.closed) throw ProtocolError.closed(`room "${roomId}" closed while joining; retry`);
  // The seat is taken before any await so the room cannot close under us.
  if (peer.closed) {
    room.closeIfEmpty();
    throw ProtocolError.closed('the session ended while joining');
  }
  peer.identity = { displayName, device, ...(peerAppData ? { appData: peerAppData } : {}) };
  peer.permissions = permissions;
  try {
    assertRoomForOneMore(server); // again: other joins may have filled it during the awaits
    room.addPeer(peer, Buffer.byteLength(JSON.stringify(peer.info())));
  } catch (error) {
    peer.identity = undefined;
    room.closeIfEmpty();
    throw error;
  }
  peer.room = room;
  peer.rtpCapabilities = freshCapabilities(data, room.router);
  peer.sctpCapabilities = data.sctpCapabilities;

  let sendTransport: TransportOptions | undefined;
  let recvTransport: TransportOptions | undefined;
  try {
    if (data.transports?.send) {
      sendTransport = await createTransport(peer, server, 'send', data.transports.send);
    }
    if (data.transports?.recv) {
      recvTransport = await createTransport(peer, server, 'recv', data.transports.recv);
    }
  } catch (error) {
    // All or nothing: a join that fails half-way leaves no seat and no transport.
    if (!peer.closed) peer.leaveRoom({ quiet: true, announce: false, reason: 'left' });
    throw error;
  }
  // Pipelined connect / produce may name it: only when our capabilities hold
  // (a stale cache means the client's RTP parameters were made for another router).
  if (sendTransport && peer.rtpCapabilities) peer.joinSendTransportId = sendTransport.id;
  const peers = room.peerInfos(peer);
  room.announceJoin(peer);
  consumeRoomAfterReply(peer);
  announcePermissionsAfterReply(peer);
  const sessionToken = peer.issueSessionToken();
  return {
    peerId: peer.id,
    routerRtpCapabilities: room.router.rtpCapabilities as TransportlessCapabilities,
    peers,
    ...(sendTransport ? { sendTransport } : {}),
    ...(recvTransport ? { recvTransport } : {}),
    ...(sessionToken ? { sessionToken, resumeWindowMs: server.resumeWindowMs } : {}),
    rtpCapabilitiesAccepted: peer.rtpCapabilities !== undefined,
  };
};

/**
 * A reloaded page names its previous session (`resumeToken`): when that one
 * is still in this room (held for the reload, or not yet noticed gone), this
 * join takes its seat and id. Anything else about the token is ignored: the
 * join goes on as a fresh one, and a guesser learns nothing.
 */
function takeOverReloadedSeat(
  peer: Parameters<Handler<'join'>>[0],
  data: Parameters<Handler<'join'>>[1],
  server: ServerContext,
): void {
  if (data.resumeToken === undefined) return;
  const previous = server.sessions.find(data.resumeToken);
  if (!previous || previous === peer || previous.closed || previous.room?.id !== data.roomId) {
    return;
  }
  log.debug('join: peer %s takes over the seat of its previous page', previous.id);
  peer.takeSeatOf(previous);
}

const routerDigests = new WeakMap<types.Router, string | undefined>();

/**
 * The capabilities sent in `join`, unless they were computed from router
 * capabilities other than this router's (a cache from another server or
 * mediasoup version): then none, and the client sends `setCapabilities`
 * with fresh ones. Without a digest they are taken as they come.
 */
function freshCapabilities(
  data: Parameters<Handler<'join'>>[1],
  router: types.Router,
): types.RtpCapabilities | undefined {
  const given = data.rtpCapabilities as types.RtpCapabilities | undefined;
  const digest = data.routerRtpCapabilitiesDigest;
  if (!given || digest === undefined) return given;
  if (!routerDigests.has(router)) {
    routerDigests.set(router, rtpCapabilitiesDigest(router.rtpCapabilities));
  }
  if (routerDigests.get(router) === digest) return given;
  log.debug('join: capabilities for another router (digest %s): ignored', digest);
  return undefined;
}

/** `limits.peersPerServer`: a full server refuses new peers and keeps those it has. */
function assertRoomForOneMore(server: ServerContext): void {
  const max = server.limits.peersPerServer;
  if (server.pool.peerCount >= max) throw ProtocolError.serverFull(`${max} peers`);
}

type TransportlessCapabilities = Parameters<Handler<'setCapabilities'>>[1]['rtpCapabilities'];

const setCapabilities: Handler<'setCapabilities'> = async (peer, data) => {
  peer.requireRoom();
  if (peer.rtpCapabilities) {
    throw new ProtocolError(ErrorCode.InvalidState, 'capabilities are set once per join');
  }
  peer.rtpCapabilities = data.rtpCapabilities as types.RtpCapabilities;
  if (data.sctpCapabilities) peer.sctpCapabilities = data.sctpCapabilities;
  consumeRoomAfterReply(peer);
  return {};
};

const leave: Handler<'leave'> = async (peer) => {
  peer.requireRoom();
  peer.leaveRoom({ quiet: true, announce: true, reason: 'left' });
  return {};
};

const ping: Handler<'ping'> = async () => ({});

export const joinHandlers = { join, setCapabilities, leave, ping };
