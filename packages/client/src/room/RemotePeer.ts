import type { PeerInfo } from '@vroom/protocol';
import type { Consumer } from '../Consumer.js';
import type { DataConsumer } from '../DataConsumer.js';
import type { MediaKind } from '../RtpParameters.js';
import type { AppData } from '../types.js';
import type { TrackSource } from './events.js';

const SOURCES: readonly string[] = ['camera', 'microphone', 'screen', 'screenAudio'];

/** `appData.source` if it is one we know. */
export function sourceOf(appData: AppData | undefined): TrackSource | undefined {
  const source = appData?.source;
  return typeof source === 'string' && SOURCES.includes(source)
    ? (source as TrackSource)
    : undefined;
}

/** One track received from another peer (a consumer, as an app sees it). */
export class RemoteTrack {
  readonly peerId: string;
  readonly consumer: Consumer;
  readonly source: TrackSource | undefined;
  /** The sender paused (muted) it. */
  producerPaused: boolean;
  spatialLayer: number | null = null;
  temporalLayer: number | null = null;
  /** Last consumer score (0..10), undefined until the server sends one. */
  score: number | undefined;
  /** @internal Set by the room when adaptive stream is on (video only). */
  adaptive: { observe(track: RemoteTrack, element: HTMLVideoElement): () => void } | undefined;

  constructor(peerId: string, consumer: Consumer, producerPaused: boolean) {
    this.peerId = peerId;
    this.consumer = consumer;
    this.source = sourceOf(consumer.appData);
    this.producerPaused = producerPaused;
  }

  get consumerId(): string {
    return this.consumer.id;
  }

  get producerId(): string {
    return this.consumer.producerId;
  }

  get kind(): MediaKind {
    return this.consumer.kind;
  }

  get track(): MediaStreamTrack {
    return this.consumer.track;
  }

  /**
   * Shows this track in `element` (its `srcObject`). With adaptive stream
   * (the room's default) a video then gets the layer that fits the
   * element's size and is paused at the server while the element is
   * hidden. Returns the detach; a removed track needs none.
   */
  attach(element: HTMLMediaElement): () => void {
    element.srcObject = new MediaStream([this.track]);
    const stop =
      this.adaptive && this.kind === 'video'
        ? this.adaptive.observe(this, element as HTMLVideoElement)
        : undefined;
    return () => {
      stop?.();
      element.srcObject = null;
    };
  }
}

/**
 * A peer's link as the server sees it: `reconnecting` while its connection is
 * lost and its session waits for a resume (its video is frozen, not live).
 */
export type PeerConnectionState = 'connected' | 'reconnecting';

/** Another peer in the room, with what it sends us. */
export class RemotePeer {
  readonly id: string;
  /** Changed by a moderator or the app on the server: `peerupdated` says when. */
  displayName: string;
  /** `reconnecting`: its link dropped; it comes back or leaves (`peerleft`) within the resume window. */
  connectionState: PeerConnectionState = 'connected';
  readonly device: PeerInfo['device'];
  /** Changed with `displayName` (`peerupdated`). */
  appData: AppData;
  readonly #tracks = new Map<string, RemoteTrack>();
  readonly #dataConsumers = new Map<string, DataConsumer>();

  constructor(info: PeerInfo) {
    this.id = info.peerId;
    this.displayName = info.displayName;
    this.device = info.device;
    this.appData = info.appData ?? {};
  }

  /** Tracks received from this peer, in arrival order. */
  get tracks(): RemoteTrack[] {
    return [...this.#tracks.values()];
  }

  /** The track of this source (`peer.track('camera')`), if it sends one. */
  track(source: TrackSource): RemoteTrack | undefined {
    return this.tracks.find((track) => track.source === source);
  }

  get dataConsumers(): DataConsumer[] {
    return [...this.#dataConsumers.values()];
  }

  /** @internal */
  addTrack(track: RemoteTrack): void {
    this.#tracks.set(track.consumerId, track);
  }

  /** @internal */
  removeTrack(consumerId: string): RemoteTrack | undefined {
    const track = this.#tracks.get(consumerId);
    this.#tracks.delete(consumerId);
    return track;
  }

  /** @internal */
  addDataConsumer(dataConsumer: DataConsumer): void {
    this.#dataConsumers.set(dataConsumer.id, dataConsumer);
  }

  /** @internal */
  removeDataConsumer(id: string): DataConsumer | undefined {
    const dataConsumer = this.#dataConsumers.get(id);
    this.#dataConsumers.delete(id);
    return dataConsumer;
  }
}
