import type {
  NotificationData,
  NotificationUnion,
  RequestUnion,
  ServerNotifications,
  ServerRequests,
} from '@vroom/protocol';
import type { Device } from '../Device.js';
import { EnhancedEventEmitter } from '../enhancedEvents.js';
import { Logger } from '../Logger.js';
import type { Transport } from '../Transport.js';
import { type Clock, systemClock } from './Clock.js';
import { ConnectionStateMachine } from './ConnectionStateMachine.js';
import {
  cameraPublishOptions,
  captureScreen,
  captureUserMedia,
  MICROPHONE_PUBLISH,
  SCREEN_ENCODINGS,
} from './capture.js';
import { CHAT_LABEL, DataMessaging } from './DataMessaging.js';
import { RoomError } from './errors.js';
import type { ConnectionState, RoomClientEvents, RoomEventName, TrackSource } from './events.js';
import type { HeartbeatOptions } from './Heartbeat.js';
import { IceRestarter } from './IceRestarter.js';
import { type Joined, joinRoom, resumeRoom, type SessionHandlers } from './joinRoom.js';
import { LocalMedia, type LocalTrack, type PublishOptions } from './LocalMedia.js';
import { watchNetwork } from './networkChanges.js';
import {
  type CameraOptions,
  checkRoomClientOptions,
  type MicrophoneOptions,
  type RemoteTrackTarget,
  type ResolvedRecoveryOptions,
  type RoomClientOptions,
  type ScreenShareOptions,
  type StatsTarget,
} from './options.js';
import { Reconnector, type RecoveryMode } from './Reconnector.js';
import type { RemotePeer, RemoteTrack } from './RemotePeer.js';
import { RemotePeers } from './RemotePeers.js';
import type { Request, SignalingSession } from './SignalingSession.js';
import * as check from './validation.js';

const logger = new Logger('room:RoomClient');

export type {
  CameraOptions,
  MicrophoneOptions,
  RemoteTrackTarget,
  RoomClientOptions,
  ScreenShareOptions,
  StatsTarget,
} from './options.js';

/** `leave` is a courtesy: the server cleans up on disconnect anyway, so do not wait long. */
const LEAVE_TIMEOUT_MS = 2000;
/** See `#onProducerClosed`. */
const PRODUCER_CLOSED_DELAY_MS = 250;

/**
 * A room on a vroom server: joins, sends camera / microphone / screen,
 * receives everyone else's tracks and data, and tells the app through typed
 * events. A small state machine (`connectionState`) over per-concern
 * helpers: `LocalMedia` (our producers), `RemotePeers` (their consumers),
 * `DataMessaging` (data channels and chat), `SignalingSession` (the channel).
 */
export class RoomClient extends EnhancedEventEmitter<RoomClientEvents> {
  readonly roomId: string;
  readonly displayName: string;
  readonly #options: RoomClientOptions;
  readonly #heartbeat: Required<HeartbeatOptions> | false;
  readonly #state: ConnectionStateMachine;
  readonly #peers: RemotePeers;
  readonly #media: LocalMedia;
  readonly #data: DataMessaging;
  readonly #clock: Clock;
  readonly #recoveryOptions: ResolvedRecoveryOptions;
  #joined: Joined | undefined;
  /** Restarts ICE of the current join's transports. */
  #ice: IceRestarter | undefined;
  /** Set while `reconnecting`: the retry loop, and the gate pending calls wait at. */
  #recovery: Recovery | undefined;
  #unwatchNetwork: (() => void) | undefined;

