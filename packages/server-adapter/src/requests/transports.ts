import { ErrorCode, ProtocolError, type TransportOptions } from '@vroom/protocol';
import type { types } from 'mediasoup';
import { rateLimited } from '../errors.js';
import { createLogger } from '../logger.js';
import type { Peer, TransportDirection } from '../Peer.js';
import { consumeRoomAfterReply } from '../subscribe.js';
import type { Handler, ServerContext } from './types.js';

const log = createLogger('transports');

export interface TransportRequest {
  sctp?: boolean | undefined;
  forceTcp?: boolean | undefined;
}

/**
 * Creates a WebRTC transport for the peer (used by `join` too). The limit is
 * checked first, and a transport created for a peer that left meanwhile is
 * closed by `adoptTransport`, so a failure leaves nothing behind.
 */
export async function createTransport(
  peer: Peer,
  server: ServerContext,
  direction: TransportDirection,
  request: TransportRequest,
): Promise<TransportOptions> {
  const room = peer.requireRoom();
  const max = server.limits.transportsPerPeer;
  if (peer.transports.size >= max) throw ProtocolError.limit('transports per peer', max);
  // Server-wide: refused before the worker runs out of file descriptors or
  // ports, which would fail every later join (SERVER_FULL, not INTERNAL).
  const perWorker = server.limits.transportsPerWorker;
  const { worker } = room;
  if (server.pool.transportCount(worker) >= perWorker) {
    throw ProtocolError.serverFull(`${perWorker} transports on this media worker`);
  }
  server.pool.addTransports(worker, 1);
  let transport: types.WebRtcTransport;
  try {
    transport = await newWebRtcTransport(room.router, peer, server, direction, request);
  } catch (error) {
    server.pool.addTransports(worker, -1);
    throw asCapacity(error);
  }
  transport.observer.once('close', () => server.pool.addTransports(worker, -1));
  peer.adoptTransport(transport, direction);
  return describeTransport(transport);
}

function newWebRtcTransport(
  router: types.Router,
  peer: Peer,
  server: ServerContext,
  direction: TransportDirection,
  request: TransportRequest,
): Promise<types.WebRtcTransport> {
  const settings = server.webRtcTransport;
  const numStreams = peer.sctpCapabilities?.numStreams;
  return router.createWebRtcTransport({
    listenIps: settings.listenIps,
    enableUdp: request.forceTcp ? false : settings.enableUdp,
    enableTcp: request.forceTcp ? true : settings.enableTcp,
    preferUdp: settings.preferUdp,
    ...(settings.initialAvailableOutgoingBitrate !== undefined
      ? { initialAvailableOutgoingBitrate: settings.initialAvailableOutgoingBitrate }
      : {}),
    enableSctp: request.sctp === true,
    ...(request.sctp && numStreams
      ? { numSctpStreams: { OS: numStreams.OS, MIS: numStreams.MIS } }
      : {}),
    ...(settings.maxSctpMessageSize !== undefined
      ? { maxSctpMessageSize: settings.maxSctpMessageSize }
      : {}),
    appData: { peerId: peer.id, direction },
  });
}

/**
 * A transport the worker could not open is a full server, not a broken one:
 * mediasoup 3.8.4 reports running out of ports or file descriptors with an
 * empty reason (checked: `" [method:router.createWebRtcTransport]"`), so
 * every failure but bad data or a closed router is taken for exhaustion.
 * The client may retry later or elsewhere; those already in are untouched.
 */
function asCapacity(error: unknown): unknown {
  if (error instanceof ProtocolError) return error;
  if (error instanceof Error && ['TypeError', 'InvalidStateError'].includes(error.name)) {
    return error;
  }
  log.warn('the worker could not open a transport (taken for exhaustion): %s', error);
  return ProtocolError.serverFull('the media worker cannot open a transport now');
}

function describeTransport(transport: types.WebRtcTransport): TransportOptions {
  return {
    id: transport.id,
    iceParameters: transport.iceParameters,
    iceCandidates: transport.iceCandidates,
    dtlsParameters: transport.dtlsParameters,
    ...(transport.sctpParameters ? { sctpParameters: transport.sctpParameters } : {}),
  };
}

const createWebRtcTransport: Handler<'createWebRtcTransport'> = async (peer, data, server) => {
  const { direction, ...request } = data;
  const options = await createTransport(peer, server, direction, request);
  // A new recv transport can carry what the others already send.
  if (direction === 'recv') consumeRoomAfterReply(peer);
  return options;
};

const connectWebRtcTransport: Handler<'connectWebRtcTransport'> = async (peer, data) => {
  peer.requireRoom();
  const transport = peer.transport(data.transportId);
  const entry = peer.transports.get(transport.id);
  if (entry?.connected) {
    throw new ProtocolError(
      ErrorCode.InvalidState,
      `transport "${transport.id}" is connected already`,
    );
  }
  await transport.connect({ dtlsParameters: data.dtlsParameters as types.DtlsParameters });
  if (entry) entry.connected = true;
  return {};
};

const restartIce: Handler<'restartIce'> = async (peer, data) => {
  peer.requireRoom();
  // Every network change restarts ICE: a flapping client must not spin the worker.
  if (!peer.takeReconnect()) throw rateLimited();
  const iceParameters = await peer.transport(data.transportId).restartIce();
  return { iceParameters };
};

export const transportHandlers = { createWebRtcTransport, connectWebRtcTransport, restartIce };
