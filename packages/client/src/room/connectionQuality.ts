import type { Emit, RoomClientEvents, RoomEventName } from './events.js';
import type { RemotePeer } from './RemotePeer.js';

/** How well a peer's media gets through; `lost` while its link is down (reconnecting). */
export type ConnectionQuality = 'good' | 'fair' | 'poor' | 'lost';

/** What a quality is judged from; any part may be missing. */
export type QualitySample = {
  /** mediasoup's score, 0..10 (10: no loss, no retransmissions). */
  score?: number | undefined;
  /** Fraction of packets lost, 0..1. */
  lossRate?: number | undefined;
  /** Round-trip time in ms. */
  rttMs?: number | undefined;
};

/**
 * Thresholds (worst of the three wins): mediasoup scores 8+ mean a clean
 * stream and below 5 visible trouble; under 2 % loss video stays smooth,
 * past 10 % it breaks up; past 400 ms RTT conversation overlaps. Nothing
 * known yet is `good`: no sign of trouble.
 */
export function classifyQuality(sample: QualitySample): Exclude<ConnectionQuality, 'lost'> {
  const ranks = [
    rank(sample.score, (score) => (score >= 8 ? 0 : score >= 5 ? 1 : 2)),
    rank(sample.lossRate, (loss) => (loss < 0.02 ? 0 : loss < 0.1 ? 1 : 2)),
    rank(sample.rttMs, (rtt) => (rtt < 200 ? 0 : rtt < 400 ? 1 : 2)),
  ];
  return (['good', 'fair', 'poor'] as const)[Math.max(...ranks)] ?? 'poor';
}

function rank(value: number | undefined, of: (value: number) => number): number {
  return value === undefined || !Number.isFinite(value) ? 0 : of(value);
}

export type Listen = <K extends RoomEventName>(
  event: K,
  listener: (...args: RoomClientEvents[K]) => void,
) => void;

/**
 * Each remote peer's quality from the scores the server sends: the worst
 * `producerScore` of its tracks (how well its uplink reaches the server)
 * and our consumer's `score` (how well it reaches us); ours (`peer`
 * undefined) from our producers' best layer. `lost` while the server says
 * the peer is reconnecting. Emits `connectionquality` on change only.
 */
export function watchConnectionQuality(on: Listen, emit: Emit): void {
  const scores = new Map<string, Map<string, number>>();
  const last = new Map<string, ConnectionQuality>();
  const reconnecting = new Set<string>();
  const update = (peerId: string, peer: RemotePeer | undefined) => {
    const known = [...(scores.get(peerId)?.values() ?? [])];
    const quality: ConnectionQuality = reconnecting.has(peerId)
      ? 'lost'
      : classifyQuality({ score: known.length ? Math.min(...known) : undefined });
    if (last.get(peerId) === quality) return;
    last.set(peerId, quality);
    emit('connectionquality', { peerId, peer, quality });
  };
  const record = (peerId: string, key: string, score: number) => {
    const map = scores.get(peerId) ?? new Map<string, number>();
    scores.set(peerId, map);
    map.set(key, score);
  };
  on('score', (event) => {
    if (event.type === 'producer') {
      const best = Math.max(0, ...event.score.map((s) => s.score));
      record('', event.producerId, best);
      update('', undefined);
      return;
    }
    if (!event.peer) return;
    record(event.peer.id, event.consumerId, Math.min(event.score, event.producerScore));
    update(event.peer.id, event.peer);
  });
  on('peerconnectionstatechange', ({ peer, state }) => {
    if (state === 'reconnecting') reconnecting.add(peer.id);
    else reconnecting.delete(peer.id);
    update(peer.id, peer);
  });
  on('trackremoved', ({ peer, consumerId }) => scores.get(peer.id)?.delete(consumerId));
  on('localtrackunpublished', (local) => scores.get('')?.delete(local.producerId));
  on('peerleft', (peer) => {
    scores.delete(peer.id);
    last.delete(peer.id);
    reconnecting.delete(peer.id);
  });
}
