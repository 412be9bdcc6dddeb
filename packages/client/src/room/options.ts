import type { DeviceOptions } from '../Device.js';
import type { AppData } from '../types.js';
import type { TrackSource } from './events.js';
import type { HeartbeatOptions } from './Heartbeat.js';
import type { SignalingChannelSource } from './SignalingChannel.js';
import * as check from './validation.js';
import type { WebSocketConstructor } from './WebSocketChannel.js';

export type RoomClientOptions = {
  /** WebSocket URL of the server (`ws://host/ws`). Give this or `channel`. */
  url?: string;
  /** With `url` in Node 20 (no global WebSocket): `WebSocket` from the "ws" package. */
  WebSocket?: WebSocketConstructor;
  /** Any duplex text channel, or a factory giving a fresh one per connection. */
  channel?: SignalingChannelSource;
  roomId: string;
  displayName: string;
  /** Passed to the server's authorize hook. */
  token?: string;
  /** The handler: detected in browsers; in Node pass `handlerFactory` (Node or FakeHandler). */
  device?: DeviceOptions;
  /** Shown to the other peers (as `peer.appData`) unless the server replaces it. */
  appData?: AppData;
  /** Liveness check of the signaling channel, or `false`. Default every 2 s, dead after 5 s of silence. */
  heartbeat?: HeartbeatOptions | false;
  /** How long a request waits for its answer; default 15000 ms. */
  requestTimeoutMs?: number;
  /**
   * Open the chat data channel right after joining (default true), so the
   * others' channels are open before the first message: a message reaching
   * a receiver whose channel is still opening is lost.
   */
  chat?: boolean;
};

export type CameraOptions = {
  deviceId?: string;
  /** Three simulcast layers (default true). Turn off for a single-layer sender. */
  simulcast?: boolean;
  /** Send this track instead of capturing one (Node bots, canvas...). The room never stops it. */
  track?: MediaStreamTrack;
};

export type MicrophoneOptions = { deviceId?: string; track?: MediaStreamTrack };

export type ScreenShareOptions = {
  /** Ask for the shared tab's or system's audio too (default false). */
  audio?: boolean;
  track?: MediaStreamTrack;
};

/** Which track `setPreferredLayers` / stats helpers mean: a consumer id, or a peer's source. */
export type RemoteTrackTarget = string | { peerId: string; source?: TrackSource };

export type StatsTarget =
  | { transport: 'send' | 'recv' }
  | { source: TrackSource }
  | { consumerId: string };

/**
 * Checks the constructor's options (TypeError on a mistake) and returns the
 * resolved heartbeat settings.
 */
export function checkRoomClientOptions(
  options: RoomClientOptions,
): Required<HeartbeatOptions> | false {
  check.checkObject(options, 'options');
  check.checkString(options.roomId, 'roomId', { min: 1, max: 128 });
  check.checkString(options.displayName, 'displayName');
  if ((options.url === undefined) === (options.channel === undefined)) {
    throw new TypeError('give either url (a ws:// or wss:// URL) or channel, exactly one');
  }
  if (options.url !== undefined) check.checkString(options.url, 'url', { min: 1, max: 2048 });
  const channel = options.channel;
  if (
    channel !== undefined &&
    typeof channel !== 'function' &&
    typeof channel?.open !== 'function'
  ) {
    throw new TypeError(
      'channel must be a SignalingChannel (open, send, close) or a function returning one',
    );
  }
  check.checkOptionalString(options.token, 'token');
  check.checkAppData(options.appData, 'appData');
  if (options.device !== undefined) check.checkObject(options.device, 'device');
  if (options.requestTimeoutMs !== undefined)
    check.positive(options.requestTimeoutMs, 'requestTimeoutMs');
  check.checkBoolean(options.chat, 'chat', true);
  return check.checkHeartbeat(options.heartbeat);
}
