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
import { CHAT_LABEL, DataMessaging } from './DataMessaging.js';
import { isChannelNotOpened, RoomError } from './errors.js';
import type { ConnectionState, RoomClientEvents, RoomEventName, TrackSource } from './events.js';
import type { HeartbeatOptions } from './Heartbeat.js';
import { IceRestarter } from './IceRestarter.js';
import { type Joined, joinRoom, resumeRoom, type SessionHandlers } from './joinRoom.js';
import { LocalMedia, type LocalTrack } from './LocalMedia.js';
import { watchMediaComeback } from './mediaComeback.js';
import { watchNetwork } from './networkChanges.js';
import {
  checkRoomClientOptions,
  type ResolvedRecoveryOptions,
  type RoomClientOptions,
} from './options.js';
import { Reconnector, type RecoveryMode } from './Reconnector.js';
import type { RemotePeer } from './RemotePeer.js';
import { RemotePeers } from './RemotePeers.js';
import { ServerReachability } from './ServerReachability.js';
import type { Request, SignalingSession } from './SignalingSession.js';

const logger = new Logger('room:RoomClient');

/** `leave` is a courtesy: the server cleans up on disconnect anyway, so do not wait long. */
const LEAVE_TIMEOUT_MS = 2000;

/**
 * The connection half of `RoomClient`: join / leave, the state machine,
 * the server's requests and notifications, and recovery (resume, rejoin,
 * ICE restarts). `RoomClient` adds the media and data API on top; the
 * helpers it shares are `protected` (`_media`, `_data`, `_request`...).
 * Apps use `RoomClient`.
 */
export class RoomConnection extends EnhancedEventEmitter<RoomClientEvents> {
  readonly roomId: string;
  readonly displayName: string;
  readonly #options: RoomClientOptions;
  readonly #heartbeat: Required<HeartbeatOptions> | false;
  readonly #state: ConnectionStateMachine;
  protected readonly _peers: RemotePeers;
  protected readonly _media: LocalMedia;
  protected readonly _data: DataMessaging;
  readonly #clock: Clock;
  readonly #recoveryOptions: ResolvedRecoveryOptions;
  protected _joined: Joined | undefined;
  /** Restarts ICE of the current join's transports. */
  #ice: IceRestarter | undefined;
  /** Set while `reconnecting`: the retry loop, and the gate pending calls wait at. */
  #recovery: Recovery | undefined;
  #unwatchNetwork: (() => void) | undefined;
  /** Lets reconnect attempts skip WebSockets while the server is unreachable. */
  readonly #reachability: ServerReachability | undefined;

