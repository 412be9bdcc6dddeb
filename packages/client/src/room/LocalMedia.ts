import type { NotificationData, ServerNotifications } from '@vroom/protocol';
import { Logger } from '../Logger.js';
import type { Producer, ProducerCodecOptions } from '../Producer.js';
import type { MediaKind, RtpEncodingParameters } from '../RtpParameters.js';
import type { Transport } from '../Transport.js';
import { RoomError } from './errors.js';
import type { Emit, TrackSource } from './events.js';
import type { Request } from './SignalingSession.js';

const logger = new Logger('room:LocalMedia');

/** One of our tracks being sent (a producer, as an app sees it). */
export class LocalTrack {
  readonly source: TrackSource;
  /** Captured by the room (getUserMedia...), so the room stops it; app tracks are never stopped. */
  owned: boolean;
  /** Last scores the server reported for our streams. */
  score: { ssrc: number; rid?: string | undefined; score: number }[] = [];
  /** How it was published: a rejoin publishes the same track the same way. */
  readonly options: PublishOptions;
  #producer: Producer;

  constructor(source: TrackSource, producer: Producer, owned: boolean, options: PublishOptions) {
    this.source = source;
    this.#producer = producer;
    this.owned = owned;
    this.options = options;
  }

  /**
   * The producer sending it. After a full rejoin (see README, "Recovery")
   * this is a new producer with a new id, sending the very same track.
   */
  get producer(): Producer {
    return this.#producer;
  }

  /** @internal The rejoin's new producer of the same track. */
  rebind(producer: Producer): void {
    this.#producer = producer;
  }

  get producerId(): string {
    return this.producer.id;
  }

  get kind(): MediaKind {
    return this.producer.kind;
  }

  get track(): MediaStreamTrack | null {
    return this.producer.track;
  }

  /** Paused (muted): nothing is sent and the others see the track paused. */
  get paused(): boolean {
    return this.producer.paused;
  }
}

export type PublishOptions = {
  encodings?: RtpEncodingParameters[];
  codecOptions?: ProducerCodecOptions;
};

export type LocalMediaContext = {
  /** The send transport of the current join, if joined. */
  sendTransport: () => Transport | undefined;
  request: Request;
  emit: Emit;
};

/**
 * Our producers, one per source: publish, replace, pause/resume and
 * unpublish, each mirrored to the server. Operations on one source run one
 * after the other; different sources run side by side, so camera and
 * microphone enabled together share one renegotiation and one round trip.
 */
export class LocalMedia {
  readonly #context: LocalMediaContext;
  readonly #tracks = new Map<TrackSource, LocalTrack>();
  readonly #busy = new Map<TrackSource, Promise<unknown>>();

  constructor(context: LocalMediaContext) {
    this.#context = context;
  }

