import type {
  NotificationData,
  NotificationUnion,
  PeerPermissions,
  RequestUnion,
  ServerNotifications,
  ServerRequests,
} from '@vroom/protocol';
import { Logger } from '../Logger.js';
import type { RtpCapabilities } from '../RtpParameters.js';
import type { Transport } from '../Transport.js';
import { type Clock, systemClock } from './Clock.js';
import { ConnectionStateMachine } from './ConnectionStateMachine.js';
import { CurrentJoin } from './CurrentJoin.js';
import { CHAT_LABEL, DataMessaging } from './DataMessaging.js';
import { isChannelNotOpened, RoomError } from './errors.js';
import type { ConnectionState, Emit } from './events.js';
import type { HeartbeatOptions } from './Heartbeat.js';
import { type Joined, joinRoom, resumeRoom, type SessionHandlers } from './joinRoom.js';
import { JoinPublisher, type JoinTracks } from './joinTracks.js';
import { LocalMedia } from './LocalMedia.js';
import { MediaFirstGate } from './MediaFirstGate.js';
import { moderationHandlers } from './moderation.js';
import { watchNetwork } from './networkChanges.js';
import {
  checkRoomClientOptions,
  type ResolvedRecoveryOptions,
  type RoomClientOptions,
} from './options.js';
import { PageSession } from './PageSession.js';
import { RemotePeers } from './RemotePeers.js';
import { asRoomError, RoomRecovery } from './RoomRecovery.js';
import { ServerReachability } from './ServerReachability.js';
import type { Request, SignalingSession } from './SignalingSession.js';
import { CLIENT_TIMING } from './timing.js';

const logger = new Logger('room:RoomClient');

/**
 * The connection part of `RoomClient`: join / leave, the state machine, the
 * server's requests and notifications, and what to do when signaling, a
 * transport or the room is lost. It holds the room's parts: the current join
 * (`CurrentJoin`, with its ICE restarts), the recovery flow (`RoomRecovery`,
 * resume and rejoin), and the media, data and peers the app API works on.
 */
export class RoomConnection {
  readonly roomId: string;
  readonly peers: RemotePeers;
  readonly media: LocalMedia;
  readonly data: DataMessaging;
  /** Camera / microphone being enabled hold data channels back (issue 13). */
  readonly mediaFirst: MediaFirstGate;
  readonly #options: RoomClientOptions;
  readonly #heartbeat: Required<HeartbeatOptions> | false;
  readonly #state: ConnectionStateMachine;
  readonly #emit: Emit;
  readonly #clock: Clock;
  readonly #recoveryOptions: ResolvedRecoveryOptions;
  readonly #current: CurrentJoin;
  readonly #recovery: RoomRecovery;
  #unwatchNetwork: (() => void) | undefined;
  /** Ours, as the server last said (`permissionsChanged`); undefined: its defaults. */
  permissions: PeerPermissions | undefined;
  /** The last join's (or the app's) router capabilities: the next join sends ours in `join`. */
  #routerCapabilities: RtpCapabilities | undefined;
  /** Lets reconnect attempts skip WebSockets while the server is unreachable. */
  readonly #reachability: ServerReachability | undefined;
  /** Says goodbye when the page goes away; keeps the seat for a reload (`rememberSession`). */
  readonly #page: PageSession;

