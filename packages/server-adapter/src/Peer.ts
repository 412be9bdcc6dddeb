import { randomUUID } from 'node:crypto';
import {
  type ClientRequests,
  createServerEndpoint,
  JOIN_SEND_TRANSPORT,
  type NotificationData,
  type PeerDevice,
  type PeerInfo,
  type PeerPermissions,
  ProtocolError,
  type RequestData,
  type RequestUnion,
  type ResponseData,
  type ServerEndpoint,
  type ServerNotifications,
  type ServerRequests,
} from '@vroom/protocol';
import type { types } from 'mediasoup';
import { CloseCode, type Connection, type ConnectionInfo } from './Connection.js';
import { goneDuringRequest, notJoined, toProtocolError } from './errors.js';
import { trackKeyFrameRequests } from './keyFramePacing.js';
import { keyFramesOnNewPath, onVideoBackFromSilence, requestKeyFrames } from './keyFrames.js';
import type { Limits } from './limits.js';
import { createLogger } from './logger.js';
import {
  notifyConsumerEvents,
  notifyDataConsumerEvents,
  notifyProducerEvents,
  notifyTransportEvents,
} from './objectNotifications.js';
import { bytesReceivedBy, PeerLiveness } from './PeerLiveness.js';
import { closeMeaning, PeerPresence } from './PeerPresence.js';
import { emitDataProducerEvents, emitProducerEvents } from './peerEvents.js';
import { defaultPermissions } from './permissions.js';
import { RequestBudget } from './RequestBudget.js';
import type { Room } from './Room.js';
import { SerialQueue } from './SerialQueue.js';
import type { PeerLeftReason, ServerEvents } from './ServerEvents.js';
import type { SessionRegistry } from './SessionRegistry.js';
import { SessionReplay } from './SessionReplay.js';

const log = createLogger('Peer');

export type TransportDirection = 'send' | 'recv';

export interface TransportEntry {
  transport: types.WebRtcTransport;
  direction: TransportDirection;
  /** `connect` was called: DTLS may still be handshaking, but a second call is a client bug. */
  connected: boolean;
}

/** What the peer needs from the server around it. */
export interface PeerOptions {
  /** Default: a new UUID. A peer mirrored from another cluster node keeps its own id. */
  id?: string;
  limits: Limits;
  connectionInfo: ConnectionInfo;
  /** Answers one validated request; runs inside the peer's serial queue. */
  handle: (peer: Peer, request: RequestUnion<ClientRequests>) => Promise<unknown>;
  /** Server requests (`newConsumer`) wait this long for the client's answer. */
  requestTimeoutMs: number;
  /** Where session tokens are issued and revoked. */
  sessions: SessionRegistry<Peer>;
  /** 0: no resume, a lost connection ends the session at once. */
  resumeWindowMs: number;
  /** How long a page that closed with `CloseCode.PageHidden` keeps its seat for a reload (default 0). */
  pageReloadGraceMs?: number;
  onClosed: (peer: Peer) => void;
  /** Where the application hears about this peer (`server.events`). */
  events: ServerEvents;
  /** Its connection dropped and the session waits for a resume. */
  onDetached?: (peer: Peer) => void;
}

/** Who the peer is in its room, set by `join`. */
export interface PeerIdentity {
  displayName: string;
  device: PeerDevice;
  appData?: Record<string, unknown>;
}

/**
 * One participant: a session and the mediasoup objects it owns. The session
 * outlives its signaling connection: when a joined peer's connection is lost
 * it is detached (kept, objects and all) until `resume()` binds a new one or
 * the liveness watch expires it. Every "connection lost" goes through
 * `#onConnectionLost`. Its concerns have their own files: `SessionReplay`
 * (numbered notifications and server requests, replayed on resume),
 * `PeerLiveness` (signs of life for the watch), `RequestBudget` (rate
 * limits), `keyFrames.ts` (when to ask for key frames) and
 * `objectNotifications.ts` (which object events the client hears). Lookups
 * (`transport(id)`...) only see this peer's own objects, so naming another
 * peer's id fails exactly like naming an unknown one.
 */
