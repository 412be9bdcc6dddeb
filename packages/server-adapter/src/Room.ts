import {
  type NotificationData,
  type PeerInfo,
  ProtocolError,
  type ServerNotifications,
} from '@vroom/protocol';
import type { types } from 'mediasoup';
import { createLogger } from './logger.js';
import type { Peer } from './Peer.js';
import type { WorkerPool } from './WorkerPool.js';

const log = createLogger('Room');

export type RoomCloseReason = 'workerDied' | 'closed';

export interface AudioObserverOptions {
  /** ms between `audioLevels` notifications (mediasoup default 1000). */
  interval?: number;
  /** dBov below which a producer counts as silent (mediasoup default -80). */
  threshold?: number;
  maxEntries?: number;
}

export interface RoomOptions {
  id: string;
  pool: WorkerPool;
  mediaCodecs: types.RtpCodecCapability[];
  maxPeers: number;
  /** Bytes of JSON the peer list of a `join` answer may reach (`limits.peerListBytes`). */
  maxPeerListBytes: number;
  audioLevels: AudioObserverOptions | false;
  /** ms between dominant speaker checks; false to not create the observer. */
  activeSpeaker: { interval?: number } | false;
  /** Cap video consumers' layers to each downlink's estimate (layers/LayerPolicy.ts). */
  downlinkLayers: boolean;
  onClosed: (room: Room, reason: RoomCloseReason) => void;
}

/**
 * One mediasoup router and the peers in it, with observers that turn audio
 * into `audioLevels` and `activeSpeaker` notifications. It closes itself when
 * its last peer leaves, or when its worker dies.
 */
export class Room {
  readonly id: string;
  readonly router: types.Router;
  readonly worker: types.Worker;
  readonly peers = new Map<string, Peer>();
  readonly #options: RoomOptions;
  readonly #observers: types.RtpObserver[] = [];
  /** JSON bytes of each seated peer's info, and their sum. */
  readonly #infoBytes = new Map<string, number>();
  #peerListBytes = 0;
  #closed = false;

  private constructor(options: RoomOptions, router: types.Router, worker: types.Worker) {
    this.id = options.id;
    this.#options = options;
    this.router = router;
    this.worker = worker;
  }

  /** Whether video consumers get the downlink layer policy (layers/). */
  get downlinkLayers(): boolean {
    return this.#options.downlinkLayers;
  }

