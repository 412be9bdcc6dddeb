// Records, on the real server, what the downlink layer policy reads for one
// peer: its recv transport's BWE estimates, its video consumers' scores and
// layers, and their producers' measured layer costs. Saved as fixtures
// (packages/server-adapter/src/layers/fixtures/), the policy's unit tests
// replay them (LayerPolicy.test.ts).

import type { Peer } from '@vroom/server-adapter';
import type { types } from 'mediasoup';
import { consumerLayers } from '../../packages/server-adapter/src/layers/DownlinkLayers.js';
import { layerCosts } from '../../packages/server-adapter/src/layers/layerCosts.js';

export type BweEvent =
  | { t: number; type: 'bwe'; bps: number }
  | { t: number; type: 'score'; id: string; score: number }
  | { t: number; type: 'layers'; id: string; layers: string }
  | { t: number; type: 'costs'; id: string; costs: Record<string, number> };

export interface BweTrace {
  /** What was done to the link, e.g. "downlink 300 kbit/s for 30 s". */
  scenario: string;
  /** ms from the start of the recording. */
  shapedAt: number;
  clearedAt: number;
  audioCount: number;
  videos: { id: string; spatialLayers: number; temporalLayers: number }[];
  events: BweEvent[];
}

/** A recording is bounded: ~10 minutes of events at the worker's pace. */
const MAX_EVENTS = 20_000;

export interface BweRecorder {
  mark(what: 'shaped' | 'cleared'): void;
  stop(): BweTrace;
}

export function recordBwe(peer: Peer, scenario: string, producers: types.Producer[]): BweRecorder {
  const start = Date.now();
  const events: BweEvent[] = [];
  const push = (event: BweEvent) => {
    if (events.length < MAX_EVENTS) events.push(event);
  };
  const t = () => Date.now() - start;
  const transport = peer.recvTransport({ sctp: false });
  if (!transport) throw new Error(`peer ${peer.id} has no recv transport`);
  const onTrace = (trace: types.TransportTraceEventData) => {
    const bps = (trace.info as { availableBitrate?: number }).availableBitrate;
    if (trace.type === 'bwe' && typeof bps === 'number') push({ t: t(), type: 'bwe', bps });
  };
  transport.on('trace', onTrace);
  void transport.enableTraceEvent(['bwe']);
  const consumers = [...peer.consumers.values()];
  const videos = consumers.filter((c) => c.kind === 'video' && c.type !== 'simple');
  const off: (() => void)[] = [() => transport.off('trace', onTrace)];
  for (const consumer of videos) {
    const onScore = (score: types.ConsumerScore) =>
      push({ t: t(), type: 'score', id: consumer.id, score: score.score });
    const onLayers = (layers?: types.ConsumerLayers) =>
      push({
        t: t(),
        type: 'layers',
        id: consumer.id,
        layers: layers ? `${layers.spatialLayer}.${layers.temporalLayer}` : 'none',
      });
    consumer.on('score', onScore);
    consumer.on('layerschange', onLayers);
    off.push(() => {
      consumer.off('score', onScore);
      consumer.off('layerschange', onLayers);
    });
  }
  const timer = setInterval(() => {
    for (const consumer of videos) {
      const producer = producers.find((p) => p.id === consumer.producerId);
      if (!producer) continue;
      void layerCosts(producer)
        .then((costs) => push({ t: t(), type: 'costs', id: consumer.id, costs }))
        .catch(() => undefined);
    }
  }, 1000);
  off.push(() => clearInterval(timer));
  let shapedAt = -1;
  let clearedAt = -1;
  return {
    mark(what) {
      if (what === 'shaped') shapedAt = t();
      else clearedAt = t();
    },
    stop() {
      for (const undo of off) undo();
      return {
        scenario,
        shapedAt,
        clearedAt,
        audioCount: consumers.filter((c) => c.kind === 'audio').length,
        videos: videos.map((c) => {
          const { spatial, temporal } = consumerLayers(c);
          return { id: c.id, spatialLayers: spatial, temporalLayers: temporal };
        }),
        events,
      };
    },
  };
}
