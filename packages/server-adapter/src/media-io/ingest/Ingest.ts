import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import { createLogger } from '../../logger.js';
import type { SfuServer } from '../../SfuServer.js';
import { ServerParticipant } from '../participants/ServerParticipant.js';
import {
  type EncoderSource,
  ffmpegArgs,
  gstreamerArgs,
  gstreamerPipeline,
  type IngestEndpoint,
} from './encoderCommands.js';
import { IngestError } from './IngestError.js';
import { type IngestMismatch, IngestWatch, type WatchedKind } from './IngestWatch.js';
import {
  type IngestAudioCodec,
  type IngestVideoCodec,
  ingestStream,
  producerRtpParameters,
} from './ingestCodecs.js';

const log = createLogger('Ingest');

export interface IngestOptions {
  roomId: string;
  /** What the room's peers see (`peerJoined`); default "Broadcast". */
  displayName?: string;
  appData?: Record<string, unknown>;
  /** Default 'opus'; false for no audio. */
  audio?: IngestAudioCodec | false;
  /** Default 'vp8'; false for no video. */
  video?: IngestVideoCodec | false;
  /** Address the plain transports listen on; default 127.0.0.1 (an encoder on this host). */
  listenIp?: string;
  /** Address told to the encoder when it differs (NAT, container); default `listenIp`. */
  announcedIp?: string;
  /** Fixed RTP ports; default: free ports of the worker's range. */
  ports?: { audio?: number; video?: number };
  /** RTCP on the RTP port; default false (FFmpeg sends RTCP to a port of its own). */
  rtcpMux?: boolean;
  /** Encrypted RTP in: true for AES_CM_128_HMAC_SHA1_80, or the suite. Default off. */
  srtp?: boolean | types.SrtpCryptoSuite;
  /** No packet for this long (from creation or since the last) closes it; default 10 s. */
  silenceTimeoutMs?: number;
  /** Packets that all miss the producer for this long emit `mismatch`; default 2 s. */
  mismatchAfterMs?: number;
}

export type IngestCloseReason = 'stopped' | 'silence' | 'roomClosed' | 'workerDied';

export interface IngestEvents {
  /** Packets arrive that the producer does not take (wrong SSRC, payload type or key). */
  mismatch: [mismatch: IngestMismatch];
  /** Once: its participant left the room, every transport and producer closed. */
  closed: [reason: IngestCloseReason];
}

const DEFAULTS = { silenceTimeoutMs: 10_000, mismatchAfterMs: 2_000, watchIntervalMs: 500 };

/**
 * RTP into a room from an external encoder (FFmpeg, GStreamer, any RTP
 * sender): a server-side participant with one comedia plain transport and
 * one producer per kind. `endpoints` says where and how to send; the
 * command builders make that into an FFmpeg argument list or a GStreamer
 * pipeline. The encoder's first packet fixes its address (comedia).
 */
export class Ingest extends EventEmitter<IngestEvents> {
  readonly participant: ServerParticipant;
  readonly endpoints: readonly IngestEndpoint[];
  readonly #watch: IngestWatch;
  #closed = false;

