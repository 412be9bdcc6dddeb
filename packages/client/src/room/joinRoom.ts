import {
  type NotificationUnion,
  type PeerInfo,
  PROTOCOL_VERSION,
  type RequestUnion,
  rtpCapabilitiesDigest,
  type ServerNotifications,
  type ServerRequests,
} from '@vroom/protocol';
import { Device } from '../Device.js';
import { Logger } from '../Logger.js';
import type { RtpCapabilities } from '../RtpParameters.js';
import type { Transport, TransportOptions } from '../Transport.js';
import { RoomError } from './errors.js';
import type { HeartbeatOptions } from './Heartbeat.js';
import type { RoomClientOptions } from './options.js';
import type { PageSession } from './PageSession.js';
import { pipelinedSend } from './pipelinedSend.js';
import type { SignalingChannel } from './SignalingChannel.js';
import { type Request, SignalingSession } from './SignalingSession.js';
import { wireTransport } from './TransportWiring.js';
import { CLIENT_TIMING } from './timing.js';
import { WebSocketChannel } from './WebSocketChannel.js';

const logger = new Logger('room:joinRoom');

/** SCTP streams asked for in `join`, before the device is loaded (browsers open 1024 each way). */
const JOIN_SCTP_CAPABILITIES = { numStreams: { OS: 1024, MIS: 1024 } };

/** The parts of one join; all replaced by the next join. A resume replaces only `session`. */
export type Joined = {
  /** The live connection; a resume puts the new one here, everything else stays. */
  session: SignalingSession;
  device: Device;
  send?: Transport;
  recv?: Transport;
  peerId?: string;
  /** What a resume needs, when the server offers it. */
  resume?: { sessionToken: string; windowMs: number | undefined };
  /**
   * Settles once the device is loaded and both transports exist: a consumer
   * the server pushes right after the join answer waits for it (not refused).
   */
  transportsReady: Promise<void>;
};

/** What a session hears, with the session it came on (an old one may still be talking). */
export type SessionHandlers = {
  onRequest: (request: RequestUnion<ServerRequests>, session: SignalingSession) => Promise<unknown>;
  onNotification: (
    notification: NotificationUnion<ServerNotifications>,
    session: SignalingSession,
  ) => void;
  onLost: (session: SignalingSession, error: RoomError) => void;
};

export type JoinContext = {
  options: RoomClientOptions;
  heartbeat: Required<HeartbeatOptions> | false;
  /** The session exists (before any await): the room can now cancel it with leave(). */
  onSession: (joined: Joined) => void;
  /** Whether this join is still the room's (leave() was not called meanwhile). */
  isCurrent: (joined: Joined) => boolean;
  handlers: SessionHandlers;
  /**
   * The peers present, as the join answer says, handled before anything
   * else arrives on the connection (a peerJoined or peerLeft may follow
   * while the device loads).
   */
  onPeers: (peers: PeerInfo[]) => void;
  /** A pipelined request of this join failed (nobody awaits it). */
  onError: (joined: Joined, error: RoomError) => void;
  /** Each transport, once created and wired (the room watches its ICE). */
  onTransport: (joined: Joined, transport: Transport) => void;
  /** Router capabilities known before joining (last join's answer, or the app's option). */
  knownRouterCapabilities: RtpCapabilities | undefined;
  /** The join answer's router capabilities, for the next join. */
  onRouterCapabilities: (capabilities: RtpCapabilities) => void;
  /** Keeps the session token across a page reload (`rememberSession`). */
  page?: PageSession;
  /**
   * Publishes the tracks given to `join()` on `joined.send`. Called right
   * behind the `join` request on a pipelined send transport (capabilities
   * known), else once the transports exist; called again, after the stale
   * capabilities dropped that transport, to publish on the real one.
   */
  publish?: ((joined: Joined) => void) | undefined;
};

/**
 * The join sequence: open a channel, ONE `join` request that creates both
 * transports, load the device, create and wire the transports, and send
 * `setCapabilities` without awaiting it so that media enabled right after
 * shares its round trip. Resolves with the join's parts and the peers present.
 */