  constructor(options: RoomClientOptions, emit: Emit) {
    ({ heartbeat: this.#heartbeat, recovery: this.#recoveryOptions } =
      checkRoomClientOptions(options));
    this.#clock = options.clock ?? systemClock;
    this.#reachability = this.#recoveryOptions.reconnect
      ? ServerReachability.forUrl(options.url, this.#clock)
      : undefined;
    this.roomId = options.roomId;
    this.#page = new PageSession(options.rememberSession, options.roomId);
    this.#options = options;
    this.#routerCapabilities = options.routerRtpCapabilities;
    this.#emit = emit;
    this.#state = new ConnectionStateMachine((state) => emit('connectionstatechange', state));
    this.peers = new RemotePeers(emit);
    this.#current = new CurrentJoin({
      clock: this.#clock,
      recovery: this.#recoveryOptions,
      onTransportFailed: (error) => this.reportError(error),
      onTransportLost: (error) => this.#onTransportLost(error),
    });
    const sendTransport = () => this.#current.joined?.send;
    this.media = new LocalMedia({ sendTransport, request: this.#current.request, emit });
    this.mediaFirst = new MediaFirstGate(this.#clock, CLIENT_TIMING.dataBehindMediaMs);
    this.data = new DataMessaging({
      sendTransport,
      mediaFirst: () => this.mediaFirst.passed(),
      peers: this.peers,
      emit,
    });
    this.#recovery = new RoomRecovery(this.#recoveryHost());
  }

  get state(): ConnectionState {
    return this.#state.state;
  }

  /** The current join's parts (device, transports, session), once joining. */
  get joined(): Joined | undefined {
    return this.#current.joined;
  }

  /**
   * Joins the room: ONE `join` request creates both transports; then the
   * device loads and `setCapabilities` goes out without being awaited, so
   * media enabled right after shares the next round trip (with router
   * capabilities known beforehand the device loads first and `join` carries
   * ours: no `setCapabilities`). Peers already in
   * the room are announced with `peerjoined` before this resolves.
   */
  async join(tracks: JoinTracks = {}): Promise<void> {
    const state = this.#state.state;
    if (state === 'connecting' || state === 'connected' || state === 'reconnecting') {
      throw RoomError.alreadyJoined(state);
    }
    // What is left of a failed join (a transport failed, signaling still up) goes first.
    this.#teardown();
    this.permissions = undefined;
    this.#state.set('connecting');
    const publisher = new JoinPublisher(this.media, this.mediaFirst, tracks);
    try {
      await this.#connect(publisher, tracks);
    } catch (error) {
      const left = this.#state.state !== 'connecting';
      this.#teardown();
      this.#state.set('failed');
      if (left)
        throw RoomError.joinFailed(this.roomId, new Error('leave() was called while joining'));
      if (isChannelNotOpened(error)) throw RoomError.serverUnreachable(this.#options.url, error);
      throw error instanceof RoomError && error.code === 'JOIN_FAILED'
        ? error
        : RoomError.joinFailed(this.roomId, error);
    }
    // Joined: a track that could not be published is reported, the room stays.
    for (const error of await publisher.failures()) {
      this.reportError(asRoomError(error, 'join() track'));
    }
  }

  /**
   * Leaves: tells the server, closes transports and tracks the room captured.
   * Tracks the app passed in are left running. Safe to call in any state.
   */
  async leave(): Promise<void> {
    // Calls waiting for the reconnection fail now; the loop stops.
    this.#recovery.cancel(RoomError.reconnectCancelled());
    this.#page.forget();
    const joined = this.#current.joined;
    // Said whenever a join completed and the channel still works (also after a transport failed).
    if (joined?.peerId !== undefined && !joined.session.ended) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, CLIENT_TIMING.leaveTimeoutMs);
      });
      await Promise.race([joined.session.request('leave', {}).catch(() => undefined), timeout]);
      clearTimeout(timer);
    }
    this.#teardown();
    this.#state.set('disconnected');
  }

  async #connect(publisher: JoinPublisher, tracks: JoinTracks): Promise<void> {
    const context = this.#joinContext(() => true);
    if (tracks.camera || tracks.microphone) context.publish = publisher.attempt;
    const { joined, peerId } = await joinRoom(context);
    this.#state.set('connected');
    if (!this.#unwatchNetwork) {
      const unwatchNetwork = watchNetwork((why) => this.#onNetworkChange(why));
      const unwatchPage = this.#page.watch(() => this.#onPageHide());
      this.#unwatchNetwork = () => {
        unwatchNetwork();
        unwatchPage();
      };
    }
    void this.#reachability?.verify();
    if (this.#options.chat !== false) this.#openChatSoon(joined);
    logger.debug('joined room %s as %s', this.roomId, peerId);
  }

