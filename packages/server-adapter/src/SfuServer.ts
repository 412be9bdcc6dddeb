import { type PeerPermissions, ProtocolError } from '@vroom/protocol';
import type { types } from 'mediasoup';
import { AddressLimiter } from './AddressLimiter.js';
import { CloseCode, type Connection, type ConnectionInfo } from './Connection.js';
import { ConnectionAdmission } from './ConnectionAdmission.js';
import { guardConnection } from './ConnectionGuard.js';
import { ClusterNode } from './cluster/ClusterNode.js';
import type { ClusterOptions, ClusterStatus } from './cluster/types.js';
import { defaultMediaCodecs } from './codecs.js';
import { LivenessWatch } from './LivenessWatch.js';
import { type Limits, resolveLimits } from './limits.js';
import { createLogger } from './logger.js';
import { openFilesLimit } from './openFilesLimit.js';
import { Peer, type PeerIdentity } from './Peer.js';
import { changePermissions } from './permissions.js';
import { type RequestObserver, RequestObservers } from './RequestObservers.js';
import { type AudioObserverOptions, Room } from './Room.js';
import { dispatch } from './requests/index.js';
import type { AuthorizeHook, ServerContext, WebRtcTransportSettings } from './requests/types.js';

/** Answers one application request (see `serveAppMessages`). */
export type AppRequestHandler = (peer: Peer, method: string, data: unknown) => Promise<unknown>;

import { ServerEvents } from './ServerEvents.js';
import { SessionRegistry } from './SessionRegistry.js';
import { seatServerPeer } from './serverPeer.js';
import { resolveSessionOptions, type SessionOptions } from './sessionOptions.js';
import { SERVER_TIMING } from './timing.js';
import { WorkerPool, type WorkerSettings } from './WorkerPool.js';

const log = createLogger('SfuServer');

export interface SfuServerOptions {
  /** Worker processes; default one per core (`os.availableParallelism()`). */
  workers?: number;
  workerSettings?: WorkerSettings;
  /** Router codecs; default `defaultMediaCodecs()`. */
  mediaCodecs?: types.RtpCodecCapability[];
  webRtcTransport?: Partial<WebRtcTransportSettings>;
  limits?: Partial<Limits>;
  /** Accepts or refuses each join (JOIN_REFUSED); default: everyone may join. */
  authorize?: AuthorizeHook;
  /** `audioLevels` notifications; false to disable. Default interval 800 ms. */
  audioLevels?: AudioObserverOptions | false;
  /** `activeSpeaker` notifications; false to disable. */
  activeSpeaker?: { interval?: number } | false;
  /** How long `newConsumer` waits for the client's answer on a live connection; default 15 s. */
  serverRequestTimeoutMs?: number;
  /** Session resume and dead-peer detection timings (see `SessionOptions`). */
  session?: Partial<SessionOptions>;
  /** Run as one node of a cluster on Redis (see the README's "Cluster"); default: alone. */
  cluster?: ClusterOptions;
  /**
   * Video consumers' layers follow each receiver's downlink estimate with
   * headroom and hysteresis (layers/, see the README, "Bad networks").
   * Default false (the worker alone chooses): on the shared test machine
   * the policy has not yet measured better than the worker (README figures).
   */
  downlinkLayers?: boolean;
}

/** What tests and dashboards may look at. Read-only views of live objects. */
export interface RoomView {
  id: string;
  router: types.Router;
  worker: types.Worker;
  peers: Peer[];
}

/**
 * Rooms of peers on a pool of mediasoup workers, speaking @vroom/protocol
 * over any `Connection`.
 */
export class SfuServer {
  readonly pool: WorkerPool;
  /** Typed events for the application: rooms, peers, producers, workers (see `ServerEventMap`). */
  readonly events = new ServerEvents();
  readonly #context: ServerContext;
  readonly #options: SfuServerOptions;
  readonly #rooms = new Map<string, Room>();
  readonly #opening = new Map<string, Promise<Room>>();
  readonly #peers = new Set<Peer>();
  readonly #mediaCodecs: types.RtpCodecCapability[];
  readonly #session: SessionOptions;
  readonly #watch: LivenessWatch;
  readonly #admission: ConnectionAdmission;
  readonly #requestObservers = new RequestObservers();
  #appRequest: AppRequestHandler | undefined;
  #closed = false;
  #cluster: ClusterNode | undefined;

