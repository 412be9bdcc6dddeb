import type { PeerPermissions } from '@vroom/protocol';
import type { Device } from '../Device.js';
import { EnhancedEventEmitter } from '../enhancedEvents.js';
import type { Transport } from '../Transport.js';
import { AdaptiveStream } from './AdaptiveStream.js';
import {
  cameraPublishOptions,
  captureScreen,
  captureUserMedia,
  MICROPHONE_PUBLISH,
  SCREEN_ENCODINGS,
} from './capture.js';
import { watchConnectionQuality } from './connectionQuality.js';
import { RoomError } from './errors.js';
import type { ConnectionState, RoomClientEvents, RoomEventName, TrackSource } from './events.js';
import type { LocalTrack, PublishOptions } from './LocalMedia.js';
import type {
  CameraOptions,
  JoinOptions,
  MicrophoneOptions,
  RemoteTrackTarget,
  RoomClientOptions,
  ScreenShareOptions,
  StatsTarget,
} from './options.js';
import type { RemotePeer, RemoteTrack } from './RemotePeer.js';
import { RoomConnection } from './RoomConnection.js';
import { asRoomError } from './RoomRecovery.js';
import * as check from './validation.js';

export type {
  CameraOptions,
  JoinOptions,
  MicrophoneOptions,
  RemoteTrackTarget,
  RoomClientOptions,
  ScreenShareOptions,
  StatsTarget,
} from './options.js';

/**
 * A room on a vroom server: joins, sends camera / microphone / screen,
 * receives everyone else's tracks and data, and tells the app through typed
 * events; recovers by itself when the server or the network is lost (see
 * README, "Recovery"). This class is the app's API; it is composed of
 * parts: `RoomConnection` (join / leave, the state machine, server messages)
 * holds `CurrentJoin` (the join and its ICE restarts), `RoomRecovery`
 * (resume / rejoin), `LocalMedia` (our producers), `RemotePeers` (their
 * consumers) and `DataMessaging` (data channels and chat).
 */
export class RoomClient extends EnhancedEventEmitter<RoomClientEvents> {
  readonly roomId: string;
  readonly displayName: string;
  readonly #room: RoomConnection;

  constructor(options: RoomClientOptions) {
    super();
    const emit = <K extends RoomEventName>(event: K, ...args: RoomClientEvents[K]): void => {
      this.safeEmit(event, ...args);
    };
    this.#room = new RoomConnection(options, emit);
    watchConnectionQuality((event, listener) => this.on(event, listener), emit);
    if (options.adaptiveStream !== false) {
      // Registered first, so an app attaching in its own `trackadded` listener is adapted.
      const adaptive = new AdaptiveStream(this.#room.request);
      this.on('trackadded', ({ remoteTrack }) => {
        remoteTrack.adaptive = adaptive;
      });
    }
    this.roomId = options.roomId;
    this.displayName = options.displayName;
  }

  get connectionState(): ConnectionState {
    return this.#room.state;
  }

  /** Our peer id in the room, once joined. */
  get peerId(): string | undefined {
    return this.#room.joined?.peerId;
  }

  /** What the server lets us do; undefined: its defaults (`DEFAULT_PERMISSIONS`). */
  get permissions(): PeerPermissions | undefined {
    return this.#room.permissions;
  }

  /** An application request, unchecked: `appMessages()` is the typed, validated way. */
  async appRequest(method: string, data: unknown): Promise<unknown> {
    return (await this.#room.whenReady(() => this.#room.request('appRequest', { method, data })))
      .data;
  }

  /** The other peers, with their tracks. */
  get peers(): RemotePeer[] {
    return this.#room.peers.list;
  }

  peer(peerId: string): RemotePeer | undefined {
    return this.#room.peers.get(peerId);
  }

  /** Our tracks being sent. */
  get localTracks(): LocalTrack[] {
    return this.#room.media.list;
  }

  localTrack(source: TrackSource): LocalTrack | undefined {
    return this.#room.media.get(source);
  }

  get activeSpeaker(): string | null {
    return this.#room.peers.activeSpeaker;
  }

  /** The loaded Device of the current join (the core API stays usable beside the room). */
  get device(): Device | undefined {
    return this.#room.joined?.device;
  }

  get sendTransport(): Transport | undefined {
    return this.#room.joined?.send;
  }

  get recvTransport(): Transport | undefined {
    return this.#room.joined?.recv;
  }

  /**
   * Joins the room: ONE `join` request creates both transports; then the
   * device loads and `setCapabilities` goes out without being awaited, so
   * media enabled right after shares the next round trip (with router
   * capabilities known beforehand the device loads first and `join` carries
   * ours: no `setCapabilities`). Peers already in
   * the room are announced with `peerjoined` before this resolves.
   * Tracks in `options` are published too, before this resolves; with router
   * capabilities known, in the join's own flight (one round trip to the
   * camera's confirmation). One that fails is an `error` event; the room
   * stays joined.
   */
  join(options: JoinOptions = {}): Promise<void> {
    check.checkObject(options, 'options');
    check.checkTrack(options.camera?.track, 'video', 'camera.track');
    check.checkTrack(options.microphone?.track, 'audio', 'microphone.track');
    check.checkBoolean(options.camera?.simulcast, 'camera.simulcast', true);
    return this.#room.join(options);
  }

  /**
   * Leaves: tells the server, closes transports and tracks the room captured.
   * Tracks the app passed in are left running. Safe to call in any state.
   */
  leave(): Promise<void> {
    return this.#room.leave();
  }

  /** Sends the camera (captured, or `track`); again with another device or track switches it. */
  enableCamera(options: CameraOptions = {}): Promise<LocalTrack> {
    check.checkObject(options, 'options');
    const deviceId = check.checkOptionalString(options.deviceId, 'deviceId');
    const simulcast = check.checkBoolean(options.simulcast, 'simulcast', true);
    const track = check.checkTrack(options.track, 'video', 'track');
    this.#room.assertJoined('enableCamera()');
    return this.#room.whenReady(() =>
      this.#mediaFirst(
        this.#enableUserMedia('camera', track, deviceId, cameraPublishOptions(simulcast)),
      ),
    );
  }

