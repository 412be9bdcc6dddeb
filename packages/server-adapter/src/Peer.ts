import { randomUUID } from 'node:crypto';
import {
  type ClientRequests,
  createServerEndpoint,
  type NotificationData,
  type PeerDevice,
  type PeerInfo,
  ProtocolError,
  parseMessage,
  type RequestData,
  type RequestUnion,
  type ResponseData,
  type ServerEndpoint,
  type ServerNotifications,
  type ServerRequests,
} from '@vroom/protocol';
import type { types } from 'mediasoup';
import { CloseCode, type Connection, type ConnectionInfo } from './Connection.js';
import { goneDuringRequest, notJoined, rateLimited, toProtocolError } from './errors.js';
import { onSettledNewPath, onVideoBackFromSilence } from './keyFrameTriggers.js';
import type { Limits } from './limits.js';
import { createLogger } from './logger.js';
import { NotificationLog } from './NotificationLog.js';
import { RateLimiter } from './RateLimiter.js';
import type { Room } from './Room.js';
import { SerialQueue } from './SerialQueue.js';
import { ServerRequestOutbox } from './ServerRequestOutbox.js';
import type { SessionRegistry } from './SessionRegistry.js';

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
  onClosed: (peer: Peer) => void;
  /** Its connection dropped and the session waits for a resume. */
  onDetached?: (peer: Peer) => void;
}

/**
 * Signs of life the liveness watch reads and writes (`performance.now()` ms).
 * Media counts every byte a transport received: RTP, RTCP, DTLS, SCTP and the
 * STUN checks browsers keep sending even when they send no media.
 */
export interface PeerLiveness {
  lastMessageAt: number;
  lastMediaAt: number;
  /** Sum of `bytesReceived` over the peer's transports at the last poll. */
  bytesReceived: number;
  /** Since when neither signaling nor media lives (undefined while either does). */
  deadSince: number | undefined;
}

/**
 * High-rate, superseded-at-once notifications: never numbered, never
 * replayed, dropped while the peer has no connection. The others carry
 * state and are numbered for replay.
 */
const EPHEMERAL_NOTIFICATIONS: ReadonlySet<string> = new Set([
  'audioLevels',
  'activeSpeaker',
  'producerScore',
  'consumerScore',
]);

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
 * `#onConnectionLost`. Lookups (`transport(id)`...) only see this peer's own objects, so naming
 * another peer's id fails exactly like naming an unknown one.
 */
export class Peer {
  readonly id = randomUUID();
  readonly connectionInfo: ConnectionInfo;
  readonly queue = new SerialQueue();
  readonly transports = new Map<string, TransportEntry>();
  readonly producers = new Map<string, types.Producer>();
  readonly consumers = new Map<string, types.Consumer>();
  readonly dataProducers = new Map<string, types.DataProducer>();
  readonly dataConsumers = new Map<string, types.DataConsumer>();
  /** Consumers the client paused itself: its `newConsumer` answer must not resume them. */
  readonly pausedByClient = new Set<string>();
  room: Room | undefined;
  /** The others have been told about this peer (peerJoined), so they must hear peerLeft. */
  announced = false;
  identity: PeerIdentity | undefined;
  rtpCapabilities: types.RtpCapabilities | undefined;
  sctpCapabilities: RequestData<ClientRequests, 'setCapabilities'>['sctpCapabilities'];

  readonly #options: PeerOptions;
  readonly #limiter: RateLimiter;
  #connection: Connection | undefined;
  #endpoint: ServerEndpoint | undefined;
  readonly #log: NotificationLog;
  readonly #outbox = new ServerRequestOutbox();
  /** join / resumeSession / restartIce: what a reconnect storm repeats. */
  readonly #reconnects: RateLimiter;
  /** Between a resume's answer and the replay: new messages wait in the log and outbox. */
  #replaying = false;
  /** A session token was issued for the current membership: a lost connection detaches. */
  #resumable = false;
  #refusedInARow = 0;
  #closed = false;
  readonly liveness: PeerLiveness;
  /** Set while tearing down on `leave`: the client asked for it, no need to tell it. */
  #quiet = false;