  constructor(options: RoomClientOptions) {
    super();
    ({ heartbeat: this.#heartbeat, recovery: this.#recoveryOptions } =
      checkRoomClientOptions(options));
    this.#clock = options.clock ?? systemClock;
    this.roomId = options.roomId;
    this.displayName = options.displayName;
    this.#options = options;
    const emit = this.#emit;
    this.#state = new ConnectionStateMachine((state) => emit('connectionstatechange', state));
    this.#peers = new RemotePeers(emit);
    const sendTransport = () => this.#joined?.send;
    this.#media = new LocalMedia({ sendTransport, request: this.#sessionRequest, emit });
    this.#data = new DataMessaging({ sendTransport, peers: this.#peers, emit });
  }

  get connectionState(): ConnectionState {
    return this.#state.state;
  }

  /** Our peer id in the room, once joined. */
  get peerId(): string | undefined {
    return this.#joined?.peerId;
  }

  /** The other peers, with their tracks. */
  get peers(): RemotePeer[] {
    return this.#peers.list;
  }

  peer(peerId: string): RemotePeer | undefined {
    return this.#peers.get(peerId);
  }

  /** Our tracks being sent. */
  get localTracks(): LocalTrack[] {
    return this.#media.list;
  }

  localTrack(source: TrackSource): LocalTrack | undefined {
    return this.#media.get(source);
  }

  get activeSpeaker(): string | null {
    return this.#peers.activeSpeaker;
  }

  /** The loaded Device of the current join (the core API stays usable beside the room). */
  get device(): Device | undefined {
    return this.#joined?.device;
  }

  get sendTransport(): Transport | undefined {
    return this.#joined?.send;
  }

  get recvTransport(): Transport | undefined {
    return this.#joined?.recv;
  }

  /**
   * Joins the room: ONE `join` request creates both transports; then the
   * device loads and `setCapabilities` goes out without being awaited, so
   * media enabled right after shares the next round trip. Peers already in
   * the room are announced with `peerjoined` before this resolves.
   */
  async join(): Promise<void> {
    const state = this.#state.state;
    if (state === 'connecting' || state === 'connected' || state === 'reconnecting') {
      throw RoomError.alreadyJoined(state);
    }
    // What is left of a failed join (a transport failed, signaling still up) goes first.
    this.#teardown();
    this.#state.set('connecting');
    try {
      await this.#connect();
    } catch (error) {
      const left = this.#state.state !== 'connecting';
      this.#teardown();
      this.#state.set('failed');
      if (left)
        throw RoomError.joinFailed(this.roomId, new Error('leave() was called while joining'));
      throw error instanceof RoomError && error.code === 'JOIN_FAILED'
        ? error
        : RoomError.joinFailed(this.roomId, error);
    }
  }

  /**
   * Leaves: tells the server, closes transports and tracks the room captured.
   * Tracks the app passed in are left running. Safe to call in any state.
   */
  async leave(): Promise<void> {
    const recovery = this.#recovery;
    if (recovery) {
      // Calls waiting for the reconnection fail now; the loop stops.
      this.#recovery = undefined;
      recovery.reconnector.cancel();
      recovery.fail(RoomError.reconnectCancelled());
    }
    const joined = this.#joined;
    // Said whenever a join completed and the channel still works (also after a transport failed).
    if (joined?.peerId !== undefined && !joined.session.ended) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, LEAVE_TIMEOUT_MS);
      });
      await Promise.race([joined.session.request('leave', {}).catch(() => undefined), timeout]);
      clearTimeout(timer);
    }
    this.#teardown();
    this.#state.set('disconnected');
  }

  /** Sends the camera (captured, or `track`); again with another device or track switches it. */
  enableCamera(options: CameraOptions = {}): Promise<LocalTrack> {
    check.checkObject(options, 'options');
    const deviceId = check.checkOptionalString(options.deviceId, 'deviceId');
    const simulcast = check.checkBoolean(options.simulcast, 'simulcast', true);
    const track = check.checkTrack(options.track, 'video', 'track');
    this.#assertJoined('enableCamera()');
    return this.#whenReady(() =>
      this.#enableUserMedia('camera', track, deviceId, cameraPublishOptions(simulcast)),
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
    this.#assertJoined('enableMicrophone()');
    return this.#whenReady(() =>
      this.#enableUserMedia('microphone', track, deviceId, MICROPHONE_PUBLISH),
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
    this.#assertJoined('enableCameraAndMicrophone()');
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
    const ready = this.#recovery?.gate;
    if (ready) await ready;
    const [cameraTrack, microphoneTrack] = await Promise.all([
      this.#media.serial('camera', () =>
        this.#media.publish('camera', video, true, cameraPublishOptions(simulcast)),
      ),
      this.#media.serial('microphone', () =>
        this.#media.publish('microphone', audio, true, MICROPHONE_PUBLISH),
      ),
    ]);
    return { camera: cameraTrack, microphone: microphoneTrack };
  }

  /** Shares the screen (getDisplayMedia, or `track`). Stopping it in the browser's UI unpublishes it. */
  enableScreenShare(options: ScreenShareOptions = {}): Promise<LocalTrack> {
    check.checkObject(options, 'options');
    const audio = check.checkBoolean(options.audio, 'audio', false);
    const track = check.checkTrack(options.track, 'video', 'track');
    this.#assertJoined('enableScreenShare()');
    return this.#whenReady(() => this.#enableScreenShare(track, audio));
  }

  #enableScreenShare(track: MediaStreamTrack | undefined, audio: boolean): Promise<LocalTrack> {
    return this.#media.serial('screen', async () => {
      if (track)
        return this.#media.publish('screen', track, false, { encodings: [...SCREEN_ENCODINGS] });
      const existing = this.#media.get('screen');
      if (existing) return existing;
      const captured = await captureScreen(audio);
      const screenAudio = captured.screenAudio;
      if (screenAudio) {
        void this.#media
          .serial('screenAudio', () => this.#media.publish('screenAudio', screenAudio, true))
          .catch((error: unknown) => this.#reportError(asRoomError(error, 'screen audio')));
      }
      return this.#media.publish('screen', captured.screen, true, {
        encodings: [...SCREEN_ENCODINGS],
      });
    });
  }

  async disableScreenShare(): Promise<void> {
    const ready = this.#recovery?.gate;
    if (ready) await ready;
    await Promise.all([
      this.#media.serial('screen', () => this.#media.unpublish('screen')),
      this.#media.serial('screenAudio', () => this.#media.unpublish('screenAudio')),
    ]);
  }

  /** Sends a chat message to everyone (a `chat` event on each of them). */
  sendChat(text: string): Promise<void> {
    const checked = check.checkChat(text);
    this.#assertJoined('sendChat()');
    return this.#whenReady(() => this.#data.chat(checked));
  }

  /**
   * Opens the data channel `label` ahead of the first `sendData`, so that the
   * first message reaches everyone (see `chat` in the options for why).
   */
  async openDataChannel(label: string): Promise<void> {
    const checked = check.checkLabel(label);
    this.#assertJoined('openDataChannel()');
    await this.#whenReady(() => this.#data.open(checked));
  }

  /**
   * Sends app data on the data channel `label` (opened on first use); the
   * others get a `data` event. The first message on a new label may miss
   * receivers whose channel is still opening: call `openDataChannel` early.
   */
  sendData(label: string, data: string | ArrayBuffer | ArrayBufferView | Blob): Promise<void> {
    const checkedLabel = check.checkLabel(label);
    const checkedData = check.checkData(data);
    this.#assertJoined('sendData()');
    return this.#whenReady(() => this.#data.send(checkedLabel, checkedData));
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
    await this.#whenReady(() => Promise.resolve());
    await this.#request('setConsumerPreferredLayers', {
      consumerId: track.consumerId,
      spatialLayer,
      ...(temporalLayer !== undefined ? { temporalLayer } : {}),
    });
  }

  /** The browser's (or wrtc's) stats of a transport, one of our tracks or a received one. */
  async getStats(target: StatsTarget): Promise<RTCStatsReport> {
    check.checkObject(target, 'target');
    if ('transport' in target) {
      const transport = target.transport === 'send' ? this.#joined?.send : this.#joined?.recv;
      if (!transport) throw RoomError.notJoined('getStats()');
      return transport.getStats();
    }
    if ('source' in target) {
      const local = this.#media.get(target.source);
      if (!local) throw new TypeError(`no local ${target.source} track: enable it first`);
      return local.producer.getStats();
    }
    return this.#remoteTrack(target.consumerId).consumer.getStats();
  }

  /** The server's (mediasoup's) stats of the same objects. */
  async getServerStats(target: StatsTarget): Promise<Record<string, unknown>[]> {
    check.checkObject(target, 'target');
    await this.#whenReady(() => Promise.resolve());
    if ('transport' in target) {
      const transport = target.transport === 'send' ? this.#joined?.send : this.#joined?.recv;
      if (!transport) throw RoomError.notJoined('getServerStats()');
      return (await this.#request('getTransportStats', { transportId: transport.id })).stats;
    }
    if ('source' in target) {
      const local = this.#media.get(target.source);
      if (!local) throw new TypeError(`no local ${target.source} track: enable it first`);
      return (await this.#request('getProducerStats', { producerId: local.producerId })).stats;
    }
    const { consumerId } = this.#remoteTrack(target.consumerId);
    return (await this.#request('getConsumerStats', { consumerId })).stats;
  }

  /** Captures (unless `track` is given) and publishes, or switches the device/track of a source already sent. */
  #enableUserMedia(
    source: 'camera' | 'microphone',
    track: MediaStreamTrack | undefined,
    deviceId: string | undefined,
    publishOptions: PublishOptions,
  ): Promise<LocalTrack> {
    return this.#media.serial(source, async () => {
      const existing = this.#media.get(source);
      if (existing && !track && !deviceId) return existing;
      const captured = track ?? (await captureUserMedia({ [source]: { deviceId } }))[source];
      if (!captured) throw RoomError.mediaFailed(source, new Error('the capture gave no track'));
      return this.#media.publish(source, captured, !track, publishOptions);
    });
  }

  #mediaOperation(operation: 'unpublish' | 'pause' | 'resume', source: TrackSource): Promise<void> {
    return this.#whenReady(() => this.#media.serial(source, () => this.#media[operation](source)));
  }

  readonly #emit = <K extends RoomEventName>(event: K, ...args: RoomClientEvents[K]): void => {
    this.safeEmit(event, ...args);
  };

  async #connect(): Promise<void> {
    const { joined, peerId } = await joinRoom(this.#joinContext(() => true));
    this.#state.set('connected');
    this.#unwatchNetwork ??= watchNetwork((why) => this.#onNetworkChange(why));
    if (this.#options.chat !== false) this.#openChatSoon(joined);
    logger.debug('joined room %s as %s', this.roomId, peerId);
  }

  #joinContext(stillWanted: () => boolean): Parameters<typeof joinRoom>[0] {
    return {
      options: this.#options,
      heartbeat: this.#heartbeat,
      onSession: (started) => {
        this.#joined = started;
        this.#ice?.close();
        this.#ice = this.#newIceRestarter(started);
      },
      isCurrent: (candidate) => this.#joined === candidate && stillWanted(),
      // A rejoin keeps the peers still there (their tracks come back), drops the others.
      onPeers: (peers) => this.#peers.reconcile(peers, this.#recovery?.kept?.peers ?? new Set()),
      handlers: this.#handlers,
      onError: (candidate, error) => {
        if (this.#joined === candidate) this.#reportError(error);
      },
      onTransport: (candidate, transport) => {
        if (this.#joined === candidate) this.#ice?.watch(transport);
      },
    };
  }

  #newIceRestarter(joined: Joined): IceRestarter {
    const current = () => this.#joined === joined && this.#ice === ice;
    const ice: IceRestarter = new IceRestarter({
      clock: this.#clock,
      timeoutMs: this.#recoveryOptions.iceTimeoutMs,
      giveUpAfterMs: this.#recoveryOptions.giveUpAfterMs,
      canSignal: () => current() && !joined.session.ended && joined.peerId !== undefined,
      request: (method, data) => joined.session.request(method, data),
      onFailed: (transport) => {
        if (current()) this.#reportError(RoomError.transportFailed(transport.direction));
      },
      onGiveUp: (transport) => {
        if (current()) this.#onTransportLost(RoomError.transportFailed(transport.direction));
      },
    });
    return ice;
  }

  #onNetworkChange(why: string): void {
    logger.debug('%s: restarting ICE', why);
    this.#ice?.restartAll(why);
    this.#recovery?.reconnector.retryNow();
  }

  /**
   * On a later macrotask, so media enabled right after join() goes first:
   * the transport runs produceData and produce one after the other, and a
   * chat channel ahead of the camera would cost it a round trip.
   */
  #openChatSoon(joined: Joined): void {
    setTimeout(() => {
      if (this.#joined !== joined || this.#state.state !== 'connected') return;
      this.#data.open(CHAT_LABEL).catch((error: unknown) => {
        if (this.#joined === joined) this.#reportError(asRoomError(error, 'chat channel'));
      });
    }, 0);
  }

  readonly #handlers: SessionHandlers = {
    // Only the current join's connection speaks for the room: an old one
    // (saying goodbye after a rejoin started) may still deliver messages.
    onRequest: (request, session) => {
      if (!this.#speaksForRoom(session)) {
        return Promise.reject(new Error('this connection no longer belongs to the room'));
      }
      return this.#onServerRequest(request);
    },
    onNotification: (notification, session) => {
      if (this.#speaksForRoom(session)) this.#onNotification(notification);
    },
    onLost: (session, error) => this.#onSignalingLost(session, error),
  };

  #speaksForRoom(session: SignalingSession): boolean {
    return session === this.#joined?.session || session === this.#recovery?.candidate;
  }

  async #onServerRequest(request: RequestUnion<ServerRequests>): Promise<unknown> {
    const recv = this.#joined?.recv;
    if (!recv || recv.closed) throw new Error('no receive transport: not joined');
    try {
      if (request.method === 'newConsumer') await this.#peers.consume(recv, request.data);
      else await this.#data.consume(recv, request.data);
    } catch (error) {
      const what =
        request.method === 'newConsumer' ? `a ${request.data.kind} track` : 'a data channel';
      this.#reportError(RoomError.consumeFailed(`${what} of peer ${request.data.peerId}`, error));
      throw error;
    }
    return {};
  }

  #onNotification(notification: NotificationUnion<ServerNotifications>): void {
    const handle = this.#notificationHandlers[notification.method] as (data: unknown) => void;
    handle(notification.data);
  }

  /** One handler per server notification; the type makes sure none is forgotten. */
  readonly #notificationHandlers: {
    [M in keyof ServerNotifications]: (data: NotificationData<ServerNotifications, M>) => void;
  } = {
    peerJoined: (data) => this.#peers.joined(data),
    peerLeft: (data) => this.#peers.left(data),
    producerClosed: (data) => this.#onProducerClosed(data),
    producerScore: (data) => this.#media.scored(data),
    consumerClosed: (data) => this.#peers.consumerClosed(data),
    consumerPaused: (data) => this.#peers.consumerPaused(data),
    consumerResumed: (data) => this.#peers.consumerResumed(data),
    consumerLayersChanged: (data) => this.#peers.layersChanged(data),
    consumerScore: (data) => this.#peers.consumerScore(data),
    dataConsumerClosed: (data) => this.#data.closedByServer(data),
    activeSpeaker: (data) => this.#peers.activeSpeakerChanged(data.peerId),
    audioLevels: (data) =>
      this.#emit(
        'audiolevels',
        data.volumes.map((level) => ({ ...level, peer: this.#peers.get(level.peerId) })),
      ),
    transportClosed: (data) => this.#onTransportClosed(data.transportId),
    roomClosed: (data) => this.#onRoomClosed(data.reason),
  };

  /**
   * Applied a moment later: when a worker dies the server closes our
   * producers (producerClosed) just before the transports and the room
   * (transportClosed, roomClosed), and the rejoin that follows must still
   * know which tracks to publish again. A rejoin started meanwhile wins.
   */
  #onProducerClosed(data: NotificationData<ServerNotifications, 'producerClosed'>): void {
    const joined = this.#joined;
    this.#clock.setTimeout(() => {
      if (this.#joined === joined && !this.#recovery) this.#media.closedByServer(data);
    }, PRODUCER_CLOSED_DELAY_MS);
  }

  /**
   * The one place where a lost signaling channel is handled: with
   * `reconnect` on (the default) the room goes `reconnecting` and resumes
   * its session (or rejoins); media keeps flowing meanwhile.
   */
  #onSignalingLost(session: SignalingSession, error: RoomError): void {
    const joined = this.#joined;
    if (joined?.session !== session) return;
    const state = this.#state.state;
    if (state === 'reconnecting') return; // the attempt under way notices it
    if (state === 'connected' && this.#recoveryOptions.reconnect) {
      this.#recover(joined.resume ? 'resume' : 'rejoin', error);
      return;
    }
    this.#teardown();
    if (state !== 'connected') return; // join() reports it
    this.#reportError(error);
    this.#state.set('disconnected');
  }

  /** A transport is gone for good (closed by the server, ICE beyond repair): rejoin. */
  #onTransportLost(error: RoomError): void {
    const state = this.#state.state;
    if (this.#recoveryOptions.reconnect && (state === 'connected' || state === 'reconnecting')) {
      this.#recover('rejoin', error);
      return;
    }
    this.#reportError(error);
    this.#state.set('failed');
  }

  /**
   * Starts the retry loop (at most one at a time). Calls made meanwhile wait
   * at the gate and go once connected again, or reject with the give-up.
   */
  #recover(mode: RecoveryMode, cause: RoomError): void {
    const { reconnect } = this.#recoveryOptions;
    if (!reconnect) return;
    const running = this.#recovery;
    if (running) {
      // A resume under way learns that only a rejoin can help now.
      if (mode === 'rejoin') running.mustRejoin = true;
      return;
    }
    let open: () => void = () => undefined;
    let fail: (error: unknown) => void = () => undefined;
    const gate = new Promise<void>((resolve, reject) => {
      open = resolve;
      fail = reject;
    });
    gate.catch(() => undefined); // nobody waiting is fine
    const reconnector = new Reconnector(this.#clock, reconnect, reconnect.random);
    const recovery: Recovery = { reconnector, gate, fail, mustRejoin: mode === 'rejoin' };
    this.#recovery = recovery;
    logger.warn('recovering (%s): %s', mode, cause.message);
    this.#state.set('reconnecting');
    this.#emit('reconnecting', { cause });
    reconnector
      .run(
        mode,
        (attempt, signal) =>
          attempt === 'rejoin' || recovery.mustRejoin
            ? this.#rejoin(recovery, signal)
            : this.#resume(recovery, signal),
        cause,
      )
      .then(
        ({ attempts, afterMs }) => {
          if (this.#recovery !== recovery) return;
          this.#recovery = undefined;
          const how = recovery.kept ? 'rejoined' : 'resumed';
          logger.debug('%s after %d ms (%d attempts)', how, afterMs, attempts);
          this.#state.set('connected');
          open();
          this.#emit('reconnected', { how, afterMs, attempts });
          const session = this.#joined?.session;
          if (session?.ended)
            this.#onSignalingLost(session, RoomError.signalingClosed('lost again'));
        },
        (error: unknown) => {
          if (this.#recovery !== recovery) return; // left meanwhile: leave() settled it
          this.#recovery = undefined;
          recovery.fail(error);
          this.#teardown();
          this.#reportError(asRoomError(error, 'reconnect'));
          this.#state.set('failed');
        },
      );
  }

  /** One resume attempt: same join, new connection; the server replays what we missed. */
  async #resume(recovery: Recovery, signal: AbortSignal): Promise<void> {
    const joined = this.#joined;
    if (!joined?.resume || recovery.kept)
      throw new RoomError('JOIN_FAILED', 'nothing to resume', {
        protocolCode: 'SESSION_EXPIRED',
      });
    const { reconnect } = this.#recoveryOptions;
    const { session, peers } = await resumeRoom(
      joined,
      this.#options,
      this.#heartbeat,
      this.#handlers,
      signal,
      (candidate) => {
        recovery.candidate = candidate;
      },
    );
    if (this.#joined !== joined || this.#recovery !== recovery || !reconnect) {
      session.close();
      throw RoomError.reconnectCancelled();
    }
    joined.session = session;
    // Who joined meanwhile (the replay that follows says the rest, in order).
    for (const info of peers) this.#peers.joined(info);
    this.#ice?.flush();
  }

  /**
   * One rejoin attempt: the old join is dropped (its tracks kept, never
   * stopped), a new one made on a new connection, and the same tracks and
   * data labels published again. Remote tracks come back as new consumers.
   */
  async #rejoin(recovery: Recovery, signal: AbortSignal): Promise<void> {
    if (!recovery.kept) {
      const labels = this.#data.labels;
      if (this.#options.chat !== false && !labels.includes(CHAT_LABEL)) labels.push(CHAT_LABEL);
      recovery.kept = { media: this.#media.suspend(), labels, peers: this.#peers.ids };
      this.#data.clear();
      this.#peers.dropTracks();
      this.#dropJoin(true);
    }
    const { kept } = recovery;
    let joined: Joined | undefined;
    const stillWanted = () => !signal.aborted && this.#recovery === recovery;
    const onAbort = () => joined?.session.close();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const context = this.#joinContext(stillWanted);
      const result = await joinRoom({
        ...context,
        onSession: (started) => {
          joined = started;
          context.onSession(started);
        },
      });
      joined = result.joined;
      const failures = await this.#media.republish(kept.media);
      for (const error of failures) this.#reportError(asRoomError(error, 'track'));
      for (const label of kept.labels) {
        this.#data.open(label).catch((error: unknown) => {
          if (this.#joined === joined) this.#reportError(asRoomError(error, 'chat channel'));
        });
      }
      if (!stillWanted()) throw RoomError.reconnectCancelled();
      if (joined.session.ended) throw RoomError.signalingClosed('lost again while rejoining');
    } catch (error) {
      if (joined && this.#joined === joined) this.#dropJoin(false);
      throw error;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  #onTransportClosed(transportId: string): void {
    const joined = this.#joined;
    const direction =
      joined?.send?.id === transportId
        ? 'send'
        : joined?.recv?.id === transportId
          ? 'recv'
          : undefined;
    if (!joined || !direction) return;
    if (this.#recoveryOptions.reconnect && this.#state.state === 'connected') {
      // Closed under us (worker died: roomClosed follows): only a new join brings it back.
      this.#recover('rejoin', RoomError.transportFailed(direction));
      return;
    }
    if (direction === 'send') {
      this.#media.clear();
      this.#data.clear();
      joined.send?.close();
    } else {
      this.#peers.clear();
      joined.recv?.close();
    }
  }

  #onRoomClosed(reason: 'workerDied' | 'closed'): void {
    logger.debug('room closed by the server (%s)', reason);
    const state = this.#state.state;
    if (
      reason === 'workerDied' &&
      this.#recoveryOptions.reconnect &&
      (state === 'connected' || state === 'reconnecting')
    ) {
      this.#recover('rejoin', RoomError.roomClosed(reason));
      return;
    }
    this.#teardown();
    this.#state.set('disconnected');
    this.#emit('roomclosed', { reason });
  }

  /**
   * Drops the current join's transports, session and ICE watch. `courtesy`:
   * tell the server we are going (when its channel still works), so the
   * others do not keep a ghost of us during the server's grace period.
   */
  #dropJoin(courtesy: boolean): void {
    const joined = this.#joined;
    this.#joined = undefined;
    this.#ice?.close();
    this.#ice = undefined;
    if (!joined) return;
    joined.send?.close();
    joined.recv?.close();
    const { session } = joined;
    if (courtesy && !session.ended && joined.peerId !== undefined) {
      // Closed once answered (or after a short wait): closing at once could drop the goodbye.
      const timer = this.#clock.setTimeout(() => session.close(), LEAVE_TIMEOUT_MS);
      session
        .request('leave', {})
        .catch(() => undefined)
        .finally(() => {
          this.#clock.clearTimeout(timer);
          session.close();
        });
      return;
    }
    session.close();
  }

  /** Ends the current join: no requests, no peer events; our captured tracks stop. */
  #teardown(): void {
    const recovery = this.#recovery;
    this.#recovery = undefined;
    recovery?.reconnector.cancel();
    this.#unwatchNetwork?.();
    this.#unwatchNetwork = undefined;
    this.#media.clear();
    this.#data.clear();
    this.#peers.clear();
    this.#dropJoin(false);
  }

  /** A request on the current connection (recovery's own requests go through here too). */
  readonly #sessionRequest: Request = (method, data) => {
    const session = this.#joined?.session;
    if (!session || session.ended) return Promise.reject(RoomError.notJoined(method));
    return session.request(method, data);
  };

  readonly #request: Request = (method, data) =>
    this.#sessionRequest(method, data).catch((error: unknown) => {
      throw error instanceof RoomError ? error : RoomError.requestFailed(method, error);
    });

  /** `connected`: runs `task` now (same task, so produce() calls batch); `reconnecting`: once back. */
  #whenReady<T>(task: () => Promise<T>): Promise<T> {
    const recovery = this.#recovery;
    return recovery ? recovery.gate.then(task) : task();
  }

  #assertJoined(what: string): void {
    const state = this.#state.state;
    if (state !== 'connected' && state !== 'reconnecting') throw RoomError.notJoined(what);
  }

  #remoteTrack(target: RemoteTrackTarget): RemoteTrack {
    if (typeof target === 'string') {
      const track = this.#peers.track(target);
      if (!track) throw new TypeError(`no received track with consumer id "${target}"`);
      return track;
    }
    check.checkObject(target, 'target');
    const peer = this.#peers.get(check.checkString(target.peerId, 'peerId', { min: 1, max: 256 }));
    if (!peer) throw new TypeError(`no peer "${target.peerId}" in the room`);
    const track = peer.track(target.source ?? 'camera');
    if (!track)
      throw new TypeError(`peer "${target.peerId}" sends no ${target.source ?? 'camera'} track`);
    return track;
  }

  #reportError(error: RoomError): void {
    logger.warn('%s', error.message);
    this.#emit('error', error);
  }
}

/** One recovery (a `reconnecting` period). */
type Recovery = {
  reconnector: Reconnector;
  /** Calls made while reconnecting wait here. */
  gate: Promise<void>;
  /** Rejects the calls waiting at the gate. */
  fail: (error: unknown) => void;
  /** A resume cannot help any more (our transports are gone): rejoin. */
  mustRejoin: boolean;
  /**
   * The connection a resume is trying: what it says counts at once (the
   * replay can arrive in the same network read as the resume's answer).
   */
  candidate?: SignalingSession;
  /** Set once a rejoin dropped the old join: what to publish again. */
  kept?: { media: ReturnType<LocalMedia['suspend']>; labels: string[]; peers: Set<string> };
};

function asRoomError(error: unknown, what: string): RoomError {
  if (error instanceof RoomError) return error;
  return what === 'chat channel'
    ? RoomError.requestFailed('produceData', error)
    : RoomError.mediaFailed(what, error);
}
