import type {
  NotificationData,
  PeerInfo,
  RequestData,
  ServerNotifications,
  ServerRequests,
} from '@vroom/protocol';
import type { Consumer } from '../Consumer.js';
import { Logger } from '../Logger.js';
import type { RtpParameters } from '../RtpParameters.js';
import type { Transport } from '../Transport.js';
import type { Emit, TrackEvent } from './events.js';
import { RemotePeer, RemoteTrack } from './RemotePeer.js';

const logger = new Logger('room:RemotePeers');

type Notification<M extends keyof ServerNotifications> = NotificationData<ServerNotifications, M>;

/** What happened to a consumer while `transport.consume()` was still running. */
type PendingConsumer = {
  peerId: string;
  closed: boolean;
  producerPaused: boolean;
  /** Settles when the consumer is ready (or failed): a re-sent request waits for it. */
  done?: Promise<void>;
};

/**
 * The other peers and the tracks we receive from them: turns the server's
 * `newConsumer` requests and consumer / peer notifications into room events.
 */
export class RemotePeers {
  readonly #emit: Emit;
  readonly #peers = new Map<string, RemotePeer>();
  readonly #tracks = new Map<string, RemoteTrack>();
  readonly #pending = new Map<string, PendingConsumer>();
  #activeSpeaker: string | null = null;
  /** The last speaker the server named (it says nothing when they fall silent). */
  #dominant: string | null = null;
  /** Level reports in a row without the active speaker in them. */
  #quietReports = 0;

  constructor(emit: Emit) {
    this.#emit = emit;
  }