  constructor(options: PeerOptions) {
    this.#options = options;
    this.connectionInfo = options.connectionInfo;
    this.#limiter = new RateLimiter({
      perSecond: options.limits.requestsPerSecond,
      burst: options.limits.requestBurst,
    });
    this.#reconnects = new RateLimiter({
      perSecond: options.limits.reconnectsPerMinute / 60,
      burst: options.limits.reconnectBurst,
    });
    this.#log = new NotificationLog(options.resumeWindowMs > 0 ? options.limits.replayLogSize : 0);
    const now = performance.now();
    this.liveness = {
      lastMessageAt: now,
      lastMediaAt: now,
      bytesReceived: 0,
      deadSince: undefined,
    };
  }

  get closed(): boolean {
    return this.#closed;
  }

  get limits(): Limits {
    return this.#options.limits;
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
    return this.#reconnects.take();
  }

  /** The secret for `resumeSession` (join just succeeded); undefined when resume is off. */
  issueSessionToken(): string | undefined {
    if (this.#options.resumeWindowMs === 0) return undefined;
    this.liveness.lastMediaAt = performance.now();
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
    this.liveness.lastMessageAt = performance.now();
    this.liveness.deadSince = undefined;
    const endpoint = createServerEndpoint({
      send: (text) => connection.send(text),
      onRequest: (request) => this.queue.push(() => this.#run(request)),
      onError: (error) => log.debug('peer %s sent bad input: %s', this.id, error.message),
      maxMessageBytes: this.#options.limits.maxMessageBytes,
      requestTimeoutMs: this.#options.requestTimeoutMs,
    });
    this.#endpoint = endpoint;
    connection.onMessage((data) => {
      if (this.#connection === connection) this.#onMessage(endpoint, data);
    });
    connection.onClose(() => this.#onConnectionLost(connection));
  }

  /** The resume can replay everything after `lastSeq` (the log reaches back that far). */
  canReplay(lastSeq: number): boolean {
    return this.#log.after(lastSeq) !== undefined;
  }

  /**
   * Takes over `connection` for this session. The caller answers the resume
   * request first; right after that answer is written, the client gets the
   * numbered notifications it missed and the server requests it has not
   * answered, in the order they were first made.
   */
  resume(connection: Connection, lastSeq: number): void {
    this.attach(connection);
    const endpoint = this.#endpoint;
    if (!endpoint) return;
    this.#replaying = true;
    // setImmediate runs after the resume answer is written (see consumeRoomAfterReply).
    setImmediate(() => {
      if (this.#endpoint !== endpoint) return;
      this.#replaying = false;
      const missed = this.#log.after(lastSeq);
      if (!missed) {
        // The log overflowed during the hand-over itself: the client cannot catch up.
        this.close(undefined, 'too far behind to replay');
        return;
      }
      const requests = this.#outbox.unsent(endpoint);
      for (const notification of missed) {
        while (requests[0] && requests[0].afterSeq < notification.seq) requests.shift()?.send();
        endpoint.notify(notification.method as never, notification.data as never, notification.seq);
      }
      for (const request of requests) request.send();
      log.debug('peer %s resumed: %d notifications replayed', this.id, missed.length);
      this.#requestKeyFrames([...this.producers.keys()], true);
    });
  }

  /**
   * Asks for video key frames: for the consumers (in the other peers) of
   * `producerIds`, and with `mine` for this peer's own consumers too. After
   * an outage every frame sent meanwhile was lost and no decoder can go on
   * until the next key frame; asking at once saves the seconds browsers take
   * to ask themselves (measured: the cut client's first frame ~1.1 s after
   * the link came back without this, ~0.15 s with it; bench/recovery.ts).
   */
  #requestKeyFrames(producerIds: string[], mine: boolean): void {
    const wanted = new Set(producerIds);
    const consumers = mine ? [...this.consumers.values()] : [];
    for (const other of this.room?.others(this) ?? []) {
      for (const consumer of other.consumers.values()) {
        if (wanted.has(consumer.producerId)) consumers.push(consumer);
      }
    }
    for (const consumer of consumers) {
      if (consumer.kind !== 'video' || consumer.closed) continue;
      consumer.requestKeyFrame().catch(() => undefined); // closed meanwhile: nothing to refresh
    }
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
    this.#outbox.close();
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
  async bytesReceived(): Promise<number> {
    let total = 0;
    await Promise.all(
      [...this.transports.values()].map(async ({ transport }) => {
        try {
          for (const stat of await transport.getStats()) total += stat.bytesReceived ?? 0;
        } catch {
          // Closed meanwhile: it receives nothing more.
        }
      }),
    );
    return total;
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
    const endpoint = this.#replaying ? undefined : this.#endpoint;
    if (EPHEMERAL_NOTIFICATIONS.has(method)) {
      endpoint?.notify(method, data);
      return;
    }
    const { seq } = this.#log.append(method, data);
    endpoint?.notify(method, data, seq);
  }

  /** A server request that survives connection loss: re-sent on resume until answered. */
  request<M extends keyof ServerRequests & string>(
    method: M,
    data: RequestData<ServerRequests, M>,
  ): Promise<ResponseData<ServerRequests, M>> {
    if (this.#closed) return Promise.reject(ProtocolError.closed('the session ended'));
    const endpoint = this.#replaying ? undefined : this.#endpoint;
    return this.#outbox.request(method, data, endpoint, this.#log.seq);
  }

  // --- Lookups: only this peer's own objects --------------------------------

  transport(id: string): types.WebRtcTransport {
    const entry = this.transports.get(id);
    if (!entry) throw ProtocolError.notFound('transport', id);
    return entry.transport;
  }

  producer(id: string): types.Producer {
    const producer = this.producers.get(id);
    if (!producer) throw ProtocolError.notFound('producer', id);
    return producer;
  }

  consumer(id: string): types.Consumer {
    const consumer = this.consumers.get(id);
    if (!consumer) throw ProtocolError.notFound('consumer', id);
    return consumer;
  }

  dataProducer(id: string): types.DataProducer {
    const dataProducer = this.dataProducers.get(id);
    if (!dataProducer) throw ProtocolError.notFound('data producer', id);
    return dataProducer;
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
    transport.on('routerclose', () =>
      this.#notifyUnlessRoomGone('transportClosed', { transportId }),
    );
    onSettledNewPath(transport, () => {
      log.debug('peer %s: %s transport on a new ICE path: key frames', this.id, direction);
      if (direction === 'send') this.#requestKeyFrames([...this.producers.keys()], false);
      else this.#requestKeyFrames([], true);
    });
  }

  adoptProducer(producer: types.Producer): void {
    this.#assertAlive(producer);
    const producerId = producer.id;
    this.producers.set(producerId, producer);
    producer.observer.once('close', () => this.producers.delete(producerId));
    producer.on('transportclose', () =>
      this.#notifyUnlessRoomGone('producerClosed', { producerId }),
    );
    onVideoBackFromSilence(producer, () => this.#requestKeyFrames([producerId], false));
    producer.on('score', (score: types.ProducerScore[]) => {
      this.notify('producerScore', {
        producerId,
        score: score.map((s) => ({
          ssrc: s.ssrc,
          score: s.score,
          ...(s.rid ? { rid: s.rid } : {}),
        })),
      });
    });
  }

  adoptConsumer(consumer: types.Consumer): void {
    this.#assertAlive(consumer);
    const consumerId = consumer.id;
    this.consumers.set(consumerId, consumer);
    consumer.observer.once('close', () => {
      this.consumers.delete(consumerId);
      this.pausedByClient.delete(consumerId);
      this.#outbox.cancel(consumerId);
    });
    const closed = () => this.#notifyUnlessRoomGone('consumerClosed', { consumerId });
    consumer.on('producerclose', closed);
    consumer.on('transportclose', closed);
    consumer.on('producerpause', () => this.notify('consumerPaused', { consumerId }));
    consumer.on('producerresume', () => this.notify('consumerResumed', { consumerId }));
    consumer.on('layerschange', (layers?: types.ConsumerLayers) =>
      this.notify('consumerLayersChanged', {
        consumerId,
        spatialLayer: layers?.spatialLayer ?? null,
        temporalLayer: layers?.temporalLayer ?? null,
      }),
    );
    consumer.on('score', (score: types.ConsumerScore) =>
      this.notify('consumerScore', { consumerId, ...score }),
    );
  }

  adoptDataProducer(dataProducer: types.DataProducer): void {
    this.#assertAlive(dataProducer);
    const id = dataProducer.id;
    this.dataProducers.set(id, dataProducer);
    dataProducer.observer.once('close', () => this.dataProducers.delete(id));
  }

  adoptDataConsumer(dataConsumer: types.DataConsumer): void {
    this.#assertAlive(dataConsumer);
    const dataConsumerId = dataConsumer.id;
    this.dataConsumers.set(dataConsumerId, dataConsumer);
    dataConsumer.observer.once('close', () => {
      this.dataConsumers.delete(dataConsumerId);
      this.#outbox.cancel(dataConsumerId);
    });
    const closed = () => this.#notifyUnlessRoomGone('dataConsumerClosed', { dataConsumerId });
    dataConsumer.on('dataproducerclose', closed);
    dataConsumer.on('transportclose', closed);
  }

  /**
   * When the router is gone (its worker died, the room is closing), mediasoup
   * closes every object of the room one by one before the room's own event:
   * those closures are news of the room, which `roomClosed` tells in one go.
   * Sent one by one first, they would make clients drop tracks that the
   * rejoin after `roomClosed` must publish again.
   */
  #notifyUnlessRoomGone<M extends keyof ServerNotifications & string>(
    method: M,
    data: NotificationData<ServerNotifications, M>,
  ): void {
    if (this.room?.router.closed) return;
    this.notify(method, data);
  }

  // --- Leaving ---------------------------------------------------------------

  /**
   * Closes every mediasoup object of this peer and takes it out of its room.
   * `announce` tells the others (peerLeft); a closing room does not need it.
   */
  leaveRoom(options: { quiet: boolean; announce: boolean }): void {
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
    this.rtpCapabilities = undefined;
    this.sctpCapabilities = undefined;
    this.identity = undefined;
    this.room = undefined;
    // The token resumes this membership only; the next join issues a new one.
    this.#options.sessions.revoke(this);
    this.#resumable = false;
    this.#log.clear();
    room?.removePeer(this, { announce: options.announce && this.announced });
    this.announced = false;
  }

  /** The room is gone under this peer (worker died, server closing). */
  onRoomClosed(reason: 'workerDied' | 'closed'): void {
    this.notify('roomClosed', { reason });
    this.leaveRoom({ quiet: true, announce: false });
    // A detached session was kept for its room alone; its client must rejoin.
    if (!this.connected) this.close(undefined, `room closed (${reason}) while detached`);
  }

  /** Ends the session: leaves the room and closes the connection. */
  close(code?: number, reason?: string): void {
    if (this.#closed) return;
    this.#closed = true;
    log.debug('peer %s closed (%s)', this.id, reason ?? 'no reason');
    this.leaveRoom({ quiet: true, announce: true });
    this.#options.sessions.revoke(this);
    this.#outbox.close();
    this.#endpoint?.close();
    this.#endpoint = undefined;
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
   * The one place a lost connection lands. A joined session with a token is
   * kept (detached) for a resume; anything else ends at once.
   */
  #onConnectionLost(connection: Connection): void {
    if (this.#connection !== connection) return;
    if (!this.joined || !this.#resumable) {
      this.close(undefined, 'connection lost');
      return;
    }
    log.debug('peer %s lost its connection; session kept for a resume', this.id);
    this.#detach();
    this.#options.onDetached?.(this);
  }

  /** Unbinds the connection; server requests in flight on it wait for the next one. */
  #detach(): void {
    const endpoint = this.#endpoint;
    this.#endpoint = undefined;
    this.#connection = undefined;
    this.#replaying = false;
    endpoint?.close();
  }

  #onMessage(endpoint: ServerEndpoint, data: string | ArrayBuffer | Uint8Array): void {
    this.liveness.lastMessageAt = performance.now();
    if (this.#limiter.take()) {
      this.#refusedInARow = 0;
      const pending = endpoint.pendingCount;
      endpoint.receive(data);
      // Answers to our own requests (`newConsumer`) are not the client's
      // traffic: joining a busy room must not use up its request budget.
      if (endpoint.pendingCount < pending) this.#limiter.refund();
      return;
    }
    const parsed = parseMessage(data, this.#options.limits.maxMessageBytes);
    if (parsed.ok && parsed.message.kind === 'response') {
      if (endpoint.pendingCount > 0) endpoint.receive(data);
      return;
    }
    this.#refusedInARow++;
    if (this.#refusedInARow > this.#options.limits.floodDisconnectAfter) {
      log.warn('peer %s keeps flooding; disconnecting', this.id);
      this.close(CloseCode.PolicyViolation, 'rate limit');
      return;
    }
    if (parsed.ok && parsed.message.kind !== 'request') return;
    // Answer with the request id so the client's pending call fails at once.
    const id =
      parsed.ok && parsed.message.kind === 'request'
        ? parsed.message.id
        : parsed.ok
          ? null
          : parsed.id;
    try {
      this.#connection?.send(JSON.stringify({ id, ok: false, error: rateLimited().toPayload() }));
    } catch {
      // The connection is going away; its close event ends the peer.
    }
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
