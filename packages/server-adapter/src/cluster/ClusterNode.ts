import type { Redis } from 'ioredis';
import type * as v from 'valibot';
import { createLogger } from '../logger.js';
import type { Room } from '../Room.js';
import { SerialQueue } from '../SerialQueue.js';
import type { ServerEvents } from '../ServerEvents.js';
import { RedisBus } from './Bus.js';
import { ClusterMessenger, type Envelope } from './ClusterMessenger.js';
import { ClusterRoom } from './ClusterRoom.js';
import { clusterKeys } from './keys.js';
import { type BusMessages, busMessages } from './messages.js';
import type { MirrorHost } from './mirrorPeer.js';
import { NodeRegistry } from './NodeRegistry.js';
import { RoomDirectory } from './RoomDirectory.js';
import { connectRedis } from './redis.js';
import type { ClusterOptions, ClusterStatus, NodeInfo } from './types.js';

const log = createLogger('cluster:ClusterNode');

/** What a node needs from the server it belongs to. */
export interface ClusterHost extends MirrorHost {
  events: ServerEvents;
  room(roomId: string): Room | undefined;
  load(): { peers: number; consumers: number; cpu: number };
}

/**
 * This process as a node of the cluster: its heartbeat, the room directory,
 * the bus, and the cluster state of each of its rooms. Local peers and
 * producers are told to the room's other nodes; theirs become stand-ins and
 * pipe producers here.
 */
export class ClusterNode implements ClusterStatus {
  readonly options: Required<Omit<ClusterOptions, 'pipeListenIp'>> & { pipeListenIp: string };
  readonly registry: NodeRegistry;
  readonly directory: RoomDirectory;
  readonly messenger: ClusterMessenger;
  readonly #redis: Redis;
  readonly #bus: RedisBus;
  readonly #host: ClusterHost;
  readonly #rooms = new Map<string, { cluster: ClusterRoom; queue: SerialQueue; epoch: number }>();
  #draining = false;

  private constructor(options: ClusterNode['options'], redis: Redis, host: ClusterHost) {
    this.options = options;
    this.#redis = redis;
    this.#host = host;
    const keys = clusterKeys(options.prefix);
    this.registry = new NodeRegistry({
      redis,
      keys,
      ttlMs: options.heartbeatTtlMs,
      self: () => ({
        nodeId: options.nodeId,
        url: options.url,
        advertise: options.advertise,
        ...host.load(),
        draining: this.#draining,
      }),
    });
    this.directory = new RoomDirectory(redis, keys, options.nodeId);
    this.#bus = new RedisBus(redis);
    this.messenger = new ClusterMessenger({
      bus: this.#bus,
      keys,
      nodeId: options.nodeId,
      isAlive: (id) => this.registry.isAlive(id),
      epochOf: (roomId) => this.#rooms.get(roomId)?.epoch,
    });
  }

  static async start(options: ClusterOptions, host: ClusterHost): Promise<ClusterNode> {
    const resolved = {
      prefix: 'vroom',
      heartbeatTtlMs: 1500,
      syncTimeoutMs: 1000,
      srtp: false,
      ...options,
      pipeListenIp: options.pipeListenIp ?? options.advertise,
    };
    const redis = await connectRedis(options.redis);
    const node = new ClusterNode(resolved, redis, host);
    try {
      await node.#start();
    } catch (error) {
      redis.disconnect();
      throw error;
    }
    return node;
  }

  get nodeId(): string {
    return this.options.nodeId;
  }

  liveNodes(): NodeInfo[] {
    return [...this.registry.nodes.values()];
  }

