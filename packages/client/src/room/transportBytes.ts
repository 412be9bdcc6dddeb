import type { Transport } from '../Transport.js';

/**
 * Bytes the transport's peer connection received, from its 'transport'
 * stats (Chromium, Safari) or, where those are missing, its candidate
 * pairs (Firefox); undefined when the stats cannot be read.
 */
export async function bytesReceived(transport: Transport): Promise<number | undefined> {
  let report: RTCStatsReport;
  try {
    report = await transport.getStats();
  } catch {
    return undefined;
  }
  let fromTransports: number | undefined;
  let fromPairs: number | undefined;
  report.forEach((stat: { type?: string; bytesReceived?: unknown }) => {
    if (typeof stat.bytesReceived !== 'number') return;
    if (stat.type === 'transport') fromTransports = (fromTransports ?? 0) + stat.bytesReceived;
    else if (stat.type === 'candidate-pair') fromPairs = (fromPairs ?? 0) + stat.bytesReceived;
  });
  return fromTransports ?? fromPairs;
}
