import type { ClientRequests, PeerPermissions, RequestData, ResponseData } from '@vroom/protocol';
import type { types } from 'mediasoup';
import type { ConnectionInfo } from '../Connection.js';
import type { Limits } from '../limits.js';
import type { Peer } from '../Peer.js';
import type { Room } from '../Room.js';
import type { SessionRegistry } from '../SessionRegistry.js';
import type { WorkerPool } from '../WorkerPool.js';

/** What the app's `authorize` hook sees of a join. */
export interface JoinRequest {
  roomId: string;
  displayName: string;
  device: { name: string; version?: string | undefined; flag?: string | undefined };
  token?: string | undefined;
  appData?: Record<string, unknown> | undefined;
}

/**
 * Accept (`true`, or an object: `appData` other peers will see, `permissions`
 * changed from `DEFAULT_PERMISSIONS`), or refuse (`false`).
 */
export type AuthorizeHook = (
  join: JoinRequest,
  connectionInfo: ConnectionInfo,
) => Promise<
  boolean | { appData?: Record<string, unknown>; permissions?: Partial<PeerPermissions> }
>;

/** WebRTC transport settings every transport of the server gets. */
export interface WebRtcTransportSettings {
  listenIps: types.TransportListenIp[];
  enableUdp: boolean;
  enableTcp: boolean;
  preferUdp: boolean;
  initialAvailableOutgoingBitrate?: number;
  maxSctpMessageSize?: number;
}

/** The server as request handlers see it. */
export interface ServerContext {
  readonly limits: Limits;
  readonly webRtcTransport: WebRtcTransportSettings;
  readonly authorize: AuthorizeHook | undefined;
  /** Session tokens of joined peers, for `resumeSession`. */
  readonly sessions: SessionRegistry<Peer>;
  /** Told to clients in the `join` response; 0 when resume is off. */
  readonly resumeWindowMs: number;
  /** Takes one join / resume from the budget of the peer's remote address. */
  admitFromAddress(peer: Peer): boolean;
  /** Answers an `appRequest` (the app's handler, see `app/AppMessages.ts`); UNKNOWN_METHOD without one. */
  appRequest(peer: Peer, method: string, data: unknown): Promise<unknown>;
  /** The open room of that id, created on first use. */
  openRoom(roomId: string): Promise<Room>;
  /** Server-wide counts for the capacity limits (peers, transports per worker). */
  readonly pool: Pick<WorkerPool, 'peerCount' | 'addTransports' | 'transportCount'>;
}

export type Handler<M extends keyof ClientRequests> = (
  peer: Peer,
  data: RequestData<ClientRequests, M>,
  server: ServerContext,
) => Promise<ResponseData<ClientRequests, M>>;

/**
 * One handler per client request. A mapped type over the protocol's table:
 * a method added to `clientRequests` without a handler is a compile error.
 */
export type HandlerTable = { [M in keyof ClientRequests]: Handler<M> };