  #joinContext(stillWanted: () => boolean): Parameters<typeof joinRoom>[0] {
    return {
      options: this.#options,
      heartbeat: this.#heartbeat,
      onSession: (started) => this.#current.start(started),
      isCurrent: (candidate) => this.#current.joined === candidate && stillWanted(),
      // A rejoin keeps the peers still there (their tracks come back), drops the others.
      onPeers: (peers) => this.peers.reconcile(peers, this.#recovery.keptPeers),
      handlers: this.#handlers,
      onError: (candidate, error) => {
        if (this.#current.joined === candidate) this.reportError(error);
      },
      onTransport: (candidate, transport) => this.#current.watch(candidate, transport),
      knownRouterCapabilities: this.#routerCapabilities,
      page: this.#page,
      onRouterCapabilities: (capabilities) => {
        this.#routerCapabilities = capabilities;
      },
    };
  }

  /** What the recovery flow may do to the room: its narrow view of it. */
  #recoveryHost(): ConstructorParameters<typeof RoomRecovery>[0] {
    const reconnect = this.#recoveryOptions.reconnect;
    return {
      clock: this.#clock,
      reconnect,
      reachability: this.#reachability,
      current: this.#current,
      media: this.media,
      data: this.data,
      peers: this.peers,
      chat: this.#options.chat !== false,
      resume: (joined, signal, onCandidate) =>
        resumeRoom(joined, this.#options, this.#heartbeat, this.#handlers, signal, onCandidate),
      join: async (stillWanted, onSession) => {
        const context = this.#joinContext(stillWanted);
        const result = await joinRoom({
          ...context,
          onSession: (started) => {
            onSession(started);
            context.onSession(started);
          },
        });
        return result.joined;
      },
      reportError: (error) => this.reportError(error),
      started: (cause) => {
        this.#state.set('reconnecting');
        this.#emit('reconnecting', { cause });
      },
      recovered: (event) => {
        this.#state.set('connected');
        this.#emit('reconnected', event);
        const session = this.#current.joined?.session;
        if (session?.ended) this.#onSignalingLost(session, RoomError.signalingClosed('lost again'));
      },
      gaveUp: (error) => {
        this.#teardown();
        this.reportError(error);
        this.#state.set('failed');
      },
    };
  }

  /**
   * The page is going away (closed, navigated, reloading): the socket says so
   * now, so the others do not keep a frozen tile for the resume window.
   */
  #onPageHide(): void {
    this.#recovery.cancel(RoomError.reconnectCancelled());
    this.#current.joined?.session.close(this.#page.closeCode);
  }