export class Peer {
  #id: string;
  readonly connectionInfo: ConnectionInfo;
  readonly queue = new SerialQueue();
  readonly transports = new Map<string, TransportEntry>();
  readonly producers = new Map<string, types.Producer>();
  readonly consumers = new Map<string, types.Consumer>();
  readonly dataProducers = new Map<string, types.DataProducer>();
  readonly dataConsumers = new Map<string, types.DataConsumer>();
  /**
   * What `JOIN_SEND_TRANSPORT` names: the send transport of this join, when
   * the join took the client's capabilities (pipelined connect / produce).
   */
  joinSendTransportId: string | undefined;
  /** Consumers the client paused itself: its `newConsumer` answer must not resume them. */
  readonly pausedByClient = new Set<string>();
  room: Room | undefined;
  /** The others have been told about this peer (peerJoined), so they must hear peerLeft. */
  announced = false;
  identity: PeerIdentity | undefined;
  /** What it may do in its room (permissions.ts), set at join, changed by the app. */
  permissions: PeerPermissions = defaultPermissions();
  rtpCapabilities: types.RtpCapabilities | undefined;
  sctpCapabilities: RequestData<ClientRequests, 'setCapabilities'>['sctpCapabilities'];

  readonly #options: PeerOptions;
  readonly #budget: RequestBudget;
  #connection: Connection | undefined;
  readonly #replay: SessionReplay;
  /** A session token was issued for the current membership: a lost connection detaches. */
  #resumable = false;
  #closed = false;
  readonly liveness = new PeerLiveness();
  /** Set while tearing down on `leave`: the client asked for it, no need to tell it. */
  #quiet = false;
  /** What the others hear about this peer's link (`peerConnectionState`). */
  readonly #presence = new PeerPresence(this);
  /** Cleared when a reload took the seat over: the peer did not leave. */
  #announceLeave = true;

  constructor(options: PeerOptions) {
    this.#id = options.id ?? randomUUID();
    this.#options = options;
    this.connectionInfo = options.connectionInfo;
    this.#budget = new RequestBudget(options.limits);
    this.#replay = new SessionReplay(options.resumeWindowMs > 0 ? options.limits.replayLogSize : 0);
  }

