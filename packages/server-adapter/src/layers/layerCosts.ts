import type { types } from 'mediasoup';

/** One inbound-rtp entry of `producer.getStats()` as mediasoup 3.8.4 fills it. */
interface ProducerStreamStats {
  type: string;
  rid?: string;
  ssrc?: number;
  bitrate?: number;
  /** Bits/s of each temporal layer with those below it, keyed `"0.<temporal>"` (one spatial layer per simulcast stream). */
  bitrateByLayer?: Record<string, number>;
}

/**
 * What each layer of a simulcast producer costs to forward, in bits/s of that
 * layer with the layers under it, keyed `"<spatial>.<temporal>"`: the
 * worker's own measurement (`bitrateByLayer` of each encoding's stream),
 * spatial index in the producer's encoding order. A stream not seen yet is
 * left out (the policy then uses its table's figure).
 */
export async function layerCosts(producer: types.Producer): Promise<Record<string, number>> {
  const costs: Record<string, number> = {};
  if (producer.closed) return costs;
  const stats = (await producer.getStats()) as ProducerStreamStats[];
  const encodings = producer.rtpParameters.encodings ?? [];
  for (const stream of stats) {
    if (stream.type !== 'inbound-rtp') continue;
    const spatial = encodings.findIndex((encoding) =>
      stream.rid !== undefined ? encoding.rid === stream.rid : encoding.ssrc === stream.ssrc,
    );
    if (spatial < 0) continue;
    for (const [key, bps] of Object.entries(stream.bitrateByLayer ?? {})) {
      const temporal = key.split('.')[1];
      if (temporal !== undefined && bps > 0) costs[`${spatial}.${temporal}`] = bps;
    }
  }
  return costs;
}