export async function joinRoom(
  context: JoinContext,
): Promise<{ joined: Joined; peerId: string; peers: PeerInfo[] }> {
  const { options } = context;
  const device = await Device.factory(options.device ?? {});
  const session = startSession(options, context.heartbeat, context.handlers);
  let ready!: { resolve: () => void; reject: (error: unknown) => void };
  const transportsReady = new Promise<void>((resolve, reject) => {
    ready = { resolve, reject };
  });
  transportsReady.catch(() => undefined); // only held pushes listen; the join rejects anyway
  const joined: Joined = { session, device, transportsReady };
  context.onSession(joined);
  try {
    const result = await joinSteps(context, joined);
    ready.resolve();
    return result;
  } catch (error) {
    ready.reject(error);
    throw error;
  }
}

async function joinSteps(
  context: JoinContext,
  joined: Joined,
): Promise<{ joined: Joined; peerId: string; peers: PeerInfo[] }> {
  const { options } = context;
  const { session } = joined;
  // The socket opens while the device loads from capabilities we know already.
  const known = context.knownRouterCapabilities;
  const [digest] = await Promise.all([
    known ? loadKnown(joined.device, known) : undefined,
    session.open(),
  ]);
  const { token, appData } = options;
  // A reloaded page takes its previous seat back (same peer id): see PageSession.
  const resumeToken = context.page?.token();
  const wiring = {
    // Through `joined.session`: after a resume the same transports talk on the new connection.
    request: ((method, data) => joined.session.request(method, data)) as Request,
    onError: (error: RoomError) => context.onError(joined, error),
  };
  const answer = session.request('join', {
    protocolVersion: PROTOCOL_VERSION,
    roomId: options.roomId,
    displayName: options.displayName,
    device: { name: joined.device.handlerName },
    ...(token !== undefined ? { token } : {}),
    ...(appData !== undefined ? { appData } : {}),
    ...(digest !== undefined
      ? {
          rtpCapabilities: joined.device.rtpCapabilities,
          sctpCapabilities: joined.device.sctpCapabilities,
          routerRtpCapabilitiesDigest: digest,
        }
      : { sctpCapabilities: JOIN_SCTP_CAPABILITIES }),
    transports: { send: { sctp: true }, recv: { sctp: true } },
    ...(resumeToken !== undefined ? { resumeToken } : {}),
  });
  // Capabilities known and tracks in hand: connect + produce go right behind `join`.
  const early =
    digest !== undefined && context.publish ? pipelinedSend(joined.device, wiring) : undefined;
  if (early) {
    joined.send = early.transport;
    context.publish?.(joined);
  }
  let response: Awaited<typeof answer>;
  try {
    response = await answer;
  } catch (error) {
    early?.drop(new Error('the join failed'));
    throw error;
  }
  if (!context.isCurrent(joined)) throw RoomError.signalingClosed('left while joining');
  context.onPeers(response.peers);
  // The protocol's schema types are looser than the client's (optional lists); same data.
  const routerRtpCapabilities = response.routerRtpCapabilities as RtpCapabilities;
  context.onRouterCapabilities(routerRtpCapabilities);
  const accepted = digest !== undefined && response.rtpCapabilitiesAccepted === true;
  if (early && !accepted) {
    // Its RTP parameters were made for another router; the server refused them.
    early.drop(new Error('stale router capabilities'));
    delete joined.send;
  }
  if (!accepted) {
    // Stale (or never loaded): a Device loads once, so a fresh one.
    if (joined.device.loaded) joined.device = await Device.factory(options.device ?? {});
    await joined.device.load({ routerRtpCapabilities });
    logger.debug('join: %s', digest === undefined ? 'no known capabilities' : 'stale capabilities');
  }
  const device = joined.device;
  if (!response.sendTransport || !response.recvTransport) {
    throw new Error(
      'the server created no transports: is it a vroom server speaking this protocol version?',
    );
  }
  if (response.sessionToken) {
    joined.resume = { sessionToken: response.sessionToken, windowMs: response.resumeWindowMs };
    context.page?.remember(response.sessionToken);
  }
  const sendOptions = response.sendTransport as TransportOptions;
  const pipelined = early && accepted ? early : undefined;
  pipelined?.confirm(sendOptions);
  const send = pipelined?.transport ?? device.createSendTransport(sendOptions);
  const recv = device.createRecvTransport(response.recvTransport as TransportOptions);
  if (!pipelined) wireTransport(send, wiring);
  wireTransport(recv, wiring);
  joined.send = send;
  joined.recv = recv;
  context.onTransport(joined, send);
  context.onTransport(joined, recv);
  joined.peerId = response.peerId;
  if (!accepted) {
    // Not awaited: produce requests can follow it in the same round trip.
    joined.session
      .request('setCapabilities', {
        rtpCapabilities: device.rtpCapabilities,
        sctpCapabilities: device.sctpCapabilities,
      })
      .catch((error: unknown) => wiring.onError(RoomError.requestFailed('setCapabilities', error)));
  }
  if (!pipelined) context.publish?.(joined);
  return { joined, peerId: response.peerId, peers: response.peers };
}

