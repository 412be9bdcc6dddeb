// A slow link for the cut client of support/cutClient.ts, with `tbf` (the
// only shaping qdisc this kernel has: no netem). The server side of the
// link is the host end of the client's veth, so shaping that end's egress
// slows what the server sends the client (its downlink), and shaping the
// namespace end's egress slows what the client sends (its uplink). Other
// browsers on the host reach the server over loopback and are not slowed.
import { execFileSync } from 'node:child_process';
import type { CutClient } from './cutClient.js';

export type LinkDirection = 'downlink' | 'uplink';

/** Queue a tbf keeps before it drops: 200 ms of traffic, as a modest home router would. */
const LATENCY = '200ms';
/** Bytes sent at line rate after idle: a few full packets, so a burst is not free. */
const BURST = '4kb';

function tc(cut: CutClient, direction: LinkDirection, args: string[]): void {
  const dev = direction === 'downlink' ? cut.netns.hostVeth : cut.netns.innerVeth;
  const prefix = direction === 'downlink' ? [] : ['-n', cut.netns.name];
  execFileSync('tc', [...prefix, 'qdisc', ...args.map((a) => (a === '$dev' ? dev : a))], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

/** Limits one direction of the client's link to `kbit` kbit/s. */
export function shapeLink(cut: CutClient, direction: LinkDirection, kbit: number): void {
  if (!Number.isInteger(kbit) || kbit < 8) throw new RangeError(`rate ${kbit} kbit/s: give >= 8`);
  tc(cut, direction, [
    'replace',
    'dev',
    '$dev',
    'root',
    'tbf',
    'rate',
    `${kbit}kbit`,
    'burst',
    BURST,
    'latency',
    LATENCY,
  ]);
}

/** Removes the limit (no-op when there is none). */
export function clearLink(cut: CutClient, direction: LinkDirection): void {
  try {
    tc(cut, direction, ['del', 'dev', '$dev', 'root']);
  } catch {
    // No qdisc of ours there: the link is clear already.
  }
}