  /** Called when a room opens here, before its first joiner is answered. */
  async attachRoom(room: Room): Promise<void> {
    const cluster = new ClusterRoom(this.#roomHost(room.id), room);
    const entry = { cluster, queue: new SerialQueue(), epoch: 0 };
    this.#rooms.set(room.id, entry);
    const peersFrom = new Set<string>();
    const synced = new Promise<void>((resolve) => {
      entry.cluster = cluster;
      this.#awaitSync.set(room.id, { from: peersFrom, resolve });
    });
    try {
      await this.messenger.joinRoom(room.id);
      await this.directory.setPresent(room.id, true);
      const ownership = await this.directory.claim(room.id);
      entry.epoch = ownership.epoch;
      if (ownership.claimed) this.#toRoom(room.id, 'owner', {});
      this.#toRoom(room.id, 'nodeHere', {});
      this.#toRoom(room.id, 'syncRequest', {});
      const others = (await this.directory.nodesOf(room.id)).filter(
        (id) => id !== this.nodeId && this.registry.isAlive(id),
      );
      for (const id of others) cluster.nodeHere(id);
      const pending = this.#awaitSync.get(room.id);
      if (pending) pending.expected = new Set(others);
      this.#checkSynced(room.id);
      await Promise.race([synced, delay(this.options.syncTimeoutMs)]);
    } catch (error) {
      // Redis unreachable: the room works on this node alone, and resyncs later.
      log.warn('room %s opened without the cluster: %s', room.id, error);
    } finally {
      this.#awaitSync.delete(room.id);
    }
  }

  async stop(): Promise<void> {
    for (const roomId of [...this.#rooms.keys()]) this.#detach(roomId);
    await this.registry.stop();
    this.#bus.close();
    this.#redis.disconnect();
  }

  // --- Internals ------------------------------------------------------------

  readonly #awaitSync = new Map<
    string,
    { from: Set<string>; expected?: Set<string>; resolve: () => void }
  >();

  #checkSynced(roomId: string): void {
    const pending = this.#awaitSync.get(roomId);
    if (pending?.expected && [...pending.expected].every((id) => pending.from.has(id))) {
      pending.resolve();
    }
  }

  async #start(): Promise<void> {
    this.#handleBus();
    await this.registry.start();
    await this.messenger.start();
    this.registry.on('nodeDown', (nodeId) => this.#nodeDown(nodeId));
    this.#redis.on('ready', () => void this.#resync());
    const { events } = this.#host;
    events.on('peerJoined', (e) => {
      const entry = this.#rooms.get(e.roomId);
      log.debug('local peerJoined %s in %s (room known: %s)', e.peerId, e.roomId, !!entry);
      if (!entry || entry.cluster.isMirror(e.peerId) || e.hidden) return;
      const peer = entry.cluster.room.peers.get(e.peerId);
      if (peer) entry.cluster.localPeerUp(peer);
    });
    events.on('peerLeft', (e) => {
      const entry = this.#rooms.get(e.roomId);
      if (!entry || entry.cluster.isMirror(e.peerId)) return;
      entry.cluster.localPeerDown(e.peerId);
      if (entry.cluster.localPeers().length === 0) this.#detach(e.roomId);
    });
    events.on('producerCreated', (e) => {
      const entry = this.#rooms.get(e.roomId);
      if (!entry || entry.cluster.isMirror(e.peerId)) return;
      const peer = entry.cluster.room.peers.get(e.peerId);
      const producer = peer?.producers.get(e.producerId);
      if (peer && producer) entry.cluster.localProducer(peer, producer);
    });
    events.on('dataProducerCreated', (e) => {
      const entry = this.#rooms.get(e.roomId);
      if (!entry || entry.cluster.isMirror(e.peerId)) return;
      const peer = entry.cluster.room.peers.get(e.peerId);
      const dataProducer = peer?.dataProducers.get(e.dataProducerId);
      if (peer && dataProducer) entry.cluster.localDataProducer(peer, dataProducer);
    });
    events.on('roomClosed', (e) => this.#detach(e.roomId));
  }

  #handleBus(): void {
    const onRoom = <K extends keyof BusMessages>(
      type: K,
      handle: (cluster: ClusterRoom, body: BusMessages[K], from: string) => unknown,
    ): void => {
      this.messenger.handle(type, {
        schema: busMessages[type] as v.GenericSchema,
        handle: (body, envelope: Envelope) => {
          const entry = envelope.roomId ? this.#rooms.get(envelope.roomId) : undefined;
          if (!entry) return;
          if (envelope.epoch !== undefined) entry.epoch = Math.max(entry.epoch, envelope.epoch);
          void entry.queue
            .push(async () => handle(entry.cluster, body as BusMessages[K], envelope.from))
            .catch((error: unknown) =>
              log.warn('%s from %s failed: %s', type, envelope.from, error),
            );
        },
      });
    };
    onRoom('owner', () => {});
    onRoom('nodeHere', (c, _b, from) => c.nodeHere(from));
    onRoom('syncRequest', (c, _b, from) => c.syncRequested(from));
    onRoom('roomState', (c, body, from) => {
      c.peersOf(from, body.peers);
      const pending = this.#awaitSync.get(c.id);
      pending?.from.add(from);
      this.#checkSynced(c.id);
    });
    onRoom('peerUp', (c, body, from) => c.peerUp(from, body));
    onRoom('peerDown', (c, body, from) => c.peerDown(from, body.peerId));
    onRoom('pipeOffer', (c, body, from) => c.pipeOffered(from, body));
    onRoom('pipeAnswer', (c, body, from) => c.pipeAnswered(from, body));
    onRoom('pipeProducer', (c, body, from) => c.pipeProducer(from, body));
    onRoom('producerPaused', (c, body, from) => c.producerState(from, body.producerId, 'paused'));
    onRoom('producerResumed', (c, body, from) => c.producerState(from, body.producerId, 'resumed'));
    onRoom('producerGone', (c, body, from) => c.producerState(from, body.producerId, 'gone'));
    onRoom('pipeDataProducer', (c, body, from) => c.pipeDataProducer(from, body));
    onRoom('dataProducerGone', (c, body, from) => c.dataProducerGone(from, body.dataProducerId));
  }

  #roomHost(roomId: string) {
    return {
      ...this.#host,
      nodeId: this.nodeId,
      listenIp: this.options.pipeListenIp,
      advertise: this.options.advertise,
      srtp: this.options.srtp,
      toNode: <K extends keyof BusMessages>(nodeId: string, type: K, body: BusMessages[K]) =>
        this.#send(this.messenger.toNode(nodeId, type, body, { roomId }), type),
      toRoom: <K extends keyof BusMessages>(type: K, body: BusMessages[K]) =>
        this.#toRoom(roomId, type, body),
    };
  }

  /** Only ownership claims carry the epoch: a stale owner's claim is dropped by the others. */
  #toRoom<K extends keyof BusMessages>(roomId: string, type: K, body: BusMessages[K]): void {
    const epoch = type === 'owner' ? this.#rooms.get(roomId)?.epoch : undefined;
    this.#send(this.messenger.toRoom(roomId, type, body, epoch || undefined), type);
  }

