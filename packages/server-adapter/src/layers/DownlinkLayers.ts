// Runs the layer policy (LayerPolicy.ts) on one recv transport of the real
// worker: it reads the transport's downlink estimate (BWE `trace` events),
// the consumers' scores and their producers' measured layer bitrates, and
// sets each video consumer's preferred layers to the policy's cap.
//
// Audio: mediasoup 3.8 keeps audio consumers out of its bitrate distribution
// (SimpleConsumer::GetBitratePriority is 0 for audio), so audio is always
// sent; what keeps it from being starved is video staying under the
// estimate, which the policy's audio reserve and headroom do.
import type { types } from 'mediasoup';
import { createLogger } from '../logger.js';
import { LayerPolicy, type Layers, type VideoConsumerView } from './LayerPolicy.js';
import { layerCosts } from './layerCosts.js';

const log = createLogger('layers');

/** How often the policy runs without a new estimate (upgrades wait for time to pass), and costs are re-read. */
const TICK_MS = 1000;
/** Screen shares get their rungs before cameras (worker priority, and the policy's order). */
const SCREEN_PRIORITY = 2;

interface Tracked {
  consumer: types.Consumer;
  producer: types.Producer;
  spatialLayers: number;
  temporalLayers: number;
  priority: number;
  costs?: Record<string, number> | undefined;
  /** Set by the client or the app: the policy never goes above it. */
  cap?: Layers;
  applied?: Layers | undefined;
}

/** Per recv transport; made on its first video consumer, gone with the transport. */
const controllers = new WeakMap<types.Transport, DownlinkLayers>();

/**
 * The controller of `transport` (created, with its BWE trace enabled, on first
 * use). Returns undefined for a closed transport.
 */
export function downlinkLayersOf(transport: types.Transport): DownlinkLayers | undefined {
  if (transport.closed) return undefined;
  let controller = controllers.get(transport);
  if (!controller) {
    controller = new DownlinkLayers(transport);
    controllers.set(transport, controller);
  }
  return controller;
}

/** The controller of `transport` if the policy runs there already. */
export function runningDownlinkLayers(transport: types.Transport): DownlinkLayers | undefined {
  return controllers.get(transport);
}

/** The spatial x temporal layers a consumer forwards, from its `S<n>T<m>` / `L<n>T<m>` mode. */
export function consumerLayers(consumer: types.Consumer): { spatial: number; temporal: number } {
  const mode = consumer.rtpParameters.encodings?.[0]?.scalabilityMode ?? '';
  const match = /^[SL](\d+)T(\d+)/.exec(mode);
  return { spatial: Number(match?.[1] ?? 1), temporal: Number(match?.[2] ?? 1) };
}

export class DownlinkLayers {
  readonly policy = new LayerPolicy();
  readonly #transport: types.Transport;
  readonly #videos = new Map<string, Tracked>();
  readonly #audio = new Set<string>();
  #timer: NodeJS.Timeout | undefined;

  constructor(transport: types.Transport) {
    this.#transport = transport;
    transport.on('trace', (trace: types.TransportTraceEventData) => {
      if (trace.type !== 'bwe') return;
      const info = trace.info as { availableBitrate?: unknown };
      if (typeof info.availableBitrate !== 'number') return;
      this.policy.addEstimate(Date.now(), info.availableBitrate);
      this.#run();
    });
    transport
      .enableTraceEvent(['bwe'])
      .catch((error: unknown) => log.debug('transport %s: no BWE trace: %s', transport.id, error));
    transport.observer.once('close', () => this.#stop());
  }

  /** Follows a consumer of `producer`: video with layers is capped, audio reserved for. */
  add(consumer: types.Consumer, producer: types.Producer, source?: unknown): void {
    if (consumer.closed) return;
    const id = consumer.id;
    if (consumer.kind === 'audio') {
      this.#audio.add(id);
      consumer.observer.once('close', () => this.#audio.delete(id));
      return;
    }
    if (consumer.type !== 'simulcast' && consumer.type !== 'svc') return;
    const { spatial, temporal } = consumerLayers(consumer);
    const priority = source === 'screen' ? SCREEN_PRIORITY : 1;
    this.#videos.set(id, {
      consumer,
      producer,
      spatialLayers: spatial,
      temporalLayers: temporal,
      priority,
    });
    if (priority !== 1) {
      consumer.setPriority(priority).catch((error: unknown) => log.debug('setPriority: %s', error));
    }
    consumer.on('score', (score: types.ConsumerScore) => {
      this.policy.reportScore(id, Date.now(), score.score);
    });
    consumer.observer.once('close', () => {
      this.#videos.delete(id);
      this.policy.remove(id);
    });
    this.#timer ??= setInterval(() => void this.#tick(), TICK_MS).unref();
  }

  /**
   * A cap from the client or the app (`setConsumerPreferredLayers`): applied
   * at once, unless the policy holds the consumer lower now; the policy then
   * stays at or below it. False if this consumer is not one the policy runs
   * (the caller sets the layers itself).
   */
  async setCap(consumer: types.Consumer, cap: Layers): Promise<boolean> {
    const tracked = this.#videos.get(consumer.id);
    if (!tracked) return false;
    tracked.cap = cap;
    const held = tracked.applied;
    const layers = held && below(held, cap) ? held : cap;
    tracked.applied = layers;
    await consumer.setPreferredLayers(layers);
    this.#run();
    return true;
  }

  /** What the policy last applied to a consumer (for tests and diagnostics). */
  applied(consumerId: string): Layers | undefined {
    return this.#videos.get(consumerId)?.applied;
  }

  async #tick(): Promise<void> {
    await Promise.all(
      [...this.#videos.values()].map(async (tracked) => {
        tracked.costs = await layerCosts(tracked.producer).catch(() => tracked.costs);
      }),
    );
    this.#run();
  }

  #run(): void {
    if (this.#videos.size === 0 || this.#transport.closed) return;
    const videos: VideoConsumerView[] = [...this.#videos.values()].map((t) => ({
      id: t.consumer.id,
      spatialLayers: t.spatialLayers,
      temporalLayers: t.temporalLayers,
      priority: t.priority,
      ...(t.costs ? { costs: t.costs } : {}),
      ...(t.cap ? { cap: t.cap } : {}),
    }));
    const caps = this.policy.decide({ at: Date.now(), videos, audioCount: this.#audio.size });
    for (const [id, layers] of caps) {
      const tracked = this.#videos.get(id);
      if (!tracked || sameLayers(tracked.applied, layers)) continue;
      tracked.applied = layers;
      log.debug(
        'consumer %s: cap %d.%d (estimate %d)',
        id,
        layers.spatialLayer,
        layers.temporalLayer,
        this.policy.estimate,
      );
      tracked.consumer
        .setPreferredLayers(layers)
        .catch((error: unknown) => log.debug('setPreferredLayers %s: %s', id, error));
    }
  }

  #stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#videos.clear();
    this.#audio.clear();
  }
}

function below(a: Layers, b: Layers): boolean {
  return (
    a.spatialLayer < b.spatialLayer ||
    (a.spatialLayer === b.spatialLayer && a.temporalLayer < b.temporalLayer)
  );
}

function sameLayers(a: Layers | undefined, b: Layers): boolean {
  return a?.spatialLayer === b.spatialLayer && a.temporalLayer === b.temporalLayer;
}