  get list(): LocalTrack[] {
    return [...this.#tracks.values()];
  }

  get(source: TrackSource): LocalTrack | undefined {
    return this.#tracks.get(source);
  }

  /**
   * Runs `task` after the source's previous operation. When nothing is in
   * flight the task starts synchronously: an `await` here would push the
   * `produce()` call out of the current task and out of the shared batch.
   */
  serial<T>(source: TrackSource, task: () => Promise<T>): Promise<T> {
    const previous = this.#busy.get(source);
    const run = previous ? previous.then(task, task) : task();
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.#busy.set(source, settled);
    void settled.then(() => {
      if (this.#busy.get(source) === settled) this.#busy.delete(source);
    });
    return run;
  }

  /** Sends `track` as `source`, or swaps the track of a source already sent. */
  async publish(
    source: TrackSource,
    track: MediaStreamTrack,
    owned: boolean,
    options: PublishOptions = {},
  ): Promise<LocalTrack> {
    const existing = this.#tracks.get(source);
    if (existing) {
      await this.#replace(existing, track, owned);
      return existing;
    }
    const transport = this.#context.sendTransport();
    if (!transport) {
      if (owned) track.stop();
      throw RoomError.notJoined(`publishing the ${source}`);
    }
    let producer: Producer;
    try {
      producer = await produce(transport, source, track, options);
    } catch (error) {
      if (owned) track.stop();
      throw error;
    }
    const local = new LocalTrack(source, producer, owned, options);
    this.#tracks.set(source, local);
    this.#watch(local);
    this.#context.emit('localtrackpublished', local);
    return local;
  }

  /**
   * A full rejoin is starting: the producers die with the old transport, but
   * the tracks, their sources and options are kept (never stopped) to be
   * published again by `republish()`. No events: the app keeps its LocalTracks.
   */
  suspend(): { local: LocalTrack; track: MediaStreamTrack; paused: boolean }[] {
    const kept = [];
    for (const local of this.#tracks.values()) {
      const track = local.producer.track;
      const paused = local.producer.paused;
      local.producer.close();
      if (track && track.readyState !== 'ended') kept.push({ local, track, paused });
      else this.#forget(local.source);
    }
    return kept;
  }

  /**
   * Publishes the suspended tracks again on the new send transport, all in
   * the same task (one renegotiation), each LocalTrack keeping its identity;
   * a paused one is paused again. One that fails is unpublished and its
   * error returned, the others go on.
   */
  async republish(
    kept: { local: LocalTrack; track: MediaStreamTrack; paused: boolean }[],
  ): Promise<unknown[]> {
    const transport = this.#context.sendTransport();
    const errors: unknown[] = [];
    await Promise.all(
      kept.map(({ local, track, paused }) =>
        this.serial(local.source, async () => {
          if (this.#tracks.get(local.source) !== local) return;
          try {
            if (!transport) throw RoomError.notJoined(`publishing the ${local.source} again`);
            local.rebind(await produce(transport, local.source, track, local.options));
            this.#watch(local);
            if (paused) {
              // The new producer may already read paused (a disabled track
              // starts paused), but the server's one is not: tell it anyway.
              local.producer.pause();
              await this.#context.request('pauseProducer', { producerId: local.producerId });
            }
          } catch (error) {
            errors.push(error);
            this.#forget(local.source);
          }
        }),
      ),
    );
    return errors;
  }

  /** Stops sending `source`: the others see `trackremoved`. */
  async unpublish(source: TrackSource): Promise<void> {
    const local = this.#forget(source);
    if (!local) return;
    local.producer.close();
    await this.#context
      .request('closeProducer', { producerId: local.producerId })
      .catch((error: unknown) => {
        throw RoomError.requestFailed('closeProducer', error);
      });
  }

  async pause(source: TrackSource): Promise<void> {
    const local = this.#tracks.get(source);
    if (!local || local.producer.paused) return;
    local.producer.pause();
    // Muting must stick even if the server did not hear it: no local rollback.
    await this.#context
      .request('pauseProducer', { producerId: local.producerId })
      .catch((error: unknown) => {
        throw RoomError.requestFailed('pauseProducer', error);
      });
  }

  async resume(source: TrackSource): Promise<void> {
    const local = this.#tracks.get(source);
    if (!local?.producer.paused) return;
    local.producer.resume();
    try {
      await this.#context.request('resumeProducer', { producerId: local.producerId });
    } catch (error) {
      // The server still pauses it: show it paused here too.
      if (!local.producer.closed) local.producer.pause();
      throw RoomError.requestFailed('resumeProducer', error);
    }
  }

  /** The server closed one of our producers (`producerClosed`). */
  closedByServer({ producerId }: NotificationData<ServerNotifications, 'producerClosed'>): void {
    const local = this.list.find((l) => l.producerId === producerId);
    if (!local) return;
    this.#forget(local.source);
    local.producer.close();
  }

  scored(data: NotificationData<ServerNotifications, 'producerScore'>): void {
    const local = this.list.find((l) => l.producerId === data.producerId);
    if (!local) return;
    local.score = data.score;
    this.#context.emit('score', { type: 'producer', source: local.source, ...data });
  }

  /** The join is over: producers die with their transport; stop what we captured. No requests. */
  clear(): void {
    for (const source of [...this.#tracks.keys()]) this.#forget(source)?.producer.close();
  }

  #watch(local: LocalTrack): void {
    const { source, producer } = local;
    producer.on('trackended', () => {
      if (local.producer !== producer) return;
      logger.debug('%s track ended at its source', source);
      void this.serial(source, () => this.unpublish(source)).catch((error: unknown) =>
        logger.warn('unpublish after trackended failed: %o', error),
      );
    });
  }

  async #replace(local: LocalTrack, track: MediaStreamTrack, owned: boolean): Promise<void> {
    const old = local.producer.track;
    const oldOwned = local.owned;
    try {
      await local.producer.replaceTrack({ track });
    } catch (error) {
      if (owned) track.stop();
      throw error;
    }
    local.owned = owned;
    if (old && oldOwned && old !== track) old.stop();
  }

  #forget(source: TrackSource): LocalTrack | undefined {
    const local = this.#tracks.get(source);
    if (!local) return undefined;
    this.#tracks.delete(source);
    if (local.owned) local.producer.track?.stop();
    this.#context.emit('localtrackunpublished', local);
    return local;
  }
}

function produce(
  transport: Transport,
  source: TrackSource,
  track: MediaStreamTrack,
  options: PublishOptions,
): Promise<Producer> {
  return transport.produce({
    track,
    ...(options.encodings ? { encodings: options.encodings.map((e) => ({ ...e })) } : {}),
    ...(options.codecOptions ? { codecOptions: options.codecOptions } : {}),
    // The room decides which tracks to stop (only its own), not the producer.
    stopTracks: false,
    // A paused video sends nothing on any layer (a disabled track still
    // encodes black frames): the sender's track is taken off until resume.
    ...(track.kind === 'video' ? { zeroRtpOnPause: true } : {}),
    appData: { source },
  });
}
