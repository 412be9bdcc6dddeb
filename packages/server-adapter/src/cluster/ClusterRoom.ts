import type { PeerInfo } from '@vroom/protocol';
import type { types } from 'mediasoup';
import { createLogger } from '../logger.js';
import type { Peer } from '../Peer.js';
import type { Room } from '../Room.js';
import { fanOutDataProducer, fanOutProducer } from '../subscribe.js';
import type { BusMessages } from './messages.js';
import { type MirrorHost, seatMirrorPeer } from './mirrorPeer.js';
import { PipeLink } from './PipeLink.js';

const log = createLogger('cluster:ClusterRoom');

/** What a room's cluster state needs from its node. */
export interface ClusterRoomHost extends MirrorHost {
  nodeId: string;
  listenIp: string;
  advertise: string;
  srtp: boolean;
  toNode<K extends keyof BusMessages>(nodeId: string, type: K, body: BusMessages[K]): void;
  toRoom<K extends keyof BusMessages>(type: K, body: BusMessages[K]): void;
}

/**
 * One room as this node sees it in a cluster: its local `Room` (router,
 * local peers), a stand-in for every peer of the other nodes, and one
 * `PipeLink` per other node carrying media both ways. Every producer of a
 * local peer is piped to each other node of the room, once.
 */
export class ClusterRoom {
  readonly room: Room;
  readonly #host: ClusterRoomHost;
  readonly #links = new Map<string, Promise<PipeLink | undefined>>();
  /** Stand-ins of other nodes' peers, with the node each lives on. */
  readonly #mirrors = new Map<string, { peer: Peer; nodeId: string }>();
  #closed = false;

  constructor(host: ClusterRoomHost, room: Room) {
    this.#host = host;
    this.room = room;
  }

  get id(): string {
    return this.room.id;
  }

  isMirror(peerId: string): boolean {
    return this.#mirrors.has(peerId);
  }

