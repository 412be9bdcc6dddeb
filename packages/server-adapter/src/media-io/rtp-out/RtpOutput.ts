import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import { createLogger } from '../../logger.js';
import { MediaOutError } from './MediaOutError.js';
import { RECORDABLE_MIME_TYPES, receiverCapabilities } from './receiverCapabilities.js';
import { type ReceivedStream, receiverSdp } from './receiverSdp.js';
import { sendByes } from './rtcpBye.js';
import { freePortPairs, type PortPair } from './udpPorts.js';

const log = createLogger('RtpOutput');

export interface RtpOutputOptions {
  router: types.Router;
  /** At most one audio and one video producer, usually one peer's. */
  producers: readonly types.Producer[];
  /** Where mediasoup's plain transports listen (default 127.0.0.1). */
  listenIp?: string;
  /** Where the receiver listens (default `listenIp`). */
  receiverIp?: string;
  /** The receiver's ports, one pair per producer in order; default free ones on `receiverIp`. */
  receiverPorts?: readonly PortPair[];
  /** Codecs the receiver takes (default Opus and VP8); other producers are left out. */
  mimeTypes?: readonly string[];
}

/** One producer sent out: its own plain transport (one receiver port pair each). */
export interface RtpOutputTrack {
  readonly kind: types.MediaKind;
  readonly producerId: string;
  readonly transport: types.PlainTransport;
  readonly consumer: types.Consumer;
  readonly stream: ReceivedStream;
}

export type RtpOutputCloseReason = 'closed' | 'producersClosed' | 'routerClosed';

export interface RtpOutputEvents {
  /** A track ended (its producer closed); the others go on. */
  trackClosed: [track: RtpOutputTrack];
  /** The receiver asked for a key frame (RTCP PLI or FIR), passed on to the producer. */
  keyFrameRequested: [track: RtpOutputTrack, type: 'pli' | 'fir'];
  close: [reason: RtpOutputCloseReason];
}

/**
 * RTP of some producers sent to a plain receiver (FFmpeg, GStreamer, a
 * media server): one plain transport (RTCP not muxed, no comedia) and one
 * paused consumer per producer, and the SDP that describes them. `start()`
 * when the receiver listens: the consumers resume and each video producer is
 * asked for a key frame. Key frame requests the receiver sends later (RTCP
 * PLI / FIR) reach the producer through mediasoup.
 */
export class RtpOutput extends EventEmitter<RtpOutputEvents> {
  readonly #tracks: RtpOutputTrack[];
  #closed = false;

  private constructor(tracks: RtpOutputTrack[]) {
    super();
    this.#tracks = tracks;
    for (const track of tracks) this.#watch(track);
  }

  static async create(options: RtpOutputOptions): Promise<RtpOutput> {
    const listenIp = options.listenIp ?? '127.0.0.1';
    const receiverIp = options.receiverIp ?? listenIp;
    const capabilities = receiverCapabilities(
      options.router.rtpCapabilities,
      options.mimeTypes ?? RECORDABLE_MIME_TYPES,
    );
    const producers = outputProducers(options.router, options.producers, capabilities);
    const ports = options.receiverPorts ?? (await freePortPairs(receiverIp, producers.length));
    if (ports.length < producers.length) {
      throw MediaOutError.invalidOptions(`${producers.length} receiver port pairs needed`);
    }
    const tracks: RtpOutputTrack[] = [];
    try {
      for (const [i, producer] of producers.entries()) {
        const pair = ports[i] as PortPair;
        const where = { listenIp, receiverIp, pair, capabilities };
        tracks.push(await createTrack(options.router, producer, where));
      }
    } catch (error) {
      for (const track of tracks) track.transport.close();
      if (options.router.closed) throw MediaOutError.closed('the router');
      throw error;
    }
    return new RtpOutput(tracks);
  }