  constructor(options: RoomClientOptions) {
    super();
    ({ heartbeat: this.#heartbeat, recovery: this.#recoveryOptions } =
      checkRoomClientOptions(options));
    this.#clock = options.clock ?? systemClock;
    this.#reachability = this.#recoveryOptions.reconnect
      ? ServerReachability.forUrl(options.url, this.#clock)
      : undefined;
    this.roomId = options.roomId;
    this.displayName = options.displayName;
    this.#options = options;
    const emit = this._emit;
    this.#state = new ConnectionStateMachine((state) => emit('connectionstatechange', state));
    this._peers = new RemotePeers(emit);
    const sendTransport = () => this._joined?.send;
    this._media = new LocalMedia({ sendTransport, request: this.#sessionRequest, emit });
    this._data = new DataMessaging({ sendTransport, peers: this._peers, emit });
  }

  get connectionState(): ConnectionState {
    return this.#state.state;
  }

  /** Our peer id in the room, once joined. */
  get peerId(): string | undefined {
    return this._joined?.peerId;
  }

  /** The other peers, with their tracks. */
  get peers(): RemotePeer[] {
    return this._peers.list;
  }

  peer(peerId: string): RemotePeer | undefined {
    return this._peers.get(peerId);
  }

  /** Our tracks being sent. */
  get localTracks(): LocalTrack[] {
    return this._media.list;
  }

  localTrack(source: TrackSource): LocalTrack | undefined {
    return this._media.get(source);
  }

  get activeSpeaker(): string | null {
    return this._peers.activeSpeaker;
  }

  /** The loaded Device of the current join (the core API stays usable beside the room). */
  get device(): Device | undefined {
    return this._joined?.device;
  }

  get sendTransport(): Transport | undefined {
    return this._joined?.send;
  }

  get recvTransport(): Transport | undefined {
    return this._joined?.recv;
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
    const joined = this._joined;
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

  protected readonly _emit = <K extends RoomEventName>(
    event: K,
    ...args: RoomClientEvents[K]
  ): void => {
    this.safeEmit(event, ...args);
  };

  async #connect(): Promise<void> {
    const { joined, peerId } = await joinRoom(this.#joinContext(() => true));
    this.#state.set('connected');
    this.#unwatchNetwork ??= watchNetwork((why) => this.#onNetworkChange(why));
    void this.#reachability?.verify();
    if (this.#options.chat !== false) this.#openChatSoon(joined);
    logger.debug('joined room %s as %s', this.roomId, peerId);
  }

  #joinContext(stillWanted: () => boolean): Parameters<typeof joinRoom>[0] {
    return {
      options: this.#options,
      heartbeat: this.#heartbeat,
      onSession: (started) => {
        this._joined = started;
        this.#ice?.close();
        this.#ice = this.#newIceRestarter(started);
      },
      isCurrent: (candidate) => this._joined === candidate && stillWanted(),
      // A rejoin keeps the peers still there (their tracks come back), drops the others.
      onPeers: (peers) => this._peers.reconcile(peers, this.#recovery?.kept?.peers ?? new Set()),
      handlers: this.#handlers,
      onError: (candidate, error) => {
        if (this._joined === candidate) this._reportError(error);
      },
      onTransport: (candidate, transport) => {
        if (this._joined === candidate) this.#ice?.watch(transport);
      },
    };
  }

  #newIceRestarter(joined: Joined): IceRestarter {
    const current = () => this._joined === joined && this.#ice === ice;
    const ice: IceRestarter = new IceRestarter({
      clock: this.#clock,
      timeoutMs: this.#recoveryOptions.iceTimeoutMs,
      giveUpAfterMs: this.#recoveryOptions.giveUpAfterMs,
      canSignal: () => current() && !joined.session.ended && joined.peerId !== undefined,
      request: (method, data) => joined.session.request(method, data),
      onFailed: (transport) => {
        if (current()) this._reportError(RoomError.transportFailed(transport.direction));
      },
      onGiveUp: (transport) => {
        if (current()) this.#onTransportLost(RoomError.transportFailed(transport.direction));
      },
      // Ask the server at once rather than wait for the heartbeat's 5 s: the
      // restart needs signaling (Firefox drops its ICE path the instant its
      // interface goes down, and no 'offline' event may come).
      onPathLost: () => {
        if (current()) joined.session.probe();
      },
    });
    return ice;
  }

  #onNetworkChange(why: string): void {
    logger.debug('%s: checking signaling and ICE', why);
    // A socket on a path that just went away says nothing for seconds.
    this._joined?.session.probe();
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
      if (this._joined !== joined || this.#state.state !== 'connected') return;
      this._data.open(CHAT_LABEL).catch((error: unknown) => {
        if (this._joined === joined) this._reportError(asRoomError(error, 'chat channel'));
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
    return session === this._joined?.session || session === this.#recovery?.candidate;
  }

  async #onServerRequest(request: RequestUnion<ServerRequests>): Promise<unknown> {
    const recv = this._joined?.recv;
    if (!recv || recv.closed) throw new Error('no receive transport: not joined');
    try {
      if (request.method === 'newConsumer') await this._peers.consume(recv, request.data);
      else await this._data.consume(recv, request.data);
    } catch (error) {
      const what =
        request.method === 'newConsumer' ? `a ${request.data.kind} track` : 'a data channel';
      this._reportError(RoomError.consumeFailed(`${what} of peer ${request.data.peerId}`, error));
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
    peerJoined: (data) => this._peers.joined(data),
    peerLeft: (data) => this._peers.left(data),
    producerClosed: (data) => this.#onProducerClosed(data),
    producerScore: (data) => this._media.scored(data),
    consumerClosed: (data) => this._peers.consumerClosed(data),
    consumerPaused: (data) => this._peers.consumerPaused(data),
    consumerResumed: (data) => this._peers.consumerResumed(data),
    consumerLayersChanged: (data) => this._peers.layersChanged(data),
    consumerScore: (data) => this._peers.consumerScore(data),
    dataConsumerClosed: (data) => this._data.closedByServer(data),
    activeSpeaker: (data) => this._peers.activeSpeakerChanged(data.peerId),
    audioLevels: (data) =>
      this._emit(
        'audiolevels',
        data.volumes.map((level) => ({ ...level, peer: this._peers.get(level.peerId) })),
      ),
    transportClosed: (data) => this.#onTransportClosed(data.transportId),
    roomClosed: (data) => this.#onRoomClosed(data.reason),
  };

  /**
   * The server closed one of our producers. Not when the room went away
   * (worker died): the server says only `roomClosed` then, and the rejoin
   * publishes the same tracks again.
   */
  #onProducerClosed(data: NotificationData<ServerNotifications, 'producerClosed'>): void {
    if (!this.#recovery) this._media.closedByServer(data);
  }

  /**
   * The one place where a lost signaling channel is handled: with
   * `reconnect` on (the default) the room goes `reconnecting` and resumes
   * its session (or rejoins); media keeps flowing meanwhile.
   */
  #onSignalingLost(session: SignalingSession, error: RoomError): void {
    const joined = this._joined;
    if (joined?.session !== session) return;
    const state = this.#state.state;
    if (state === 'reconnecting') return; // the attempt under way notices it
    if (state === 'connected' && this.#recoveryOptions.reconnect) {
      this.#recover(joined.resume ? 'resume' : 'rejoin', error);
      return;
    }
    this.#teardown();
    if (state !== 'connected') return; // join() reports it
    this._reportError(error);
    this.#state.set('disconnected');
  }

  /** A transport is gone for good (closed by the server, ICE beyond repair): rejoin. */
  #onTransportLost(error: RoomError): void {
    const state = this.#state.state;
    if (this.#recoveryOptions.reconnect && (state === 'connected' || state === 'reconnecting')) {
      this.#recover('rejoin', error);
      return;
    }
    this._reportError(error);
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
    const reconnector = new Reconnector(
      this.#clock,
      reconnect,
      reconnect.random,
      () => (globalThis as { navigator?: { onLine?: boolean } }).navigator?.onLine === false,
    );
    const stopWatching = watchMediaComeback({
      clock: this.#clock,
      transports: () => [this._joined?.send, this._joined?.recv],
      onBack: () => {
        logger.debug('media is arriving again: retrying now');
        reconnector.retryNow();
      },
    });
    const recovery: Recovery = { reconnector, gate, fail, mustRejoin: mode === 'rejoin' };
    this.#recovery = recovery;
    logger.warn('recovering (%s): %s', mode, cause.message);
    this.#state.set('reconnecting');
    this._emit('reconnecting', { cause });
    reconnector
      .run(
        mode,
        async (attempt, signal) => {
          await this.#reachability?.beforeAttempt(signal);
          try {
            await (attempt === 'rejoin' || recovery.mustRejoin
              ? this.#rejoin(recovery, signal)
              : this.#resume(recovery, signal));
            this.#reachability?.afterAttempt(false);
          } catch (error) {
            this.#reachability?.afterAttempt(isChannelNotOpened(error));
            throw error;
          }
        },
        cause,
      )
      .then(
        ({ attempts, afterMs }) => {
          stopWatching();
          if (this.#recovery !== recovery) return;
          this.#recovery = undefined;
          const how = recovery.kept ? 'rejoined' : 'resumed';
          logger.debug('%s after %d ms (%d attempts)', how, afterMs, attempts);
          this.#state.set('connected');
          open();
          this._emit('reconnected', { how, afterMs, attempts });
          const session = this._joined?.session;
          if (session?.ended)
            this.#onSignalingLost(session, RoomError.signalingClosed('lost again'));
        },
        (error: unknown) => {
          stopWatching();
          if (this.#recovery !== recovery) return; // left meanwhile: leave() settled it
          this.#recovery = undefined;
          recovery.fail(error);
          this.#teardown();
          this._reportError(asRoomError(error, 'reconnect'));
          this.#state.set('failed');
        },
      );
  }

  /** One resume attempt: same join, new connection; the server replays what we missed. */
  async #resume(recovery: Recovery, signal: AbortSignal): Promise<void> {
    const joined = this._joined;
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
    if (this._joined !== joined || this.#recovery !== recovery || !reconnect) {
      session.close();
      throw RoomError.reconnectCancelled();
    }
    joined.session = session;
    // Who joined meanwhile (the replay that follows says the rest, in order).
    for (const info of peers) this._peers.joined(info);
    this.#ice?.flush();
  }

  /**
   * One rejoin attempt: the old join is dropped (its tracks kept, never
   * stopped), a new one made on a new connection, and the same tracks and
   * data labels published again. Remote tracks come back as new consumers.
   */
  async #rejoin(recovery: Recovery, signal: AbortSignal): Promise<void> {
    if (!recovery.kept) {
      const labels = this._data.labels;
      if (this.#options.chat !== false && !labels.includes(CHAT_LABEL)) labels.push(CHAT_LABEL);
      recovery.kept = { media: this._media.suspend(), labels, peers: this._peers.ids };
      this._data.clear();
      this._peers.dropTracks();
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
      const failures = await this._media.republish(kept.media);
      for (const error of failures) this._reportError(asRoomError(error, 'track'));
      for (const label of kept.labels) {
        this._data.open(label).catch((error: unknown) => {
          if (this._joined === joined) this._reportError(asRoomError(error, 'chat channel'));
        });
      }
      if (!stillWanted()) throw RoomError.reconnectCancelled();
      if (joined.session.ended) throw RoomError.signalingClosed('lost again while rejoining');
    } catch (error) {
      if (joined && this._joined === joined) this.#dropJoin(false);
      throw error;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  #onTransportClosed(transportId: string): void {
    const joined = this._joined;
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
      this._media.clear();
      this._data.clear();
      joined.send?.close();
    } else {
      this._peers.clear();
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
    this._emit('roomclosed', { reason });
  }

  /**
   * Drops the current join's transports, session and ICE watch. `courtesy`:
   * tell the server we are going (when its channel still works), so the
   * others do not keep a ghost of us during the server's grace period.
   */
  #dropJoin(courtesy: boolean): void {
    const joined = this._joined;
    this._joined = undefined;
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
    this._media.clear();
    this._data.clear();
    this._peers.clear();
    this.#dropJoin(false);
  }

  /** A request on the current connection (recovery's own requests go through here too). */
  readonly #sessionRequest: Request = (method, data) => {
    const session = this._joined?.session;
    if (!session || session.ended) return Promise.reject(RoomError.notJoined(method));
    return session.request(method, data);
  };

  protected readonly _request: Request = (method, data) =>
    this.#sessionRequest(method, data).catch((error: unknown) => {
      throw error instanceof RoomError ? error : RoomError.requestFailed(method, error);
    });

  /** `connected`: runs `task` now (same task, so produce() calls batch); `reconnecting`: once back. */
  protected _whenReady<T>(task: () => Promise<T>): Promise<T> {
    const recovery = this.#recovery;
    return recovery ? recovery.gate.then(task) : task();
  }

  protected _assertJoined(what: string): void {
    const state = this.#state.state;
    if (state !== 'connected' && state !== 'reconnecting') throw RoomError.notJoined(what);
  }

  protected _reportError(error: RoomError): void {
    logger.warn('%s', error.message);
    this._emit('error', error);
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

export function asRoomError(error: unknown, what: string): RoomError {
  if (error instanceof RoomError) return error;
  return what === 'chat channel'
    ? RoomError.requestFailed('produceData', error)
    : RoomError.mediaFailed(what, error);
}