  private constructor(
    participant: ServerParticipant,
    endpoints: IngestEndpoint[],
    watched: WatchedKind[],
    options: IngestOptions,
  ) {
    super();
    this.participant = participant;
    this.endpoints = endpoints;
    this.#watch = new IngestWatch({
      kinds: watched,
      silenceTimeoutMs: options.silenceTimeoutMs ?? DEFAULTS.silenceTimeoutMs,
      mismatchAfterMs: options.mismatchAfterMs ?? DEFAULTS.mismatchAfterMs,
      intervalMs: Math.min(DEFAULTS.watchIntervalMs, options.silenceTimeoutMs ?? Infinity),
      onSilence: () => this.#close('silence'),
      onMismatch: (mismatch) => {
        log.warn('ingest %s: %s', participant.id, mismatch.message);
        this.#emitSafely('mismatch', mismatch);
      },
    });
    participant.once('closed', (reason) => {
      this.#close(reason === 'workerDied' ? 'workerDied' : 'roomClosed');
    });
  }

  /**
   * Joins the room and opens the ports. Throws IngestError (codec unknown or
   * not in the room, port unavailable) or the join's ProtocolError (room full).
   */
  static async create(server: SfuServer, options: IngestOptions): Promise<Ingest> {
    const kinds: ['audio' | 'video', unknown][] = [];
    if (options.audio !== false) kinds.push(['audio', options.audio ?? 'opus']);
    if (options.video !== false) kinds.push(['video', options.video ?? 'vp8']);
    if (kinds.length === 0) throw IngestError.nothingToSend();
    const participant = await ServerParticipant.join(server, {
      roomId: options.roomId,
      displayName: options.displayName ?? 'Broadcast',
      ...(options.appData ? { appData: options.appData } : {}),
    });
    const endpoints: IngestEndpoint[] = [];
    const watched: WatchedKind[] = [];
    try {
      for (const [kind, codec] of kinds) {
        const opened = await openKind(participant, kind, codec, options);
        endpoints.push(opened.endpoint);
        watched.push(opened.watched);
      }
    } catch (error) {
      participant.close();
      throw error;
    }
    log.debug('ingest %s in room %s: %o', participant.id, options.roomId, endpoints);
    return new Ingest(participant, endpoints, watched, options);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Its producers by kind (what browser peers consume). */
  producer(kind: 'audio' | 'video'): types.Producer | undefined {
    for (const producer of this.participant.producers.values()) {
      if (producer.kind === kind) return producer;
    }
    return undefined;
  }

  /** `ffmpeg` arguments that broadcast `source` (default: FFmpeg's test sources). */
  ffmpegArgs(source: EncoderSource = {}): string[] {
    return ffmpegArgs([...this.endpoints], source);
  }

  /** A `gst-launch-1.0` pipeline description that broadcasts `source`. */
  gstreamerPipeline(source: EncoderSource = {}): string {
    return gstreamerPipeline([...this.endpoints], source);
  }

  /** The same pipeline as `gst-launch-1.0` arguments (for `spawn`). */
  gstreamerArgs(source: EncoderSource = {}): string[] {
    return gstreamerArgs(this.gstreamerPipeline(source));
  }

  /** Leaves the room (peers hear `peerLeft`); `closed` says `stopped`. */
  stop(): void {
    this.#close('stopped');
  }

  #close(reason: IngestCloseReason): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#watch.stop();
    this.participant.close(reason);
    log.debug('ingest %s closed: %s', this.participant.id, reason);
    this.#emitSafely('closed', reason);
  }

  #emitSafely<E extends keyof IngestEvents>(event: E, ...args: IngestEvents[E]): void {
    try {
      (this.emit as (e: E, ...a: IngestEvents[E]) => boolean)(event, ...args);
    } catch (error) {
      log.error('an ingest %s listener threw: %s', event, error);
    }
  }
}

async function openKind(
  participant: ServerParticipant,
  kind: 'audio' | 'video',
  codec: unknown,
  options: IngestOptions,
): Promise<{ endpoint: IngestEndpoint; watched: WatchedKind }> {
  const stream = ingestStream(kind, codec, participant.router);
  const listenIp = options.listenIp ?? '127.0.0.1';
  const port = options.ports?.[kind];
  const rtcpMux = options.rtcpMux ?? false;
  const suite = options.srtp === true ? 'AES_CM_128_HMAC_SHA1_80' : options.srtp || undefined;
  let transport: types.PlainTransport;
  try {
    transport = await participant.createPlainTransport({
      listenIp: options.announcedIp ? { ip: listenIp, announcedIp: options.announcedIp } : listenIp,
      ...(port !== undefined ? { port } : {}),
      rtcpMux,
      comedia: true,
      ...(suite ? { enableSrtp: true, srtpCryptoSuite: suite } : {}),
      appData: { ingest: kind },
    });
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    // mediasoup 3.8.4 refuses a taken port with no text at all ("[method:...]").
    const bare = /^\s*(\[method:[^\]]*\])?\s*$/.test(why);
    if (
      /in use|EADDRINUSE|no more available ports|bind/i.test(why) ||
      (port !== undefined && bare)
    ) {
      throw IngestError.portUnavailable(port, bare ? 'the worker could not bind it' : why.trim());
    }
    throw error;
  }
  let srtp: types.SrtpParameters | undefined;
  if (suite) {
    // The encoder's key: comedia learns its address, connect() only its key.
    srtp = { cryptoSuite: suite, keyBase64: randomBytes(30).toString('base64') };
    await transport.connect({ srtpParameters: srtp });
  }
  const producer = await participant.produce(transport, {
    kind,
    rtpParameters: producerRtpParameters(stream),
    // The sources a browser peer's tracks carry: the example page shows it as a camera tile.
    appData: { source: kind === 'video' ? 'camera' : 'microphone', ingest: true },
  });
  const rtpPort = transport.tuple.localPort;
  const endpoint: IngestEndpoint = {
    kind,
    ip: options.announcedIp ?? listenIp,
    rtpPort,
    rtcpPort: rtcpMux ? rtpPort : (transport.rtcpTuple?.localPort ?? rtpPort),
    rtcpMux,
    stream,
    ...(srtp ? { srtp } : {}),
  };
  const expected = { ssrc: stream.ssrc, payloadType: stream.payloadType, srtp: srtp !== undefined };
  return { endpoint, watched: { kind, transport, producer, expected } };
}