  #send(sending: Promise<void>, type: string): void {
    sending.catch((error: unknown) => log.warn('cannot send %s: %s', type, error));
  }

  #nodeDown(nodeId: string): void {
    for (const [roomId, entry] of this.#rooms) {
      void entry.queue.push(async () => {
        entry.cluster.nodeGone(nodeId);
        const ownership = await this.directory.claim(roomId);
        entry.epoch = Math.max(entry.epoch, ownership.epoch);
        if (ownership.claimed) {
          log.debug('room %s: took over from %s at epoch %d', roomId, nodeId, ownership.epoch);
          this.#toRoom(roomId, 'owner', {});
        }
      });
    }
  }

  /** Redis is back (maybe empty): put this node's rooms back in the directory. */
  async #resync(): Promise<void> {
    for (const [roomId, entry] of this.#rooms) {
      try {
        await this.directory.setPresent(roomId, true);
        const { owner, epoch } = await this.directory.owner(roomId);
        if (owner === undefined && entry.epoch > 0)
          await this.directory.restore(roomId, entry.epoch);
        else entry.epoch = Math.max(entry.epoch, epoch);
      } catch (error) {
        log.debug('resync of room %s failed: %s', roomId, error);
      }
    }
  }

  #detach(roomId: string): void {
    const entry = this.#rooms.get(roomId);
    if (!entry) return;
    this.#rooms.delete(roomId);
    entry.cluster.close();
    const epoch = entry.epoch;
    void (async () => {
      await this.messenger.leaveRoom(roomId);
      await this.directory.setPresent(roomId, false);
      await this.directory.release(roomId, epoch);
    })().catch((error: unknown) => log.debug('leaving room %s in Redis failed: %s', roomId, error));
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