/**
 * Loads the device from router capabilities known before joining; returns
 * their digest for `join`, or `undefined` if they do not load (the join then
 * goes the usual way).
 */
async function loadKnown(device: Device, known: RtpCapabilities): Promise<string | undefined> {
  const digest = rtpCapabilitiesDigest(known);
  if (digest === undefined) return undefined;
  try {
    await device.load({ routerRtpCapabilities: known });
    return digest;
  } catch (error) {
    logger.warn('known router capabilities did not load, joining without them: %o', error);
    return undefined;
  }
}

/** A session on a fresh channel (not opened yet). `lastSeq` carries a resumed numbering on. */
export function startSession(
  options: RoomClientOptions,
  heartbeat: Required<HeartbeatOptions> | false,
  handlers: SessionHandlers,
  lastSeq = 0,
): SignalingSession {
  const session: SignalingSession = new SignalingSession({
    channel: newChannel(options),
    onRequest: (request) => handlers.onRequest(request, session),
    onNotification: (notification) => handlers.onNotification(notification, session),
    onLost: (error) => handlers.onLost(session, error),
    heartbeat,
    requestTimeoutMs: options.requestTimeoutMs ?? CLIENT_TIMING.requestTimeoutMs,
    lastSeq,
  });
  return session;
}

/**
 * Takes the join's server session over on a new connection: `resumeSession`
 * with its token and the number of the last notification processed. The
 * server then replays what was missed and re-sends unanswered requests on
 * the returned session. Throws (session closed) if it cannot; SESSION_EXPIRED
 * in `protocolCode` means only a new join can help.
 */
export async function resumeRoom(
  joined: Joined,
  options: RoomClientOptions,
  heartbeat: Required<HeartbeatOptions> | false,
  handlers: SessionHandlers,
  signal: AbortSignal,
  onSession: (session: SignalingSession) => void,
): Promise<{ session: SignalingSession; peers: PeerInfo[] }> {
  const resume = joined.resume;
  if (!resume) throw new Error('this join has no session token: the server does not resume');
  const lastSeq = joined.session.lastSeq;
  const session = startSession(options, heartbeat, handlers, lastSeq);
  onSession(session);
  const abort = () => session.close();
  signal.addEventListener('abort', abort, { once: true });
  try {
    await session.open();
    const response = await session.request('resumeSession', {
      protocolVersion: PROTOCOL_VERSION,
      sessionToken: resume.sessionToken,
      lastSeq,
    });
    if (signal.aborted || session.ended) throw RoomError.signalingClosed('resume abandoned');
    if (response.peerId !== joined.peerId) {
      throw new Error(`the server resumed peer ${response.peerId}, not ${joined.peerId}`);
    }
    return { session, peers: response.peers };
  } catch (error) {
    session.close();
    throw error;
  } finally {
    signal.removeEventListener('abort', abort);
  }
}

function newChannel(options: RoomClientOptions): SignalingChannel {
  const { url, channel } = options;
  if (url !== undefined) {
    return new WebSocketChannel(url, options.WebSocket ? { WebSocket: options.WebSocket } : {});
  }
  if (typeof channel === 'function') return channel();
  if (!channel) throw new TypeError('no url or channel');
  return channel;
}
