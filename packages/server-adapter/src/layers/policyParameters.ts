/**
 * Every parameter of the downlink layer policy (LayerPolicy.ts), in one table.
 *
 * Relations that must hold:
 * - `upgradeStableMs` >= the worker's BWE event interval (about 2 s in the
 *   recorded traces): the sample in force at the window's start counts too,
 *   so "stable" means at least two estimates agreed.
 * - `upgradeQuietAfterLossMs` >= the interval of consumer score events
 *   (about 1 s, from receiver reports): one clean report is not a quiet link.
 * - `estimateWindowMs` >= `upgradeStableMs` (the window holds what "stable" reads).
 */
export interface LayerPolicyParameters {
  headroom: number;
  audioReserveBps: number;
  fallbackCostBps: Readonly<Record<string, number>>;
  upgradeStableMs: number;
  upgradeQuietAfterLossMs: number;
  upgradeAfterDowngradeMs: number;
  upgradeStepMs: number;
  lossScoreBelow: number;
  heavyLossScoreBelow: number;
  heavyLossStepMs: number;
  estimateWindowMs: number;
  maxSamples: number;
}

export const LAYER_POLICY: Readonly<LayerPolicyParameters> = {
  /**
   * Share of the stable estimate left unused when going UP a rung: a rung is
   * reached only if it fits with this to spare, and kept while it fits the
   * estimate itself (hysteresis). The spare absorbs what a shaped link does
   * to a sender at its limit: queues, retransmissions, key frames of 3-10x
   * a delta frame.
   */
  headroom: 0.15,
  /** Reserved per audio consumer on the transport when no measured rate is known (Opus + RTP/SRTP overhead). */
  audioReserveBps: 35_000,
  /**
   * Layer costs when the producer has not reported its own yet (bits/s):
   * simulcast rungs of a 720p camera at 3 temporal layers, as measured from
   * Chromium's VP8 simulcast in e2e runs (see the recorded fixtures).
   */
  fallbackCostBps: {
    '0.0': 45_000,
    '0.1': 80_000,
    '0.2': 140_000,
    '1.2': 450_000,
    '2.2': 1_400_000,
  },
  /** An upgrade needs the estimate to have allowed it for this long... */
  upgradeStableMs: 2500,
  /** ...and the consumer to have reported no loss for this long... */
  upgradeQuietAfterLossMs: 3000,
  /** ...and this long since the last downgrade of that consumer (no yo-yo). */
  upgradeAfterDowngradeMs: 3000,
  /** ...and this long since its last step up: the receiver shows whether the last rung held first. */
  upgradeStepMs: 1000,
  /** A consumer score below this (0-10, from its receiver's reports) means losses at the receiver. */
  lossScoreBelow: 10,
  /**
   * Below this score the receiver loses so much that the estimate (which
   * lags by seconds on a tbf queue) is not waited for: the consumer steps
   * down one rung, at most once per `heavyLossStepMs`.
   */
  heavyLossScoreBelow: 7,
  heavyLossStepMs: 2000,
  /** Estimates kept (ms of history), bounded also by `maxSamples`. */
  estimateWindowMs: 6000,
  maxSamples: 64,
};