  #onNetworkChange(why: string): void {
    logger.debug('%s: checking signaling and ICE', why);
    this.#current.checkNetwork(why);
    this.#recovery.retryNow();
  }

  /**
   * On a later macrotask, so media enabled right after join() goes first:
   * the transport runs produceData and produce one after the other, and a
   * chat channel ahead of the camera would cost it a round trip.
   */
  #openChatSoon(joined: Joined): void {
    setTimeout(() => {
      if (this.#current.joined !== joined || this.#state.state !== 'connected') return;
      this.data.open(CHAT_LABEL).catch((error: unknown) => {
        if (this.#current.joined === joined) this.reportError(asRoomError(error, 'chat channel'));
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
    return session === this.#current.joined?.session || session === this.#recovery.candidate;
  }

  async #onServerRequest(request: RequestUnion<ServerRequests>): Promise<unknown> {
    const recv = await this.#receiveTransport();
    if (!recv || recv.closed) throw new Error('no receive transport: not joined');
    try {
      if (request.method === 'newConsumer') await this.peers.consume(recv, request.data);
      else await this.data.consume(recv, request.data);
    } catch (error) {
      const what =
        request.method === 'newConsumer' ? `a ${request.data.kind} track` : 'a data channel';
      this.reportError(RoomError.consumeFailed(`${what} of peer ${request.data.peerId}`, error));
      throw error;
    }
    return {};
  }

  /**
   * The receive transport; while the device still loads (the server pushes
   * consumers right after the join answer when it knows our capabilities)
   * it waits for it, at most `pushHoldMs`, so the push is answered once.
   */
  async #receiveTransport(): Promise<Transport | undefined> {
    const joined = this.#current.joined;
    if (!joined || joined.recv) return joined?.recv;
    let timer: unknown;
    const timeout = new Promise<void>((resolve) => {
      timer = this.#clock.setTimeout(resolve, CLIENT_TIMING.pushHoldMs);
    });
    await Promise.race([joined.transportsReady.catch(() => undefined), timeout]);
    this.#clock.clearTimeout(timer);
    return this.#current.joined === joined ? joined.recv : undefined;
  }

  #onNotification(notification: NotificationUnion<ServerNotifications>): void {
    const handle = this.#notificationHandlers[notification.method] as (data: unknown) => void;
    handle(notification.data);
  }

  /** One handler per server notification; the type makes sure none is forgotten. */
  readonly #notificationHandlers: {
    [M in keyof ServerNotifications]: (data: NotificationData<ServerNotifications, M>) => void;
  } = {
    peerJoined: (data) => this.peers.joined(data),
    peerLeft: (data) => this.peers.left(data),
    peerConnectionState: (data) => this.peers.connectionStateChanged(data),
    producerClosed: (data) => this.#onProducerClosed(data),
    producerScore: (data) => this.media.scored(data),
    consumerClosed: (data) => this.peers.consumerClosed(data),
    consumerPaused: (data) => this.peers.consumerPaused(data),
    consumerResumed: (data) => this.peers.consumerResumed(data),
    consumerLayersChanged: (data) => this.peers.layersChanged(data),
    consumerScore: (data) => this.peers.consumerScore(data),
    dataConsumerClosed: (data) => this.data.closedByServer(data),
    activeSpeaker: (data) => this.peers.activeSpeakerChanged(data.peerId),
    audioLevels: (data) => {
      this.peers.heardLevels(data.volumes);
      this.#emit(
        'audiolevels',
        data.volumes.map((level) => ({ ...level, peer: this.peers.get(level.peerId) })),
      );
    },
    transportClosed: (data) => this.#onTransportClosed(data.transportId),
    roomClosed: (data) => this.#onRoomClosed(data.reason),
    // `this` gives media and peers once built (these fields initialise first).
    ...moderationHandlers(
      this,
      (event, ...args) => this.#emit(event, ...args),
      (reason) => {
        this.#teardown();
        this.#state.set('disconnected');
        this.#emit('removed', { reason });
      },
    ),
    appNotification: (data) => this.#emit('appnotification', data),
    permissionsChanged: ({ permissions }) => {
      this.permissions = permissions;
      this.#emit('permissionschange', permissions);
    },
  };

  /**
   * The server closed one of our producers. Not when the room went away
   * (worker died): the server says only `roomClosed` then, and the rejoin
   * publishes the same tracks again.
   */
  #onProducerClosed(data: NotificationData<ServerNotifications, 'producerClosed'>): void {
    if (!this.#recovery.active) this.media.closedByServer(data);
  }

  /**
   * The one place where a lost signaling channel is handled: with
   * `reconnect` on (the default) the room goes `reconnecting` and resumes
   * its session (or rejoins); media keeps flowing meanwhile.
   */
  #onSignalingLost(session: SignalingSession, error: RoomError): void {
    const joined = this.#current.joined;
    if (joined?.session !== session) return;
    const state = this.#state.state;
    if (state === 'reconnecting') return; // the attempt under way notices it
    if (state === 'connected' && this.#recoveryOptions.reconnect) {
      this.#recovery.start(joined.resume ? 'resume' : 'rejoin', error);
      return;
    }
    this.#teardown();
    if (state !== 'connected') return; // join() reports it
    this.reportError(error);
    this.#state.set('disconnected');
  }

  /** A transport is gone for good (closed by the server, ICE beyond repair): rejoin. */
  #onTransportLost(error: RoomError): void {
    const state = this.#state.state;
    if (this.#recoveryOptions.reconnect && (state === 'connected' || state === 'reconnecting')) {
      this.#recovery.start('rejoin', error);
      return;
    }
    this.reportError(error);
    this.#state.set('failed');
  }

  #onTransportClosed(transportId: string): void {
    const joined = this.#current.joined;
    const direction =
      joined?.send?.id === transportId
        ? 'send'
        : joined?.recv?.id === transportId
          ? 'recv'
          : undefined;
    if (!joined || !direction) return;
    if (this.#recoveryOptions.reconnect && this.#state.state === 'connected') {
      // Closed under us (worker died: roomClosed follows): only a new join brings it back.
      this.#recovery.start('rejoin', RoomError.transportFailed(direction));
      return;
    }
    if (direction === 'send') {
      this.media.clear();
      this.data.clear();
      joined.send?.close();
    } else {
      this.peers.clear();
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
      this.#recovery.start('rejoin', RoomError.roomClosed(reason));
      return;
    }
    this.#teardown();
    this.#state.set('disconnected');
    this.#emit('roomclosed', { reason });
  }

  /** Ends the current join: no requests, no peer events; our captured tracks stop. */
  #teardown(): void {
    this.#recovery.stop();
    this.#unwatchNetwork?.();
    this.#unwatchNetwork = undefined;
    this.media.clear();
    this.data.clear();
    this.peers.clear();
    this.#current.drop(false);
  }

  /** A request on the current connection; its failures are `RoomError`s. */
  readonly request: Request = (method, data) =>
    this.#current.request(method, data).catch((error: unknown) => {
      throw error instanceof RoomError ? error : RoomError.requestFailed(method, error);
    });

  /** `connected`: runs `task` now (same task, so produce() calls batch); `reconnecting`: once back. */
  whenReady<T>(task: () => Promise<T>): Promise<T> {
    return this.#recovery.whenReady(task);
  }

  assertJoined(what: string): void {
    const state = this.#state.state;
    if (state !== 'connected' && state !== 'reconnecting') throw RoomError.notJoined(what);
  }

  reportError(error: RoomError): void {
    logger.warn('%s', error.message);
    this.#emit('error', error);
  }
}
