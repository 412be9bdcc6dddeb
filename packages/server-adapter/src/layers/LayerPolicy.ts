// Which simulcast layers each video consumer of one recv transport may get,
// from the transport's downlink estimate. Pure: no mediasoup, no clock; the
// caller (DownlinkLayers.ts) feeds it estimates and scores with their times
// and applies its answer as each consumer's preferred layers.
//
// Why a cap and not a choice: mediasoup 3.8's worker picks the layers itself
// from its own estimate, up to the preferred layers, one step at a time in
// the order 0.0, 0.1, 0.2, 1.0, 1.1, ... (SimulcastConsumer::IncreaseLayer).
// Left alone it fills the estimate to the last bit (no headroom, so a shaped
// link loses packets), takes a higher spatial layer at its lowest frame rate
// before the lower one at full rate, and goes back up as soon as one estimate
// allows it. The cap fixes all three: it only ever allows rungs of the ladder
// below, it leaves headroom and room for audio, and it rises only when the
// estimate has been stable and the receiver has reported no loss.
import { LAYER_POLICY, type LayerPolicyParameters } from './policyParameters.js';

export interface Layers {
  spatialLayer: number;
  temporalLayer: number;
}

export interface VideoConsumerView {
  id: string;
  /** Spatial and temporal layers the producer sends (simulcast encodings, temporal layers of each). */
  spatialLayers: number;
  temporalLayers: number;
  /** Measured bits/s of each layer with the layers below it, keyed `"<spatial>.<temporal>"`. */
  costs?: Readonly<Record<string, number>>;
  /** A cap set by the client or the app (`setConsumerPreferredLayers`): never exceeded. */
  cap?: Layers;
  /** Higher gets its rungs first (the worker's consumer priority). */
  priority: number;
}

export interface DecisionInput {
  at: number;
  videos: readonly VideoConsumerView[];
  /** Audio consumers on the transport: each keeps `audioReserveBps` out of the video budget. */
  audioCount: number;
}

interface ConsumerState {
  rung: number;
  lastLossAt: number;
  lastDowngradeAt: number;
  lastUpgradeAt: number;
  /** Heavy loss was reported: the next decision takes this consumer one rung down. */
  stepDown: boolean;
  lastStepDownAt: number;
}

const NEW_STATE: ConsumerState = {
  rung: -1,
  lastLossAt: Number.NEGATIVE_INFINITY,
  lastDowngradeAt: Number.NEGATIVE_INFINITY,
  lastUpgradeAt: Number.NEGATIVE_INFINITY,
  stepDown: false,
  lastStepDownAt: Number.NEGATIVE_INFINITY,
};

/**
 * The ladder of a `spatialLayers` x `temporalLayers` producer, lowest first:
 * every frame rate of the lowest spatial layer, then each higher spatial
 * layer at its full frame rate only. A receiver that cannot afford 360p at
 * full rate gets 180p at full rate, never 360p at 5 fps.
 */
export function ladder(spatialLayers: number, temporalLayers: number): Layers[] {
  const rungs: Layers[] = [];
  const topTemporal = Math.max(0, temporalLayers - 1);
  for (let t = 0; t <= topTemporal; t++) rungs.push({ spatialLayer: 0, temporalLayer: t });
  for (let s = 1; s < spatialLayers; s++)
    rungs.push({ spatialLayer: s, temporalLayer: topTemporal });
  return rungs;
}

export class LayerPolicy {
  readonly #params: Readonly<LayerPolicyParameters>;
  /** Recent estimates (bits/s), oldest first; bounded by time and count. */
  readonly #samples: { at: number; bps: number }[] = [];
  readonly #consumers = new Map<string, ConsumerState>();

  constructor(params: Readonly<LayerPolicyParameters> = LAYER_POLICY) {
    this.#params = params;
  }