  /** Tracks still open. */
  get tracks(): readonly RtpOutputTrack[] {
    return this.#tracks.filter((track) => !track.consumer.closed);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The SDP of every track created, for the receiver's `-f sdp` / `sdpdemux`. */
  sdp(): string {
    return receiverSdp(this.#tracks.map((track) => track.stream));
  }

  /** The receiver listens: send media, and a key frame first. */
  async start(): Promise<void> {
    if (this.#closed) throw MediaOutError.closed('the RTP output');
    await Promise.all(
      this.tracks.map((track) => track.consumer.resume().catch((e) => ignoreClosed(track, e))),
    );
    await this.requestKeyFrame();
  }

  /** Asks every video producer for a key frame (e.g. a new receiver joined). */
  async requestKeyFrame(): Promise<void> {
    await Promise.all(
      this.tracks
        .filter((track) => track.kind === 'video')
        .map((track) => track.consumer.requestKeyFrame().catch((e) => ignoreClosed(track, e))),
    );
  }

  /**
   * Closes the transports and consumers, and sends the receiver an RTCP BYE
   * per stream, so it knows the media ended (FFmpeg then finishes its file).
   */
  close(reason: RtpOutputCloseReason = 'closed'): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const track of this.#tracks) track.transport.close();
    const byes = this.#tracks.flatMap(({ stream }) => {
      const ssrc = stream.rtpParameters.encodings?.[0]?.ssrc;
      return ssrc === undefined ? [] : [{ ssrc, rtcpPort: stream.rtcpPort }];
    });
    const receiverIp = this.#tracks[0]?.stream.ip;
    if (receiverIp) void sendByes(receiverIp, byes);
    log.debug('closed (%s)', reason);
    this.#emit('close', reason);
  }

  #watch(track: RtpOutputTrack): void {
    const { consumer, transport } = track;
    // The router closes (worker died, room closed): so did every transport.
    transport.on('routerclose', () => this.close('routerClosed'));
    consumer.on('producerclose', () => {
      transport.close();
      if (this.#closed) return;
      this.#emit('trackClosed', track);
      if (this.tracks.length === 0) this.close('producersClosed');
    });
    if (track.kind !== 'video') return;
    consumer.on('trace', (trace: types.ConsumerTraceEventData) => {
      if (trace.direction === 'in' && (trace.type === 'pli' || trace.type === 'fir')) {
        log.debug('receiver asked %s for a key frame (%s)', track.producerId, trace.type);
        this.#emit('keyFrameRequested', track, trace.type);
      }
    });
    consumer.enableTraceEvent(['pli', 'fir']).catch((e) => ignoreClosed(track, e));
  }

  /** A listener's exception must not break the output's own bookkeeping. */
  #emit<E extends keyof RtpOutputEvents>(event: E, ...args: RtpOutputEvents[E]): void {
    try {
      (this.emit as (e: E, ...a: RtpOutputEvents[E]) => boolean)(event, ...args);
    } catch (error) {
      log.error('a %s listener threw: %o', event, error);
    }
  }
}

function outputProducers(
  router: types.Router,
  producers: readonly types.Producer[],
  capabilities: types.RtpCapabilities,
): types.Producer[] {
  const usable = producers.filter(
    (producer) =>
      !producer.closed &&
      router.canConsume({ producerId: producer.id, rtpCapabilities: capabilities }),
  );
  if (usable.length === 0) {
    throw MediaOutError.noMedia('no open producer in a codec the receiver takes (Opus, VP8)');
  }
  for (const kind of ['audio', 'video'] as const) {
    if (usable.filter((producer) => producer.kind === kind).length > 1) {
      throw MediaOutError.invalidOptions(`more than one ${kind} producer; give one of each`);
    }
  }
  return usable;
}

async function createTrack(
  router: types.Router,
  producer: types.Producer,
  where: {
    listenIp: string;
    receiverIp: string;
    pair: PortPair;
    capabilities: types.RtpCapabilities;
  },
): Promise<RtpOutputTrack> {
  const { listenIp, receiverIp, pair, capabilities } = where;
  const transport = await router.createPlainTransport({ listenIp, rtcpMux: false, comedia: false });
  try {
    await transport.connect({ ip: receiverIp, port: pair.rtpPort, rtcpPort: pair.rtcpPort });
    const consumer = await transport.consume({
      producerId: producer.id,
      rtpCapabilities: capabilities,
      paused: true,
      appData: { rtpOutput: true },
    });
    const stream: ReceivedStream = {
      kind: consumer.kind,
      ip: receiverIp,
      ...pair,
      rtpParameters: consumer.rtpParameters,
    };
    return { kind: consumer.kind, producerId: producer.id, transport, consumer, stream };
  } catch (error) {
    transport.close();
    throw error;
  }
}

function ignoreClosed(track: RtpOutputTrack, error: unknown): void {
  if (track.consumer.closed) return;
  log.warn('track %s: %s', track.producerId, error);
}