  disableCamera(): Promise<void> {
    return this.#mediaOperation('unpublish', 'camera');
  }

  /** Stops sending camera frames; the others see `trackpaused`. */
  pauseCamera(): Promise<void> {
    return this.#mediaOperation('pause', 'camera');
  }

  resumeCamera(): Promise<void> {
    return this.#mediaOperation('resume', 'camera');
  }

  enableMicrophone(options: MicrophoneOptions = {}): Promise<LocalTrack> {
    check.checkObject(options, 'options');
    const deviceId = check.checkOptionalString(options.deviceId, 'deviceId');
    const track = check.checkTrack(options.track, 'audio', 'track');
    this.#room.assertJoined('enableMicrophone()');
    return this.#room.whenReady(() =>
      this.#mediaFirst(this.#enableUserMedia('microphone', track, deviceId, MICROPHONE_PUBLISH)),
    );
  }

  disableMicrophone(): Promise<void> {
    return this.#mediaOperation('unpublish', 'microphone');
  }

  /** Mutes: nothing is sent and the others see `trackpaused`. */
  muteMicrophone(): Promise<void> {
    return this.#mediaOperation('pause', 'microphone');
  }

  unmuteMicrophone(): Promise<void> {
    return this.#mediaOperation('resume', 'microphone');
  }

  /**
   * Camera and microphone with ONE getUserMedia call (one permission prompt)
   * and one shared renegotiation and round trip.
   */
  async enableCameraAndMicrophone(
    options: {
      camera?: Omit<CameraOptions, 'track'>;
      microphone?: Omit<MicrophoneOptions, 'track'>;
    } = {},
  ): Promise<{ camera: LocalTrack; microphone: LocalTrack }> {
    check.checkObject(options, 'options');
    const camera = options.camera ?? {};
    const microphone = options.microphone ?? {};
    const simulcast = check.checkBoolean(camera.simulcast, 'camera.simulcast', true);
    const cameraId = check.checkOptionalString(camera.deviceId, 'camera.deviceId');
    const microphoneId = check.checkOptionalString(microphone.deviceId, 'microphone.deviceId');
    this.#room.assertJoined('enableCameraAndMicrophone()');
    // Taken before the capture: the chat opening meanwhile must not get ahead.
    const done = this.#room.mediaFirst.ticket();
    try {
      return await this.#enableBoth(simulcast, cameraId, microphoneId);
    } finally {
      done();
    }
  }

  async #enableBoth(
    simulcast: boolean,
    cameraId: string | undefined,
    microphoneId: string | undefined,
  ): Promise<{ camera: LocalTrack; microphone: LocalTrack }> {
    const tracks = await captureUserMedia({
      camera: { deviceId: cameraId },
      microphone: { deviceId: microphoneId },
    });
    if (!tracks.camera || !tracks.microphone) {
      tracks.camera?.stop();
      tracks.microphone?.stop();
      throw RoomError.mediaFailed('camera and microphone', new Error('a track is missing'));
    }
    const { camera: video, microphone: audio } = tracks;
    await this.#room.whenReady(async () => undefined);
    const [cameraTrack, microphoneTrack] = await Promise.all([
      this.#room.media.serial('camera', () =>
        this.#room.media.publish('camera', video, true, cameraPublishOptions(simulcast)),
      ),
      this.#room.media.serial('microphone', () =>
        this.#room.media.publish('microphone', audio, true, MICROPHONE_PUBLISH),
      ),
    ]);
    return { camera: cameraTrack, microphone: microphoneTrack };
  }

  /** Shares the screen (getDisplayMedia, or `track`). Stopping it in the browser's UI unpublishes it. */
  enableScreenShare(options: ScreenShareOptions = {}): Promise<LocalTrack> {
    check.checkObject(options, 'options');
    const audio = check.checkBoolean(options.audio, 'audio', false);
    const track = check.checkTrack(options.track, 'video', 'track');
    this.#room.assertJoined('enableScreenShare()');
    return this.#room.whenReady(() => this.#enableScreenShare(track, audio));
  }

  #enableScreenShare(track: MediaStreamTrack | undefined, audio: boolean): Promise<LocalTrack> {
    return this.#room.media.serial('screen', async () => {
      if (track)
        return this.#room.media.publish('screen', track, false, {
          encodings: [...SCREEN_ENCODINGS],
        });
      const existing = this.#room.media.get('screen');
      if (existing) return existing;
      const captured = await captureScreen(audio);
      const screenAudio = captured.screenAudio;
      if (screenAudio) {
        void this.#room.media
          .serial('screenAudio', () => this.#room.media.publish('screenAudio', screenAudio, true))
          .catch((error: unknown) => this.#room.reportError(asRoomError(error, 'screen audio')));
      }
      return this.#room.media.publish('screen', captured.screen, true, {
        encodings: [...SCREEN_ENCODINGS],
      });
    });
  }

  async disableScreenShare(): Promise<void> {
    await this.#room.whenReady(async () => undefined);
    await Promise.all([
      this.#room.media.serial('screen', () => this.#room.media.unpublish('screen')),
      this.#room.media.serial('screenAudio', () => this.#room.media.unpublish('screenAudio')),
    ]);
  }

  /** Sends a chat message to everyone (a `chat` event on each of them). */
  sendChat(text: string): Promise<void> {
    const checked = check.checkChat(text);
    this.#room.assertJoined('sendChat()');
    return this.#room.whenReady(() => this.#room.data.chat(checked));
  }

  /**
   * Opens the data channel `label` ahead of the first `sendData`, so that the
   * first message reaches everyone (see `chat` in the options for why).
   */
  async openDataChannel(label: string): Promise<void> {
    const checked = check.checkLabel(label);
    this.#room.assertJoined('openDataChannel()');
    await this.#room.whenReady(() => this.#room.data.open(checked));
  }

  /**
   * Sends app data on the data channel `label` (opened on first use); the
   * others get a `data` event. The first message on a new label may miss
   * receivers whose channel is still opening: call `openDataChannel` early.
   */
  sendData(label: string, data: string | ArrayBuffer | ArrayBufferView | Blob): Promise<void> {
    const checkedLabel = check.checkLabel(label);
    const checkedData = check.checkData(data);
    this.#room.assertJoined('sendData()');
    return this.#room.whenReady(() => this.#room.data.send(checkedLabel, checkedData));
  }

  /** Asks the server for this spatial (and temporal) layer of a simulcast/SVC track. */
  async setPreferredLayers(
    target: RemoteTrackTarget,
    spatialLayer: number,
    temporalLayer?: number,
  ): Promise<void> {
    check.checkLayer(spatialLayer, 'spatialLayer');
    if (temporalLayer !== undefined) check.checkLayer(temporalLayer, 'temporalLayer');
    const track = this.#remoteTrack(target);
    await this.#room.whenReady(() => Promise.resolve());
    await this.#room.request('setConsumerPreferredLayers', {
      consumerId: track.consumerId,
      spatialLayer,
      ...(temporalLayer !== undefined ? { temporalLayer } : {}),
    });
  }

  /** The browser's (or wrtc's) stats of a transport, one of our tracks or a received one. */
  async getStats(target: StatsTarget): Promise<RTCStatsReport> {
    check.checkObject(target, 'target');
    if ('transport' in target) {
      const transport =
        target.transport === 'send' ? this.#room.joined?.send : this.#room.joined?.recv;
      if (!transport) throw RoomError.notJoined('getStats()');
      return transport.getStats();
    }
    if ('source' in target) {
      const local = this.#room.media.get(target.source);
      if (!local) throw new TypeError(`no local ${target.source} track: enable it first`);
      return local.producer.getStats();
    }
    return this.#remoteTrack(target.consumerId).consumer.getStats();
  }

  /** The server's (mediasoup's) stats of the same objects. */
  async getServerStats(target: StatsTarget): Promise<Record<string, unknown>[]> {
    check.checkObject(target, 'target');
    await this.#room.whenReady(() => Promise.resolve());
    if ('transport' in target) {
      const transport =
        target.transport === 'send' ? this.#room.joined?.send : this.#room.joined?.recv;
      if (!transport) throw RoomError.notJoined('getServerStats()');
      return (await this.#room.request('getTransportStats', { transportId: transport.id })).stats;
    }
    if ('source' in target) {
      const local = this.#room.media.get(target.source);
      if (!local) throw new TypeError(`no local ${target.source} track: enable it first`);
      return (await this.#room.request('getProducerStats', { producerId: local.producerId })).stats;
    }
    const { consumerId } = this.#remoteTrack(target.consumerId);
    return (await this.#room.request('getConsumerStats', { consumerId })).stats;
  }

  /** Captures (unless `track` is given) and publishes, or switches the device/track of a source already sent. */
  #enableUserMedia(
    source: 'camera' | 'microphone',
    track: MediaStreamTrack | undefined,
    deviceId: string | undefined,
    publishOptions: PublishOptions,
  ): Promise<LocalTrack> {
    return this.#room.media.serial(source, async () => {
      const existing = this.#room.media.get(source);
      if (existing && !track && !deviceId) return existing;
      const captured = track ?? (await captureUserMedia({ [source]: { deviceId } }))[source];
      if (!captured) throw RoomError.mediaFailed(source, new Error('the capture gave no track'));
      return this.#room.media.publish(source, captured, !track, publishOptions);
    });
  }

  /** Holds data channels back until `enabling` has produced (or failed): see `MediaFirstGate`. */
  #mediaFirst(enabling: Promise<LocalTrack>): Promise<LocalTrack> {
    const done = this.#room.mediaFirst.ticket();
    return enabling.finally(done);
  }

  #mediaOperation(operation: 'unpublish' | 'pause' | 'resume', source: TrackSource): Promise<void> {
    return this.#room.whenReady(() =>
      this.#room.media.serial(source, () => this.#room.media[operation](source)),
    );
  }

  #remoteTrack(target: RemoteTrackTarget): RemoteTrack {
    if (typeof target === 'string') {
      const track = this.#room.peers.track(target);
      if (!track) throw new TypeError(`no received track with consumer id "${target}"`);
      return track;
    }
    check.checkObject(target, 'target');
    const peer = this.#room.peers.get(
      check.checkString(target.peerId, 'peerId', { min: 1, max: 256 }),
    );
    if (!peer) throw new TypeError(`no peer "${target.peerId}" in the room`);
    const track = peer.track(target.source ?? 'camera');
    if (!track)
      throw new TypeError(`peer "${target.peerId}" sends no ${target.source ?? 'camera'} track`);
    return track;
  }
}
