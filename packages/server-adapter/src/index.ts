export {
  AppMessages,
  type AppRequestContext,
  type AppRequestHandlers,
  serveAppMessages,
} from './app/AppMessages.js';
export { CloseCode, type Connection, type ConnectionInfo } from './Connection.js';
export type { ClusterOptions, ClusterStatus, NodeInfo } from './cluster/types.js';
export { defaultMediaCodecs } from './codecs.js';
export { capacityDefaults, DEFAULT_LIMITS, type Limits } from './limits.js';
export { type OpenFilesLimit, openFilesLimit } from './openFilesLimit.js';
export type { Peer, PeerIdentity } from './Peer.js';
export { canRecord } from './permissions.js';
export type { RequestObserver } from './RequestObservers.js';
export type { AudioObserverOptions } from './Room.js';
export type { AuthorizeHook, JoinRequest, WebRtcTransportSettings } from './requests/index.js';
export {
  type PeerLeftReason,
  type ServerEventListener,
  type ServerEventMap,
  type ServerEventName,
  ServerEvents,
} from './ServerEvents.js';
export {
  type AppRequestHandler,
  createSfuServer,
  type RoomView,
  SfuServer,
  type SfuServerOptions,
} from './SfuServer.js';
export { DEFAULT_SESSION_OPTIONS, type SessionOptions } from './sessionOptions.js';
export { SERVER_TIMING } from './timing.js';
export type { WorkerSettings } from './WorkerPool.js';