  private constructor(
    pool: WorkerPool,
    options: SfuServerOptions,
    limits: Limits,
    session: SessionOptions,
  ) {
    this.pool = pool;
    this.#options = options;
    this.#session = session;
    this.#mediaCodecs = options.mediaCodecs ?? defaultMediaCodecs();
    this.#admission = new ConnectionAdmission(limits);
    const addresses = new AddressLimiter({
      perSecond: limits.joinsPerAddressPerMinute / 60,
      burst: limits.joinsPerAddressBurst,
    });
    this.#context = {
      limits,
      sessions: new SessionRegistry<Peer>(),
      resumeWindowMs: session.resumeWindowMs,
      admitFromAddress: (peer) => addresses.take(peer.connectionInfo.remoteAddress),
      webRtcTransport: {
        listenIps: [{ ip: '127.0.0.1' }],
        enableUdp: true,
        enableTcp: true,
        preferUdp: true,
        ...options.webRtcTransport,
      },
      authorize: options.authorize,
      openRoom: (roomId) => this.#openRoom(roomId),
      appRequest: (peer, method, data) => {
        if (!this.#appRequest) return Promise.reject(ProtocolError.unknownMethod(method));
        return this.#appRequest(peer, method, data);
      },
      pool,
    };
    this.#watch = new LivenessWatch(
      session,
      () => this.#peers,
      () => addresses.prune(),
    );
    this.#watch.start();
    pool.on('workerDied', (worker, error) =>
      this.events.emit('workerDied', { pid: worker.pid, error }),
    );
  }

  static async create(options: SfuServerOptions = {}): Promise<SfuServer> {
    const limits = resolveLimits(options.limits);
    reportOpenFilesLimit(limits);
    const session = resolveSessionOptions(options.session);
    const pool = await WorkerPool.create({
      ...(options.workers !== undefined ? { size: options.workers } : {}),
      ...(options.workerSettings ? { settings: options.workerSettings } : {}),
    });
    const server = new SfuServer(pool, options, limits, session);
    if (options.cluster) {
      try {
        server.#cluster = await ClusterNode.start(options.cluster, {
          limits,
          sessions: server.#context.sessions,
          events: server.events,
          room: (roomId) => server.#rooms.get(roomId),
          load: () => ({ peers: server.#peers.size, consumers: 0, cpu: 0 }),
        });
      } catch (error) {
        server.close();
        throw error;
      }
    }
    return server;
  }

  /** This server as a cluster node (`options.cluster`), or undefined when alone. */
  get cluster(): ClusterStatus | undefined {
    return this.#cluster;
  }

  get limits(): Limits {
    return this.#context.limits;
  }

  /**
   * Serves one signaling connection: it becomes a peer session until it
   * closes. A connection over `maxConnections` or `connectionsPerAddress` is
   * closed at once (1013 / 4005); the others are guarded (ConnectionGuard).
   */
  handleConnection(connection: Connection, connectionInfo: ConnectionInfo = {}): Peer {
    const admission = this.#admission.admit(connectionInfo.remoteAddress);
    const guarded = guardConnection(connection, {
      limits: this.#context.limits,
      // Joined, or closed: a session that handed its connection to the one it
      // resumed is closed, and that one is joined.
      admitted: () => peer.joined || peer.closed,
      ...(admission.admitted ? { onClosed: admission.release } : {}),
    });
    const peer = new Peer({
      limits: this.#context.limits,
      connectionInfo,
      requestTimeoutMs:
        this.#options.serverRequestTimeoutMs ?? SERVER_TIMING.serverRequestTimeoutMs,
      sessions: this.#context.sessions,
      resumeWindowMs: this.#session.resumeWindowMs,
      pageReloadGraceMs: this.#session.pageReloadGraceMs,
      handle: (p, request) =>
        this.#requestObservers.run(request.method, () => dispatch(p, request, this.#context)),
      onClosed: (p) => this.#peers.delete(p),
      onDetached: (p) => this.#watch.watchClosely(p),
      events: this.events,
    });
    this.#peers.add(peer);
    peer.attach(guarded);
    if (!admission.admitted) {
      log.warn('connection from %s refused: %s', connectionInfo.remoteAddress, admission.reason);
      peer.close(admission.code, admission.reason);
    } else if (this.#closed) peer.close(CloseCode.GoingAway, 'server closed');
    return peer;
  }

  /** Open signaling connections (`limits.maxConnections` bounds it). */
  get connectionCount(): number {
    return this.#admission.total;
  }

  rooms(): RoomView[] {
    return [...this.#rooms.values()].map((room) => ({
      id: room.id,
      router: room.router,
      worker: room.worker,
      peers: [...room.peers.values()],
    }));
  }

  room(roomId: string): RoomView | undefined {
    return this.rooms().find((room) => room.id === roomId);
  }

  /**
   * The live room itself, for the adapter's own modules (`src/admin/`) that
   * act on rooms; apps use `rooms()` / `room()` or the admin API.
   * @internal
   */
  liveRoom(roomId: string): Room | undefined {
    const room = this.#rooms.get(roomId);
    return room && !room.closed ? room : undefined;
  }

  /**
   * Calls `observer` when each client request settles (metrics); returns
   * the function that stops it. Errors it throws are logged and ignored.
   */
  observeRequests(observer: RequestObserver): () => void {
    return this.#requestObservers.add(observer);
  }

  /**
   * Where `appRequest`s go; one handler per server (`serveAppMessages` sets it).
   * Throws if one is set already.
   */
  setAppRequestHandler(handler: AppRequestHandler): void {
    if (this.#appRequest) throw new Error('an app request handler is set already: one per server');
    this.#appRequest = handler;
  }

  /** A joined peer of a room; NOT_FOUND (ProtocolError) if there is none. */
  peer(roomId: string, peerId: string): Peer {
    const peer = this.#rooms.get(roomId)?.peers.get(peerId);
    if (!peer) throw ProtocolError.notFound(`peer in room "${roomId}"`, peerId);
    return peer;
  }

  /**
   * Changes a joined peer's permissions now (see `permissions.ts`): what is no
   * longer allowed closes, and the peer is told. Returns the new permissions;
   * NOT_FOUND for an unknown peer, INVALID_DATA for a bad patch.
   */
  setPermissions(roomId: string, peerId: string, patch: Partial<PeerPermissions>): PeerPermissions {
    return changePermissions(this.peer(roomId, peerId), patch);
  }

  /** The session settings in force (defaults filled in). */
  get session(): Readonly<SessionOptions> {
    return this.#session;
  }

  /** Sessions open now, joined or not, connected or kept for a resume. */
  get peerCount(): number {
    return this.#peers.size;
  }

  /**
   * Seats a participant that lives on the server (an ingest, a data voice):
   * a peer with no signaling connection, announced like any joiner. Apps use
   * `ServerParticipant.join` (`@vroom/server-adapter/media`), which wraps it.
   */
  seatServerPeer(
    roomId: string,
    identity: PeerIdentity,
    onClosed: (peer: Peer) => void,
  ): Promise<Peer> {
    if (this.#closed) return Promise.reject(ProtocolError.closed('the server is closed'));
    const host = {
      limits: this.#context.limits,
      sessions: this.#context.sessions,
      events: this.events,
      openRoom: (id: string) => this.#openRoom(id),
    };
    return seatServerPeer(host, roomId, identity, onClosed);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#watch.stop();
    // Rooms first, so their peers hear `roomClosed` before their connections close.
    for (const room of [...this.#rooms.values()]) room.close('closed');
    for (const peer of [...this.#peers]) peer.close(CloseCode.GoingAway, 'server closed');
    void this.#cluster?.stop();
    this.pool.close();
  }

  async #openRoom(roomId: string): Promise<Room> {
    const open = this.#rooms.get(roomId);
    if (open && !open.closed) return open;
    let opening = this.#opening.get(roomId);
    if (!opening) {
      opening = Room.create({
        id: roomId,
        pool: this.pool,
        mediaCodecs: this.#mediaCodecs,
        maxPeers: this.#context.limits.peersPerRoom,
        maxPeerListBytes: this.#context.limits.peerListBytes,
        audioLevels: this.#options.audioLevels ?? { interval: 800 },
        activeSpeaker: this.#options.activeSpeaker ?? {},
        downlinkLayers: this.#options.downlinkLayers ?? false,
        onClosed: (room, reason) => {
          if (this.#rooms.get(room.id) === room) this.#rooms.delete(room.id);
          this.events.emit('roomClosed', { roomId: room.id, reason });
        },
      })
        // In a cluster the first joiner's answer lists the other nodes' peers too.
        .then(async (room) => {
          await this.#cluster?.attachRoom(room);
          return room;
        })
        .finally(() => this.#opening.delete(roomId));
      this.#opening.set(roomId, opening);
      const room = await opening;
      if (!room.closed) {
        this.#rooms.set(roomId, room);
        this.events.emit('roomCreated', { roomId });
      }
      log.debug('room %s open', roomId);
      return room;
    }
    return opening;
  }
}

/**
 * Says what the open-files limit allows: Node cannot raise it, and the
 * workers inherit it, so a low one is the launcher's to fix.
 */
function reportOpenFilesLimit(limits: Limits): void {
  const fds = openFilesLimit();
  const sized = `maxConnections ${limits.maxConnections}, peersPerServer ${limits.peersPerServer}, transportsPerWorker ${limits.transportsPerWorker}`;
  if (!fds) {
    log.debug('open-files limit unknown; %s', sized);
  } else if (fds.soft < 4096) {
    log.warn(
      'open-files limit is %d (hard %d): raise it before starting (ulimit -n %d); %s',
      fds.soft,
      fds.hard,
      fds.hard,
      sized,
    );
  } else {
    log.debug('open-files limit %d (hard %d); %s', fds.soft, fds.hard, sized);
  }
}

export async function createSfuServer(options: SfuServerOptions = {}): Promise<SfuServer> {
  return SfuServer.create(options);
}