  get list(): RemotePeer[] {
    return [...this.#peers.values()];
  }

  get activeSpeaker(): string | null {
    return this.#activeSpeaker;
  }

  get(peerId: string): RemotePeer | undefined {
    return this.#peers.get(peerId);
  }

  track(consumerId: string): RemoteTrack | undefined {
    return this.#tracks.get(consumerId);
  }

  joined(info: PeerInfo): RemotePeer {
    const known = this.#peers.get(info.peerId);
    if (known) {
      // The same peer again: a reloaded page took its seat back. One tile, now live.
      this.connectionStateChanged({ peerId: known.id, state: 'connected' });
      return known;
    }
    const peer = new RemotePeer(info);
    this.#peers.set(peer.id, peer);
    this.#emit('peerjoined', peer);
    return peer;
  }

  left({ peerId }: Notification<'peerLeft'>): void {
    const peer = this.#peers.get(peerId);
    for (const pending of this.#pending.values())
      if (pending.peerId === peerId) pending.closed = true;
    if (!peer) return;
    for (const track of peer.tracks) this.#removeTrack(track);
    for (const dataConsumer of peer.dataConsumers) dataConsumer.close();
    this.#peers.delete(peerId);
    if (this.#activeSpeaker === peerId) this.activeSpeakerChanged(null);
    this.#emit('peerleft', peer);
  }

  /**
   * Answers `newConsumer`: creates the consumer on the recv transport, then
   * resolves (the server resumes it once answered). Throws if it cannot, so
   * the server closes its side.
   */
  consume(transport: Transport, data: RequestData<ServerRequests, 'newConsumer'>): Promise<void> {
    // A resumed session gets again the requests whose answer it may have
    // missed: one already answered (or being created) is the same consumer.
    if (this.#tracks.has(data.id)) return Promise.resolve();
    const inFlight = this.#pending.get(data.id)?.done;
    if (inFlight) return inFlight;
    const pending: PendingConsumer = {
      peerId: data.peerId,
      closed: false,
      producerPaused: data.producerPaused,
    };
    pending.done = this.#consume(transport, data, pending);
    return pending.done;
  }

  async #consume(
    transport: Transport,
    data: RequestData<ServerRequests, 'newConsumer'>,
    pending: PendingConsumer,
  ): Promise<void> {
    this.#pending.set(data.id, pending);
    let consumer: Consumer;
    try {
      consumer = await transport.consume({
        id: data.id,
        producerId: data.producerId,
        kind: data.kind,
        rtpParameters: data.rtpParameters as RtpParameters,
        appData: { ...data.appData, peerId: data.peerId },
      });
    } finally {
      this.#pending.delete(data.id);
    }
    const peer = this.#peers.get(data.peerId);
    if (pending.closed) {
      // Closed (or its peer left) while we were creating it: nothing to show.
      consumer.close();
      logger.debug('consumer %s closed before it was ready', data.id);
      return;
    }
    if (!peer) {
      consumer.close();
      // Refusing makes the server close its side too.
      throw new Error(`newConsumer names unknown peer "${data.peerId}"`);
    }
    const track = new RemoteTrack(peer.id, consumer, pending.producerPaused);
    peer.addTrack(track);
    this.#tracks.set(consumer.id, track);
    this.#emit('trackadded', this.#event(peer, track));
  }

  consumerClosed({ consumerId }: Notification<'consumerClosed'>): void {
    const pending = this.#pending.get(consumerId);
    if (pending) pending.closed = true;
    const track = this.#tracks.get(consumerId);
    if (track) this.#removeTrack(track);
  }

  consumerPaused({ consumerId }: Notification<'consumerPaused'>): void {
    this.#setProducerPaused(consumerId, true);
  }

  consumerResumed({ consumerId }: Notification<'consumerResumed'>): void {
    this.#setProducerPaused(consumerId, false);
  }

  layersChanged(data: Notification<'consumerLayersChanged'>): void {
    const track = this.#tracks.get(data.consumerId);
    const peer = track && this.#peers.get(track.peerId);
    if (!track || !peer) return;
    track.spatialLayer = data.spatialLayer;
    track.temporalLayer = data.temporalLayer;
    this.#emit('layerschange', { peer, ...data });
  }

  consumerScore(data: Notification<'consumerScore'>): void {
    const track = this.#tracks.get(data.consumerId);
    if (!track) return;
    track.score = data.score;
    this.#emit('score', { type: 'consumer', peer: this.#peers.get(track.peerId), ...data });
  }

  connectionStateChanged({ peerId, state }: Notification<'peerConnectionState'>): void {
    const peer = this.#peers.get(peerId);
    if (!peer || peer.connectionState === state) return;
    peer.connectionState = state;
    this.#emit('peerconnectionstatechange', { peer, state });
  }

  /**
   * The server names a dominant speaker, never "nobody": the ring clears
   * once the speaker is absent from two level reports in a row (muted, or
   * silent: DTX sends no audio, so the level observer leaves it out).
   */
  heardLevels(volumes: readonly { peerId: string }[]): void {
    const dominant = this.#dominant;
    if (dominant === null) return;
    if (volumes.some((level) => level.peerId === dominant)) {
      this.#quietReports = 0;
      // The server names a speaker only on change: the same one speaking again lights it again.
      if (this.#activeSpeaker === null) this.#setSpeaker(dominant);
      return;
    }
    if (++this.#quietReports >= 2) this.#setSpeaker(null);
  }

  activeSpeakerChanged(peerId: string | null): void {
    this.#dominant = peerId;
    this.#quietReports = 0;
    this.#setSpeaker(peerId);
  }

  #setSpeaker(peerId: string | null): void {
    if (this.#activeSpeaker === peerId) return;
    this.#activeSpeaker = peerId;
    this.#emit('activespeaker', peerId);
  }

  /**
   * A full rejoin dropped the receive transport: every track we had ends
   * (`trackremoved`), the peers stay until `reconcile()` hears who is there.
   */
  dropTracks(): void {
    for (const pending of this.#pending.values()) pending.closed = true;
    for (const track of [...this.#tracks.values()]) this.#removeTrack(track);
    for (const peer of this.#peers.values()) for (const d of peer.dataConsumers) d.close();
  }

  /**
   * The peers present after a (re)join: of those known `before` it, the
   * ones gone get `peerleft`; the ones still there keep their RemotePeer
   * (their tracks come back as `trackadded`); new ones get `peerjoined`.
   * Peers announced on the new connection itself are kept even if the
   * answer (possibly written before they came) does not list them.
   */
  reconcile(present: readonly PeerInfo[], before: ReadonlySet<string>): void {
    const ids = new Set(present.map((info) => info.peerId));
    for (const peerId of before) if (!ids.has(peerId)) this.left({ peerId });
    for (const info of present) this.joined(info);
  }

  get ids(): Set<string> {
    return new Set(this.#peers.keys());
  }

  /** Forgets everything without events: the room itself is going away. */
  clear(): void {
    for (const pending of this.#pending.values()) pending.closed = true;
    for (const track of this.#tracks.values()) track.consumer.close();
    for (const peer of this.#peers.values()) for (const d of peer.dataConsumers) d.close();
    this.#tracks.clear();
    this.#peers.clear();
    this.#activeSpeaker = null;
  }

  #setProducerPaused(consumerId: string, paused: boolean): void {
    const pending = this.#pending.get(consumerId);
    if (pending) pending.producerPaused = paused;
    const track = this.#tracks.get(consumerId);
    const peer = track && this.#peers.get(track.peerId);
    if (!track || !peer || track.producerPaused === paused) return;
    track.producerPaused = paused;
    this.#emit(paused ? 'trackpaused' : 'trackresumed', this.#event(peer, track));
  }

  #removeTrack(track: RemoteTrack): void {
    const peer = this.#peers.get(track.peerId);
    this.#tracks.delete(track.consumerId);
    peer?.removeTrack(track.consumerId);
    track.consumer.close();
    if (peer) this.#emit('trackremoved', this.#event(peer, track));
  }

  #event(peer: RemotePeer, track: RemoteTrack): TrackEvent {
    return {
      peer,
      track: track.track,
      kind: track.kind,
      source: track.source,
      consumerId: track.consumerId,
      remoteTrack: track,
    };
  }
}
