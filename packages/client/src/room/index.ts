/**
 * `@vroom/client/room`: a room client over `@vroom/protocol` — the signaling
 * every mediasoup app writes, shipped once. See README.md beside this file.
 */
export { type AppMessages, appMessages } from './AppMessages.js';
export { type BackoffOptions, DEFAULT_BACKOFF } from './Backoff.js';
export type { Clock } from './Clock.js';
export { CAMERA_SIMULCAST_ENCODINGS } from './capture.js';
export { CHAT_LABEL, MAX_CHAT_LENGTH } from './DataMessaging.js';
export { RoomError, RoomErrorCode } from './errors.js';
export type * from './events.js';
export { failoverChannels } from './failoverChannels.js';
export { DEFAULT_HEARTBEAT, type HeartbeatOptions } from './Heartbeat.js';
export { DEFAULT_ICE_TIMEOUT_MS } from './IceRestarter.js';
export { LocalTrack } from './LocalMedia.js';
export type { SessionStore } from './PageSession.js';
export { DEFAULT_RECONNECT, type ReconnectOptions } from './Reconnector.js';
export { type PeerConnectionState, RemotePeer, RemoteTrack } from './RemotePeer.js';
export {
  type CameraOptions,
  type JoinOptions,
  type MicrophoneOptions,
  type RemoteTrackTarget,
  RoomClient,
  type RoomClientOptions,
  type ScreenShareOptions,
  type StatsTarget,
} from './RoomClient.js';
export type { SignalingChannel, SignalingChannelSource } from './SignalingChannel.js';
export { CLIENT_TIMING } from './timing.js';
export {
  WebSocketChannel,
  type WebSocketChannelOptions,
  type WebSocketConstructor,
  type WebSocketEventLike,
  type WebSocketLike,
} from './WebSocketChannel.js';
