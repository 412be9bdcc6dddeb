import { MAX_DISPLAY_NAME_LENGTH, MAX_ROOM_ID_LENGTH } from '@vroom/protocol';
import type { DeviceOptions } from '../Device.js';
import type { RtpCapabilities } from '../RtpParameters.js';
import type { AppData } from '../types.js';
import type { Clock } from './Clock.js';
import type { TrackSource } from './events.js';
import type { HeartbeatOptions } from './Heartbeat.js';
import { DEFAULT_ICE_TIMEOUT_MS } from './IceRestarter.js';
import type { SessionStore } from './PageSession.js';
import { DEFAULT_RECONNECT, type ReconnectOptions } from './Reconnector.js';
import type { SignalingChannelSource } from './SignalingChannel.js';
import * as check from './validation.js';
import { isWebSocketUrl, type WebSocketConstructor } from './WebSocketChannel.js';

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
  /**
   * What to do when the server is lost (see README, "Recovery"): resume the
   * session, else rejoin, retrying first at once, then after growing waits
   * (250 ms doubling, at most 3 s with up to 0.5 s of jitter) for
   * `maxDurationMs` (default 2 minutes) before giving up with
   * RECONNECT_GAVE_UP. `false`: a lost server ends the room (`disconnected`).
   * `random` replaces `Math.random` for the jitter (tests).
   */
  reconnect?: (ReconnectOptions & { random?: () => number }) | false;
  /**
   * How long a WebRTC transport may take to reach 'connected' after it
   * starts connecting or restarts ICE before the room treats it as failed
   * and restarts ICE again. Default 10000 ms.
   */
  iceTimeoutMs?: number;
  /**
   * The server's router capabilities, when the app has them (e.g. from its
   * own HTTP API): the device loads while the socket opens and `join`
   * carries our capabilities, saving the `setCapabilities` round trip. A
   * stale copy costs nothing but that round trip (the server checks a
   * digest). Later joins of this client use the last join's answer anyway.
   */
  routerRtpCapabilities?: RtpCapabilities;
  /** The clock recovery waits on (backoff, give-up deadline, ICE watchdog); tests pass a fake one. */
  clock?: Clock;
  /**
   * Keep this tab's seat across a page reload (default false): the session
   * token goes to `sessionStorage` (or the `storage` given), the reloaded
   * page's `join()` takes the same seat and peer id back, and the others see
   * no duplicate. Off, a page that goes away leaves at once (`pagehide`).
   */
  rememberSession?: boolean | { storage: SessionStore };
  /**
   * Adaptive stream (default true): a remote video shown with
   * `remoteTrack.attach(element)` gets the simulcast / SVC layer that fits
   * the element's size, and is paused at the server while hidden.
   */
  adaptiveStream?: boolean;
};

export type ResolvedRecoveryOptions = {
  reconnect: (ReconnectOptions & { random?: () => number }) | false;
  iceTimeoutMs: number;
  /** ICE restarts give up (and the room rejoins) after this much trouble. */
  giveUpAfterMs: number;
};

export type CameraOptions = {
  deviceId?: string;
  /** Three simulcast layers (default true). Turn off for a single-layer sender. */
  simulcast?: boolean;
  /** Send this track instead of capturing one (Node bots, canvas...). The room never stops it. */
  track?: MediaStreamTrack;
};

/**
 * Tracks to publish with the join (the room never stops them). With router
 * capabilities known (`routerRtpCapabilities`, or an earlier join) they go
 * in the join's own flight: one round trip to the camera's confirmation.
 */
export type JoinOptions = {
  camera?: { track: MediaStreamTrack; simulcast?: boolean };
  microphone?: { track: MediaStreamTrack };
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
export function checkRoomClientOptions(options: RoomClientOptions): {
  heartbeat: Required<HeartbeatOptions> | false;
  recovery: ResolvedRecoveryOptions;
} {
  check.checkObject(options, 'options');
  check.checkString(options.roomId, 'roomId', { min: 1, max: MAX_ROOM_ID_LENGTH });
  check.checkString(options.displayName, 'displayName', { max: MAX_DISPLAY_NAME_LENGTH });
  if ((options.url === undefined) === (options.channel === undefined)) {
    throw new TypeError('give either url (a ws:// or wss:// URL) or channel, exactly one');
  }
  if (options.url !== undefined) {
    check.checkString(options.url, 'url', { min: 1, max: 2048 });
    if (!isWebSocketUrl(options.url)) {
      throw new TypeError(`invalid url "${options.url}": use ws://host/path or wss://host/path`);
    }
  }
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
  if (options.routerRtpCapabilities !== undefined) {
    check.checkObject(options.routerRtpCapabilities, 'routerRtpCapabilities');
  }
  if (options.requestTimeoutMs !== undefined)
    check.positive(options.requestTimeoutMs, 'requestTimeoutMs');
  check.checkBoolean(options.chat, 'chat', true);
  check.checkBoolean(options.adaptiveStream, 'adaptiveStream', true);
  const remember = options.rememberSession;
  if (
    remember !== undefined &&
    typeof remember !== 'boolean' &&
    typeof (remember as { storage?: SessionStore })?.storage?.getItem !== 'function'
  ) {
    throw new TypeError(
      'rememberSession must be a boolean or { storage } (getItem, setItem, removeItem)',
    );
  }
  const heartbeat = check.checkHeartbeat(options.heartbeat);
  const iceTimeoutMs =
    options.iceTimeoutMs === undefined
      ? DEFAULT_ICE_TIMEOUT_MS
      : check.positive(options.iceTimeoutMs, 'iceTimeoutMs');
  const clock = options.clock;
  if (
    clock !== undefined &&
    (typeof clock?.now !== 'function' || typeof clock.setTimeout !== 'function')
  ) {
    throw new TypeError('clock must have now(), setTimeout() and clearTimeout()');
  }
  const reconnect = checkReconnect(options.reconnect);
  const giveUpAfterMs = reconnect
    ? (reconnect.maxDurationMs ?? DEFAULT_RECONNECT.maxDurationMs)
    : Infinity;
  return { heartbeat, recovery: { reconnect, iceTimeoutMs, giveUpAfterMs } };
}

function checkReconnect(
  value: RoomClientOptions['reconnect'],
): ResolvedRecoveryOptions['reconnect'] {
  if (value === false) return false;
  if (value === undefined) return {};
  check.checkObject(value, 'reconnect');
  for (const key of [
    'maxDurationMs',
    'attemptTimeoutMs',
    'initialDelayMs',
    'maxDelayMs',
  ] as const) {
    if (value[key] !== undefined) check.positive(value[key], `reconnect.${key}`);
  }
  const jitter = value.jitterMs;
  if (
    jitter !== undefined &&
    (typeof jitter !== 'number' || !(jitter >= 0) || !Number.isFinite(jitter))
  ) {
    throw new TypeError(
      `reconnect.jitterMs must be a number of milliseconds >= 0, got ${String(jitter)}`,
    );
  }
  if (value.random !== undefined && typeof value.random !== 'function') {
    throw new TypeError('reconnect.random must be a function returning a number in [0, 1)');
  }
  return value;
}