  /** A downlink estimate from the worker (BWE trace `availableBitrate`). */
  addEstimate(at: number, bps: number): void {
    if (!Number.isFinite(bps) || bps < 0) return;
    this.#samples.push({ at, bps });
    const oldest = at - this.#params.estimateWindowMs;
    // Keep one sample older than the window: it tells what held at its start.
    while (
      this.#samples.length > this.#params.maxSamples ||
      (this.#samples.length > 1 && (this.#samples[1]?.at ?? at) <= oldest)
    ) {
      this.#samples.shift();
    }
  }

  /** A consumer's score (0-10; below 10 its receiver reported losses). */
  reportScore(consumerId: string, at: number, score: number): void {
    if (score >= this.#params.lossScoreBelow) return;
    const state = this.#state(consumerId);
    state.lastLossAt = at;
    if (
      score < this.#params.heavyLossScoreBelow &&
      at - state.lastStepDownAt >= this.#params.heavyLossStepMs
    ) {
      state.stepDown = true;
      state.lastStepDownAt = at;
    }
  }

  /** Forgets a closed consumer. */
  remove(consumerId: string): void {
    this.#consumers.delete(consumerId);
  }

  /** The newest estimate, if any. */
  get estimate(): number | undefined {
    return this.#samples.at(-1)?.bps;
  }

  /**
   * The cap of every video consumer (by id), or an empty map before the
   * first estimate (nothing is known: the worker decides alone).
   */
  decide(input: DecisionInput): Map<string, Layers> {
    const caps = new Map<string, Layers>();
    const now = this.estimate;
    if (now === undefined) return caps;
    // Hysteresis: a rung is kept while it fits the estimate (as the worker
    // itself would keep it), and reached only when it fits the stable
    // estimate with headroom and audio to spare. Holding with the audio
    // reserve too was tried: on a tbf link whose estimate sits at a third of
    // its rate it halved the frame rate (0.0 instead of 0.1) and concealed
    // no less audio (bench:network, README "Bad networks").
    const budget = now;
    const stable = this.#stableEstimate(input.at);
    const stableBudget =
      stable === undefined
        ? -Infinity
        : this.#budget(stable, input.audioCount, this.#params.headroom);
    // A new consumer starts where the estimate allows with headroom (no
    // history to wait for: the worker would start it at the top).
    const startBudget = this.#budget(now, input.audioCount, this.#params.headroom);
    const entries = [...input.videos]
      .sort((a, b) => b.priority - a.priority || (a.id < b.id ? -1 : 1))
      .map((view) => {
        const state = this.#state(view.id);
        let rungs = capped(ladder(view.spatialLayers, view.temporalLayers), view.cap);
        if (state.stepDown && state.rung > 0) rungs = rungs.slice(0, state.rung);
        state.stepDown = false;
        return { view, rungs, state, alloc: 0 };
      });
    // Every consumer keeps its lowest rung: video is never capped away.
    let used = entries.reduce((sum, e) => sum + this.#cost(e.view, e.rungs[0]), 0);
    for (let raised = true; raised; ) {
      raised = false;
      // As the worker does: a consumer of priority p climbs up to p rungs a round.
      for (const entry of entries) {
        for (let step = 0; step < Math.max(1, entry.view.priority); step++) {
          const next = entry.alloc + 1;
          const rung = entry.rungs[next];
          if (!rung) break;
          const delta =
            this.#cost(entry.view, rung) - this.#cost(entry.view, entry.rungs[entry.alloc]);
          const limit =
            next <= entry.state.rung
              ? budget
              : entry.state.rung < 0
                ? startBudget
                : this.#upgradeLimit(entry, input.at, stableBudget);
          if (used + delta > limit) break;
          used += delta;
          entry.alloc = next;
          raised = true;
        }
      }
    }
    for (const { view, rungs, state, alloc } of entries) {
      if (state.rung >= 0 && alloc < state.rung) state.lastDowngradeAt = input.at;
      if (state.rung >= 0 && alloc > state.rung) state.lastUpgradeAt = input.at;
      state.rung = alloc;
      const layers = rungs[alloc];
      if (layers) caps.set(view.id, layers);
    }
    return caps;
  }

  /** What an upgrade of this consumer may use: the stable budget once its gates are open. */
  #upgradeLimit(
    entry: { state: ConsumerState; alloc: number },
    at: number,
    stableBudget: number,
  ): number {
    const { state } = entry;
    // One rung up per decision: the next decision sees whether it held.
    if (entry.alloc + 1 > state.rung + 1) return -Infinity;
    if (at - state.lastLossAt < this.#params.upgradeQuietAfterLossMs) return -Infinity;
    if (at - state.lastDowngradeAt < this.#params.upgradeAfterDowngradeMs) return -Infinity;
    if (at - state.lastUpgradeAt < this.#params.upgradeStepMs) return -Infinity;
    return stableBudget;
  }

  #budget(estimate: number, audioCount: number, headroom: number): number {
    return estimate * (1 - headroom) - audioCount * this.#params.audioReserveBps;
  }

  /**
   * The lowest estimate of the last `upgradeStableMs`, or undefined while
   * the history does not yet cover that window.
   */
  #stableEstimate(at: number): number | undefined {
    const from = at - this.#params.upgradeStableMs;
    const first = this.#samples[0];
    if (!first || first.at > from) return undefined;
    let min = Infinity;
    // The sample in force at `from` counts too (the last one at or before it).
    for (let i = this.#samples.length - 1; i >= 0; i--) {
      const sample = this.#samples[i];
      if (!sample) break;
      min = Math.min(min, sample.bps);
      if (sample.at <= from) break;
    }
    return min;
  }

  #cost(view: VideoConsumerView, layers: Layers | undefined): number {
    if (!layers) return 0;
    const key = `${layers.spatialLayer}.${layers.temporalLayer}`;
    const measured = view.costs?.[key];
    if (measured !== undefined && measured > 0) return measured;
    return this.#params.fallbackCostBps[key] ?? fallbackFor(this.#params, layers);
  }

  #state(id: string): ConsumerState {
    let state = this.#consumers.get(id);
    if (!state) {
      state = { ...NEW_STATE };
      this.#consumers.set(id, state);
    }
    return state;
  }
}

/** The ladder without rungs above a client's or app's cap (the lowest rung always stays). */
function capped(rungs: Layers[], cap: Layers | undefined): Layers[] {
  if (!cap) return rungs;
  const kept = rungs.filter(
    (r) =>
      r.spatialLayer < cap.spatialLayer ||
      (r.spatialLayer === cap.spatialLayer && r.temporalLayer <= cap.temporalLayer),
  );
  return kept.length > 0 ? kept : rungs.slice(0, 1);
}

/** A rung missing from the table (an unusual producer): the top spatial rung's cost scaled by area. */
function fallbackFor(params: Readonly<LayerPolicyParameters>, layers: Layers): number {
  const base = params.fallbackCostBps['0.2'] ?? 150_000;
  return base * 4 ** layers.spatialLayer;
}
