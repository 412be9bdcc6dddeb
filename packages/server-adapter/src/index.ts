export { CloseCode, type Connection, type ConnectionInfo } from './Connection.js';
export { defaultMediaCodecs } from './codecs.js';
export { DEFAULT_LIMITS, type Limits } from './limits.js';
export type { Peer } from './Peer.js';
export type { AudioObserverOptions } from './Room.js';
export type { AuthorizeHook, JoinRequest, WebRtcTransportSettings } from './requests/index.js';
export { createSfuServer, type RoomView, SfuServer, type SfuServerOptions } from './SfuServer.js';
export { DEFAULT_SESSION_OPTIONS, type SessionOptions } from './sessionOptions.js';
export type { WorkerSettings } from './WorkerPool.js';