  /** Peers connected to this node (not the stand-ins). */
  localPeers(): Peer[] {
    return [...this.room.peers.values()].filter((p) => !this.#mirrors.has(p.id));
  }

  linkedNodes(): string[] {
    return [...this.#links.keys()];
  }

  // --- Local activity, told to the other nodes -------------------------------

  localPeerUp(peer: Peer): void {
    this.#host.toRoom('peerUp', peer.info());
  }

  localPeerDown(peerId: string): void {
    this.#host.toRoom('peerDown', { peerId });
  }

  localProducer(owner: Peer, producer: types.Producer): void {
    for (const [nodeId, link] of this.#links) {
      void link.then((l) => (l?.connected ? this.#pipeOut(nodeId, l, owner, producer) : undefined));
    }
  }

  localDataProducer(owner: Peer, dataProducer: types.DataProducer): void {
    for (const [nodeId, link] of this.#links) {
      void link.then((l) =>
        l?.connected ? this.#pipeDataOut(nodeId, l, owner, dataProducer) : undefined,
      );
    }
  }

  // --- The other nodes ------------------------------------------------------

  /** A node (now) has peers of this room: the smaller id makes the pipe. */
  nodeHere(nodeId: string): void {
    if (this.#host.nodeId < nodeId && !this.#links.has(nodeId)) this.#offer(nodeId);
  }

  syncRequested(from: string): void {
    log.debug(
      'room %s: state for %s: local %o, mirrors %o',
      this.id,
      from,
      this.localPeers().map((p) => `${p.id}${p.announced ? '' : ' (not announced)'}`),
      [...this.#mirrors.keys()],
    );
    this.#host.toNode(from, 'roomState', {
      peers: this.localPeers()
        .filter((p) => p.announced)
        .map((p) => p.info()),
    });
  }

  peersOf(nodeId: string, peers: PeerInfo[]): void {
    for (const info of peers) this.peerUp(nodeId, info);
  }

  peerUp(nodeId: string, info: PeerInfo): void {
    log.debug('room %s: peer %s of node %s', this.id, info.peerId, nodeId);
    if (this.#closed || this.room.closed || this.room.peers.has(info.peerId)) return;
    try {
      const peer = seatMirrorPeer(this.#host, this.room, info);
      this.#mirrors.set(info.peerId, { peer, nodeId });
    } catch (error) {
      log.warn('cannot seat peer %s of node %s: %s', info.peerId, nodeId, error);
    }
  }

  peerDown(nodeId: string, peerId: string): void {
    const mirror = this.#mirrors.get(peerId);
    if (!mirror || mirror.nodeId !== nodeId) return;
    this.#mirrors.delete(peerId);
    mirror.peer.close(undefined, `left on node ${nodeId}`, 'left');
  }

  async pipeOffered(nodeId: string, remote: BusMessages['pipeOffer']): Promise<void> {
    if (this.#links.has(nodeId)) {
      log.warn('node %s offered a second pipe for room %s; ignored', nodeId, this.id);
      return;
    }
    const link = this.#createLink(nodeId);
    const l = await link;
    if (!l) return;
    await l.connect(remote);
    this.#host.toNode(nodeId, 'pipeAnswer', l.address());
    this.#pipeAllOut(nodeId, l);
  }

  async pipeAnswered(nodeId: string, remote: BusMessages['pipeAnswer']): Promise<void> {
    const l = await this.#links.get(nodeId);
    if (!l || l.connected) return;
    await l.connect(remote);
    this.#pipeAllOut(nodeId, l);
  }

  async pipeProducer(nodeId: string, body: BusMessages['pipeProducer']): Promise<void> {
    const mirror = this.#mirrors.get(body.peerId);
    const l = await this.#links.get(nodeId);
    if (!mirror || mirror.nodeId !== nodeId || !l) {
      log.warn('pipe producer %s from %s: unknown peer or link; dropped', body.producerId, nodeId);
      return;
    }
    if (this.room.router.closed) return;
    const producer = await l.receiveProducer(body);
    if (mirror.peer.closed) {
      producer.close();
      return;
    }
    mirror.peer.adoptProducer(producer);
    if (producer.kind === 'audio') void this.room.observeAudio(producer);
    fanOutProducer(mirror.peer, producer);
  }

  async pipeDataProducer(nodeId: string, body: BusMessages['pipeDataProducer']): Promise<void> {
    const mirror = this.#mirrors.get(body.peerId);
    const l = await this.#links.get(nodeId);
    if (!mirror || mirror.nodeId !== nodeId || !l || this.room.router.closed) return;
    const dataProducer = await l.receiveDataProducer(body);
    if (mirror.peer.closed) {
      dataProducer.close();
      return;
    }
    mirror.peer.adoptDataProducer(dataProducer);
    fanOutDataProducer(mirror.peer, dataProducer);
  }

  dataProducerGone(nodeId: string, dataProducerId: string): void {
    const mirror = [...this.#mirrors.values()].find((m) =>
      m.peer.dataProducers.has(dataProducerId),
    );
    if (mirror?.nodeId === nodeId) mirror.peer.dataProducers.get(dataProducerId)?.close();
  }

  async producerState(nodeId: string, producerId: string, state: 'paused' | 'resumed' | 'gone') {
    const producer = this.#mirroredProducer(nodeId, producerId);
    if (!producer) return;
    if (state === 'gone') producer.close();
    else if (state === 'paused') await producer.pause();
    else await producer.resume();
  }

  /** A node died or left the room: its pipe and its peers go. */
  nodeGone(nodeId: string): void {
    for (const [peerId, mirror] of [...this.#mirrors]) {
      if (mirror.nodeId === nodeId) this.peerDown(nodeId, peerId);
    }
    const link = this.#links.get(nodeId);
    this.#links.delete(nodeId);
    void link?.then((l) => l?.close());
  }

  /** This node has no peer of the room left: stand-ins and pipes go, the room closes. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const nodeId of [...this.#links.keys()]) this.nodeGone(nodeId);
    for (const [peerId, mirror] of [...this.#mirrors]) this.peerDown(mirror.nodeId, peerId);
    this.room.closeIfEmpty();
  }

  #offer(nodeId: string): void {
    const link = this.#createLink(nodeId);
    void link.then((l) => l && this.#host.toNode(nodeId, 'pipeOffer', l.address()));
  }

  #createLink(nodeId: string): Promise<PipeLink | undefined> {
    const link = PipeLink.create({
      router: this.room.router,
      listenIp: this.#host.listenIp,
      advertise: this.#host.advertise,
      srtp: this.#host.srtp,
      send: (type, body) => this.#host.toNode(nodeId, type, body),
    }).then(
      (l) => {
        // The node left, or the room closed, while the transport was made.
        if (this.#links.get(nodeId) !== link || this.#closed) {
          l.close();
          return undefined;
        }
        return l;
      },
      (error: unknown) => {
        log.error('cannot make a pipe to node %s for room %s: %s', nodeId, this.id, error);
        if (this.#links.get(nodeId) === link) this.#links.delete(nodeId);
        return undefined;
      },
    );
    this.#links.set(nodeId, link);
    return link;
  }

  #pipeAllOut(nodeId: string, link: PipeLink): void {
    for (const peer of this.localPeers()) {
      for (const producer of peer.producers.values()) this.#pipeOut(nodeId, link, peer, producer);
      for (const dataProducer of peer.dataProducers.values()) {
        this.#pipeDataOut(nodeId, link, peer, dataProducer);
      }
    }
  }

  #pipeDataOut(
    nodeId: string,
    link: PipeLink,
    owner: Peer,
    dataProducer: types.DataProducer,
  ): void {
    link.sendDataProducer(dataProducer, owner.id).then(
      (body) => body && this.#host.toNode(nodeId, 'pipeDataProducer', body),
      (error: unknown) =>
        log.warn('cannot pipe data producer %s to %s: %s', dataProducer.id, nodeId, error),
    );
  }

  #pipeOut(nodeId: string, link: PipeLink, owner: Peer, producer: types.Producer): void {
    link.sendProducer(producer, owner.id).then(
      (body) => body && this.#host.toNode(nodeId, 'pipeProducer', body),
      (error: unknown) => log.warn('cannot pipe producer %s to %s: %s', producer.id, nodeId, error),
    );
  }

  #mirroredProducer(nodeId: string, producerId: string): types.Producer | undefined {
    for (const { peer, nodeId: owner } of this.#mirrors.values()) {
      const producer = peer.producers.get(producerId);
      if (producer) return owner === nodeId ? producer : undefined;
    }
    return undefined;
  }
}