  static async create(options: RoomOptions): Promise<Room> {
    const { router, worker } = await options.pool.createRouter({
      mediaCodecs: options.mediaCodecs,
    });
    const room = new Room(options, router, worker);
    try {
      await room.#createObservers();
    } catch (error) {
      router.close();
      throw error;
    }
    // The worker closes its routers when it dies: tell the peers so they rejoin.
    router.on('workerclose', () => room.close('workerDied'));
    log.debug('room %s created on worker %d', room.id, room.worker.pid);
    return room;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Reserves a seat; throws LIMIT_EXCEEDED when full. Nobody is told yet. */
  /**
   * Seats the peer. `infoBytes` is the JSON size of its `PeerInfo`, which
   * every later joiner gets in its `join` answer: the sum over the room is
   * bounded so that answer stays under the client's message size limit.
   */
  addPeer(peer: Peer, infoBytes: number): void {
    if (this.peers.size >= this.#options.maxPeers) {
      throw ProtocolError.limit('peers per room', this.#options.maxPeers);
    }
    const max = this.#options.maxPeerListBytes;
    if (this.#peerListBytes + infoBytes > max) {
      throw ProtocolError.limit(
        'peer list bytes per room (smaller appData lets more peers in)',
        max,
      );
    }
    this.peers.set(peer.id, peer);
    this.#infoBytes.set(peer.id, infoBytes);
    this.#peerListBytes += infoBytes;
    this.#options.pool.addPeers(this.worker, 1);
  }

  /** Tells the others a peer has joined (once its join fully succeeded). */
  announceJoin(peer: Peer): void {
    const info = peer.info();
    // Peers still joining are not told: their own join response will list this one.
    const hidden = peer.permissions.hidden;
    for (const other of this.others(peer)) {
      if (other.announced && !hidden) other.notify('peerJoined', info);
    }
    peer.announced = true;
    peer.events.emit('peerJoined', {
      roomId: this.id,
      peerId: peer.id,
      displayName: info.displayName,
      appData: info.appData ?? {},
      hidden,
    });
  }

  /** Closes the room if nobody is in it (e.g. the only joiner vanished mid-join). */
  closeIfEmpty(): void {
    if (this.peers.size === 0) this.close('closed');
  }

  removePeer(peer: Peer, options: { announce: boolean }): void {
    if (!this.peers.delete(peer.id)) return;
    this.#peerListBytes -= this.#infoBytes.get(peer.id) ?? 0;
    this.#infoBytes.delete(peer.id);
    this.#options.pool.addPeers(this.worker, -1);
    if (options.announce) {
      for (const other of this.others(peer)) {
        if (other.announced) other.notify('peerLeft', { peerId: peer.id });
      }
    }
    if (this.peers.size === 0) this.close('closed');
  }

  /**
   * Re-measures a seated peer's info after its metadata changed; throws
   * LIMIT_EXCEEDED (and changes nothing) if the room's peer list would
   * pass its bound. `apply` makes the change once it fits.
   */
  resizePeerInfo(peer: Peer, infoBytes: number, apply: () => void): void {
    const before = this.#infoBytes.get(peer.id);
    if (before === undefined) return;
    const max = this.#options.maxPeerListBytes;
    if (this.#peerListBytes - before + infoBytes > max) {
      throw ProtocolError.limit('peer list bytes per room', max);
    }
    this.#infoBytes.set(peer.id, infoBytes);
    this.#peerListBytes += infoBytes - before;
    apply();
  }

  others(peer: Peer): Peer[] {
    return [...this.peers.values()].filter((other) => other !== peer);
  }

  peerInfos(except: Peer): PeerInfo[] {
    return this.others(except)
      .filter((other) => other.announced && !other.permissions.hidden)
      .map((other) => other.info());
  }

  /** Audio producers feed the level and speaker observers. */
  async observeAudio(producer: types.Producer): Promise<void> {
    for (const observer of this.#observers) {
      try {
        await observer.addProducer({ producerId: producer.id });
      } catch (error) {
        // The producer may have closed meanwhile; nothing to observe then.
        log.debug('cannot observe producer %s: %s', producer.id, error);
      }
    }
  }

  /** `appData` travels in `roomClosed` (e.g. a moderator's reason). */
  close(reason: RoomCloseReason, appData?: Record<string, unknown>): void {
    if (this.#closed) return;
    this.#closed = true;
    log.debug('room %s closed (%s)', this.id, reason);
    // Each peer leaves through removePeer, which keeps the pool's load count right.
    for (const peer of [...this.peers.values()]) peer.onRoomClosed(reason, appData);
    this.router.close();
    this.#options.onClosed(this, reason);
  }

  async #createObservers(): Promise<void> {
    const { audioLevels, activeSpeaker } = this.#options;
    if (audioLevels) {
      const observer = await this.router.createAudioLevelObserver(definedOnly(audioLevels));
      observer.on('volumes', (volumes: types.AudioLevelObserverVolume[]) =>
        this.#broadcast('audioLevels', {
          volumes: volumes.map(({ producer, volume }) => ({
            peerId: ownerOf(producer),
            producerId: producer.id,
            volume,
          })),
        }),
      );
      observer.on('silence', () => this.#broadcast('audioLevels', { volumes: [] }));
      this.#observers.push(observer);
    }
    if (activeSpeaker) {
      const observer = await this.router.createActiveSpeakerObserver(definedOnly(activeSpeaker));
      observer.on('dominantspeaker', ({ producer }: types.ActiveSpeakerObserverActivity) =>
        this.#broadcast('activeSpeaker', { peerId: ownerOf(producer), producerId: producer.id }),
      );
      this.#observers.push(observer);
    }
  }

  #broadcast<M extends 'audioLevels' | 'activeSpeaker'>(
    method: M,
    data: NotificationData<ServerNotifications, M>,
  ): void {
    for (const peer of this.peers.values()) peer.notify(method, data);
  }
}

/** Producers carry their owner's peer id in appData (set in `produce`). */
export function ownerOf(producer: { appData: unknown }): string {
  const appData = producer.appData as { peerId?: unknown } | undefined;
  return typeof appData?.peerId === 'string' ? appData.peerId : '';
}

function definedOnly<T extends object>(options: T): T {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as T;
}