  get id(): string {
    return this.#id;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * A reloaded page's join takes over the seat of its previous session
   * (`join { resumeToken }`): that one ends without `peerLeft`, and this
   * one carries its id, so the others see the same peer, not a second one.
   */
  takeSeatOf(previous: Peer): void {
    if (this.joined) throw new Error('only a peer that has not joined takes a seat over');
    previous.#announceLeave = false;
    previous.close(CloseCode.SessionResumed, 'the seat was taken over by a reloaded page');
    this.#id = previous.id;
  }

  get limits(): Limits {
    return this.#options.limits;
  }

  /** The server's application events. */
  get events(): ServerEvents {
    return this.#options.events;
  }

  get joined(): boolean {
    return this.room !== undefined && !this.room.closed;
  }

  /** A signaling connection is bound to the session now. */
  get connected(): boolean {
    return this.#connection !== undefined;
  }

  /** Takes one join / resume / restartIce from this session's budget. */
  takeReconnect(): boolean {
    return this.#budget.takeReconnect();
  }

  /** The secret for `resumeSession` (join just succeeded); undefined when resume is off. */
  issueSessionToken(): string | undefined {
    if (this.#options.resumeWindowMs === 0) return undefined;
    this.liveness.mediaFromNow();
    this.#resumable = true;
    return this.#options.sessions.issue(this);
  }

  /** The room this peer is in; NOT_JOINED before `join` and after `leave`. */
  requireRoom(): Room {
    const room = this.room;
    if (!room || room.closed) throw notJoined();
    return room;
  }

  /**
   * Binds the session to a (new) connection. An older one still bound (a
   * half-open socket the server has not noticed dying) is closed.
   */
  attach(connection: Connection): void {
    if (this.#closed) throw new Error('cannot attach a connection to a closed peer');
    const stale = this.#connection;
    this.#detach();
    if (stale) {
      try {
        stale.close(CloseCode.SessionResumed, 'session resumed on another connection');
      } catch {
        // Already gone.
      }
    }
    this.#connection = connection;
    this.liveness.connected();
    const endpoint = createServerEndpoint({
      send: (text) => connection.send(text),
      onRequest: (request) => this.queue.push(() => this.#run(request)),
      onError: (error) =>
        // Our own message that cannot be written (the peer got INTERNAL) is a server bug.
        error.message.startsWith('cannot serialise')
          ? log.error('peer %s: %s', this.id, error.message)
          : log.debug('peer %s sent bad input: %s', this.id, error.message),
      maxMessageBytes: this.#options.limits.maxMessageBytes,
      requestTimeoutMs: this.#options.requestTimeoutMs,
    });
    this.#replay.bind(endpoint);
    connection.onMessage((data) => {
      if (this.#connection === connection) this.#onMessage(endpoint, data);
    });
    connection.onClose((code) => this.#onConnectionLost(connection, code));
  }

  /** The `seq` of the last numbered notification (0 before any). */
  get lastSeq(): number {
    return this.#replay.lastSeq;
  }

  /** The resume can replay everything after `lastSeq` (the log reaches back that far). */
  canReplay(lastSeq: number): boolean {
    return this.#replay.canReplay(lastSeq);
  }

  /**
   * Takes over `connection` for this session. The caller answers the resume
   * request first; right after that answer is written, the client gets the
   * numbered notifications it missed and the server requests it has not
   * answered, in the order they were first made.
   */
  resume(connection: Connection, lastSeq: number): void {
    this.attach(connection);
    this.#presence.back();
    this.#replay.replayAfter(lastSeq, {
      tooFarBehind: () => this.close(undefined, 'too far behind to replay'),
      replayed: (count) => {
        log.debug('peer %s resumed: %d notifications replayed', this.id, count);
        requestKeyFrames(this, this.producers.keys(), true);
      },
    });
    const room = this.room;
    if (room) this.events.emit('peerResumed', { roomId: room.id, peerId: this.id });
  }

  /**
   * Gives this unjoined session's connection to the session it resumes. This
   * one ends without closing the connection, and keeps its endpoint only to
   * write the answer to the resume request.
   */
  handOver(): Connection {
    const connection = this.#connection;
    if (!connection || this.joined) throw new Error('only an unjoined, connected peer hands over');
    this.#connection = undefined;
    this.#closed = true;
    this.#replay.closeRequests();
    this.#options.onClosed(this);
    return connection;
  }

  /** Treats the connection as lost (e.g. it went silent) and closes it. */
  dropConnection(code: number, reason: string): void {
    const connection = this.#connection;
    if (!connection) return;
    log.debug('peer %s: dropping its connection (%s)', this.id, reason);
    this.#onConnectionLost(connection);
    try {
      connection.close(code, reason);
    } catch {
      // Already gone.
    }
  }

  /** Bytes the peer's transports received so far (the liveness watch's media signal). */
  bytesReceived(): Promise<number> {
    return bytesReceivedBy([...this.transports.values()].map((entry) => entry.transport));
  }

  info(): PeerInfo {
    const identity = this.identity ?? { displayName: '', device: { name: 'unknown' } };
    return {
      peerId: this.id,
      displayName: identity.displayName,
      device: identity.device,
      ...(identity.appData ? { appData: identity.appData } : {}),
    };
  }

  /** State notifications are numbered and logged for replay, even with no connection. */
  notify<M extends keyof ServerNotifications & string>(
    method: M,
    data: NotificationData<ServerNotifications, M>,
  ): void {
    if (this.#quiet) return;
    this.#replay.notify(method, data);
  }

  /** A server request that survives connection loss: re-sent on resume until answered. */
  request<M extends keyof ServerRequests & string>(
    method: M,
    data: RequestData<ServerRequests, M>,
  ): Promise<ResponseData<ServerRequests, M>> {
    if (this.#closed) return Promise.reject(ProtocolError.closed('the session ended'));
    return this.#replay.request(method, data);
  }

  // --- Lookups: only this peer's own objects --------------------------------

  transport(id: string): types.WebRtcTransport {
    const real = id === JOIN_SEND_TRANSPORT ? (this.joinSendTransportId ?? id) : id;
    return own(this.transports.get(real), 'transport', id).transport;
  }

  producer(id: string): types.Producer {
    return own(this.producers.get(id), 'producer', id);
  }

  consumer(id: string): types.Consumer {
    return own(this.consumers.get(id), 'consumer', id);
  }

  dataProducer(id: string): types.DataProducer {
    return own(this.dataProducers.get(id), 'data producer', id);
  }

  /** The transport consumers go on: the first open recv transport (with SCTP for data). */
  recvTransport(options: { sctp: boolean }): types.WebRtcTransport | undefined {
    for (const { transport, direction } of this.transports.values()) {
      if (direction !== 'recv' || transport.closed) continue;
      if (options.sctp && !transport.sctpParameters) continue;
      return transport;
    }
    return undefined;
  }

  // --- Ownership: every object created for this peer goes through adopt* ----

  /**
   * Records a new transport. If the session ended while it was being created
   * (disconnect, room closed), it is closed at once: nothing half-created.
   */
  adoptTransport(transport: types.WebRtcTransport, direction: TransportDirection): void {
    this.#assertAlive(transport);
    const transportId = transport.id;
    this.transports.set(transportId, { transport, direction, connected: false });
    transport.observer.once('close', () => this.transports.delete(transportId));
    notifyTransportEvents(this, transport);
    keyFramesOnNewPath(this, transport, direction);
  }

  adoptProducer(producer: types.Producer): void {
    this.#assertAlive(producer);
    const producerId = producer.id;
    this.producers.set(producerId, producer);
    producer.observer.once('close', () => this.producers.delete(producerId));
    trackKeyFrameRequests(producer);
    onVideoBackFromSilence(producer, () => requestKeyFrames(this, [producerId], false));
    notifyProducerEvents(this, producer);
    emitProducerEvents(this, producer);
  }

  adoptConsumer(consumer: types.Consumer): void {
    this.#assertAlive(consumer);
    const consumerId = consumer.id;
    this.consumers.set(consumerId, consumer);
    consumer.observer.once('close', () => {
      this.consumers.delete(consumerId);
      this.pausedByClient.delete(consumerId);
      this.#replay.cancel(consumerId);
    });
    notifyConsumerEvents(this, consumer);
  }

  adoptDataProducer(dataProducer: types.DataProducer): void {
    this.#assertAlive(dataProducer);
    const id = dataProducer.id;
    this.dataProducers.set(id, dataProducer);
    dataProducer.observer.once('close', () => this.dataProducers.delete(id));
    emitDataProducerEvents(this, dataProducer);
  }

  adoptDataConsumer(dataConsumer: types.DataConsumer): void {
    this.#assertAlive(dataConsumer);
    const dataConsumerId = dataConsumer.id;
    this.dataConsumers.set(dataConsumerId, dataConsumer);
    dataConsumer.observer.once('close', () => {
      this.dataConsumers.delete(dataConsumerId);
      this.#replay.cancel(dataConsumerId);
    });
    notifyDataConsumerEvents(this, dataConsumer);
  }

  // --- Leaving ---------------------------------------------------------------

  /**
   * Closes every mediasoup object of this peer and takes it out of its room.
   * `announce` tells the others (peerLeft); a closing room does not need it.
   * The application hears `peerLeft` with `reason` if it heard `peerJoined`.
   */
  leaveRoom(options: { quiet: boolean; announce: boolean; reason: PeerLeftReason }): void {
    const room = this.room;
    this.#quiet = options.quiet;
    try {
      // Closing a transport closes its producers, consumers and data objects.
      for (const { transport } of [...this.transports.values()]) transport.close();
    } finally {
      this.#quiet = false;
    }
    this.transports.clear();
    this.producers.clear();
    this.consumers.clear();
    this.dataProducers.clear();
    this.dataConsumers.clear();
    this.pausedByClient.clear();
    this.joinSendTransportId = undefined;
    this.rtpCapabilities = undefined;
    this.sctpCapabilities = undefined;
    this.identity = undefined;
    this.room = undefined;
    // The token resumes this membership only; the next join issues a new one.
    this.#options.sessions.revoke(this);
    this.#resumable = false;
    this.#replay.clearLog();
    // Before removePeer, which may close the room: the app hears peerLeft, then roomClosed.
    if (room && this.announced) {
      this.events.emit('peerLeft', { roomId: room.id, peerId: this.id, reason: options.reason });
    }
    room?.removePeer(this, {
      announce: options.announce && this.announced && !this.permissions.hidden,
    });
    this.permissions = defaultPermissions();
    this.announced = false;
  }

  /** The room is gone under this peer (worker died, server closing). */
  onRoomClosed(reason: 'workerDied' | 'closed', appData?: Record<string, unknown>): void {
    this.notify('roomClosed', { reason, ...(appData ? { appData } : {}) });
    this.leaveRoom({
      quiet: true,
      announce: false,
      reason: reason === 'workerDied' ? 'workerDied' : 'roomClosed',
    });
    // A detached session was kept for its room alone; its client must rejoin.
    if (!this.connected) this.close(undefined, `room closed (${reason}) while detached`);
  }

  /**
   * Ends the session: leaves the room and closes the connection. `leftReason`
   * is what the application hears in `peerLeft`.
   */
  close(code?: number, reason?: string, leftReason: PeerLeftReason = 'sessionEnded'): void {
    if (this.#closed) return;
    this.#closed = true;
    log.debug('peer %s closed (%s)', this.id, reason ?? 'no reason');
    this.#presence.clear();
    this.leaveRoom({ quiet: true, announce: this.#announceLeave, reason: leftReason });
    this.#options.sessions.revoke(this);
    this.#replay.close();
    const connection = this.#connection;
    this.#connection = undefined;
    try {
      connection?.close(code, reason);
    } catch {
      // Already gone.
    }
    this.#options.onClosed(this);
  }

  // --- Internals --------------------------------------------------------------

  /**
   * The one place a lost connection lands. A clean close (the page closed)
   * ends the session at once; a page that may reload keeps it for
   * `pageReloadGraceMs`; a lost link keeps a joined session with a token
   * (detached) for a resume, and the others see it `reconnecting`.
   * Anything else ends at once.
   */
  #onConnectionLost(connection: Connection, code?: number): void {
    if (this.#connection !== connection) return;
    const meaning = closeMeaning(code);
    if (!this.joined || !this.#resumable || meaning === 'left') {
      if (meaning === 'left') this.close(undefined, `left (close code ${code})`, 'left');
      else this.close(undefined, 'connection lost');
      return;
    }
    this.#detach();
    if (meaning === 'pageHidden') {
      log.debug('peer %s: page hidden; seat held for a reload', this.id);
      this.#presence.pageHidden(this.#options.pageReloadGraceMs ?? 0, () => {
        if (!this.connected) this.close(undefined, 'the page did not come back');
      });
      return;
    }
    log.debug('peer %s lost its connection; session kept for a resume', this.id);
    this.#presence.lost();
    this.#options.onDetached?.(this);
    const room = this.room;
    if (room) this.events.emit('peerReconnecting', { roomId: room.id, peerId: this.id });
  }

  /** Unbinds the connection; server requests in flight on it wait for the next one. */
  #detach(): void {
    this.#connection = undefined;
    this.#replay.unbind();
  }

  #onMessage(endpoint: ServerEndpoint, data: string | ArrayBuffer | Uint8Array): void {
    this.liveness.heardMessage();
    const verdict = this.#budget.receive(endpoint, data, (text) => this.#connection?.send(text));
    if (verdict !== 'flooding') return;
    log.warn('peer %s keeps flooding; disconnecting', this.id);
    this.close(CloseCode.PolicyViolation, 'rate limit');
  }

  async #run(request: RequestUnion<ClientRequests>): Promise<unknown> {
    if (this.#closed) throw goneDuringRequest();
    try {
      return await this.#options.handle(this, request);
    } catch (error) {
      const protocolError = toProtocolError(error);
      log.debug('peer %s %s failed: %s', this.id, request.method, protocolError.message);
      throw protocolError;
    }
  }

  #assertAlive(object: { close(): void }): void {
    if (this.#closed || !this.joined) {
      object.close();
      throw goneDuringRequest();
    }
  }
}

/** A lookup's result: another peer's object is as unknown as a missing one. */
function own<T>(object: T | undefined, kind: string, id: string): T {
  if (object === undefined) throw ProtocolError.notFound(kind, id);
  return object;
}
