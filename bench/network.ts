// Media on bad networks (issue 18) in real Chromium on the example app and the
// real mediasoup 3.8.4 worker: client A inside a namespace (e2e/support/
// cutClient.ts, `netbench`, 10.77.64/24 and 10.77.65/24), B on the host, A's
// link shaped with tbf or cut. Each scenario over N trials, a fresh room per
// trial; prints the figures per trial as a table, with the machine
// load, and the targets met or not.
//
// Usage (repo root, as root: it makes a network namespace; through the
// shared lock on a shared machine):
//   pnpm bench:network [--trials=1] [--scenarios=down300,down150,outage2,outage5,outage10,up300]
//                      [--no-policy] [--record=<dir>]
// --no-policy runs the server without its downlink layer policy (the worker
// alone: the "before" figures); --record writes the server's BWE trace of
// each downlink trial as JSON into <dir> (the policy's test fixtures).
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  closePair,
  type OutageResult,
  openWatchedPair,
  outageDelayTrial,
  type ShapedResult,
  shapedTrial,
} from '../e2e/support/networkScenarios.js';
import { type Rig, startRig } from '../e2e/support/recoveryRig.js';
import { flag } from './flags.js';

const ALL = ['down300', 'down150', 'outage2', 'outage5', 'outage10', 'up300'] as const;
type Scenario = (typeof ALL)[number];

const TRIALS = flag('trials', 1);
const scenariosArg = process.argv.find((a) => a.startsWith('--scenarios='));
const SCENARIOS = (
  scenariosArg ? scenariosArg.slice('--scenarios='.length).split(',') : [...ALL]
) as Scenario[];
for (const s of SCENARIOS) {
  if (!ALL.includes(s)) throw new TypeError(`unknown scenario "${s}": use ${ALL.join(', ')}`);
}
const POLICY = !process.argv.includes('--no-policy');
const recordArg = process.argv.find((a) => a.startsWith('--record='));
const RECORD_DIR = recordArg?.slice('--record='.length);
const HOLD_MS = 30_000;

const s = (ms: number | undefined) => (ms === undefined ? 'never' : `${(ms / 1000).toFixed(1)} s`);
const ms = (v: number | undefined) => (v === undefined ? '-' : `${Math.round(v)} ms`);
const pct = (v: number | undefined) => (v === undefined ? '-' : `${(v * 100).toFixed(1)} %`);
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

function shapedRow(name: Scenario, trial: number, r: ShapedResult): string {
  const targets: string[] = [];
  if (name === 'down300') {
    targets.push(
      `fps>=12 ${(r.fpsFrom8s ?? 0) >= 12 ? 'yes' : 'NO'}`,
      `stall<=2s ${r.longestStallMs <= 2000 ? 'yes' : 'NO'}`,
      `full<=10s ${r.fullBackMs !== undefined && r.fullBackMs <= 10_000 ? 'yes' : 'NO'}`,
    );
  }
  if (name === 'down150') {
    targets.push(
      `stall<=2s ${r.longestStallMs <= 2000 ? 'yes' : 'NO'}`,
      `concealed<=3% ${r.concealed !== undefined && r.concealed <= 0.03 ? 'yes' : 'NO'}`,
    );
  }
  if (name === 'up300') {
    targets.push(
      `720p<=10s ${r.fullBackMs !== undefined && r.fullBackMs <= 10_000 ? 'yes' : 'NO'}`,
    );
  }
  if (r.jbBeforeMs !== undefined && r.jbAfterMs !== undefined) {
    targets.push(`jb+<=50ms ${r.jbAfterMs - r.jbBeforeMs <= 50 ? 'yes' : 'NO'}`);
  }
  return `| ${name} #${trial} | ${r.fpsFrom8s?.toFixed(1) ?? '-'} | ${r.secondsUnder5} | ${s(r.longestStallMs)} | ${s(r.firstLowerMs)} | ${s(r.fullBackMs)} | ${pct(r.concealedFirst3s)} / ${pct(r.concealed)} | ${ms(r.jbBeforeMs)} -> ${ms(r.jbAfterMs)} | ${targets.join(', ')} | ${load()} |`;
}

function outageRow(name: Scenario, trial: number, r: OutageResult): string {
  const met =
    r.jbBeforeMs !== undefined && r.jbAfterMs !== undefined && r.jbAfterMs - r.jbBeforeMs <= 50;
  return `| ${name} #${trial} | ${ms(r.jbBeforeMs)} | ${ms(r.jbFirst10sMs)} | ${ms(r.jbAfterMs)} | ${ms(r.audioJbBeforeMs)} -> ${ms(r.audioJbAfterMs)} | ${met ? 'yes' : 'NO'} | ${load()} |`;
}

async function runTrial(rig: Rig, name: Scenario, trial: number): Promise<string> {
  const roomId = `${name}-${trial}-${Date.now() % 100_000}`;
  const pair = await openWatchedPair(rig, roomId);
  try {
    if (name.startsWith('outage')) {
      const result = await outageDelayTrial(rig, pair, Number(name.slice('outage'.length)) * 1000);
      console.error(`${name} #${trial}: ${JSON.stringify(result)}`);
      return outageRow(name, trial, result);
    }
    const result = await shapedTrial(rig, pair, roomId, {
      direction: name.startsWith('up') ? 'uplink' : 'downlink',
      kbit: Number(name.slice(name.startsWith('up') ? 2 : 4)),
      holdMs: HOLD_MS,
      record: RECORD_DIR !== undefined && name.startsWith('down'),
    });
    const { trace, ...figures } = result;
    console.error(`${name} #${trial}: ${JSON.stringify(figures)}`);
    if (trace && RECORD_DIR) {
      mkdirSync(RECORD_DIR, { recursive: true });
      const file = join(RECORD_DIR, `${name}-${POLICY ? 'policy' : 'worker'}-${trial}.json`);
      writeFileSync(file, `${JSON.stringify(trace)}\n`);
      console.error(`recorded ${trace.events.length} events to ${file}`);
    }
    return shapedRow(name, trial, result);
  } finally {
    await closePair(pair);
  }
}

async function main(): Promise<void> {
  const example = fileURLToPath(new URL('../examples/video-room/', import.meta.url));
  execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: example, stdio: 'inherit' });
  const rig = await startRig({
    name: 'netbench',
    primary: '10.77.64',
    secondary: '10.77.65',
    downlinkLayers: POLICY,
  });
  const shaped: string[] = [];
  const outages: string[] = [];
  try {
    for (const name of SCENARIOS) {
      for (let trial = 1; trial <= TRIALS; trial++) {
        try {
          const row = await runTrial(rig, name, trial);
          (name.startsWith('outage') ? outages : shaped).push(row);
        } catch (error) {
          console.error(`${name} #${trial} failed: ${String(error)}`);
          (name.startsWith('outage') ? outages : shaped).push(
            `| ${name} #${trial} | failed: ${String(error).slice(0, 120)} |`,
          );
        }
      }
    }
  } finally {
    await rig.close();
  }
  console.log(
    `\nnetwork bench, ${new Date().toISOString()}, trials=${TRIALS}, layer policy ${POLICY ? 'on' : 'off'}, loadavg at end ${load()}`,
  );
  if (shaped.length > 0) {
    console.log(
      '\n| link (A shaped 30 s) | fps from 8 s | s < 5 fps | longest stall | first lower res | full res back | audio concealed (first 3 s / after) | jitter buffer before -> 10 s after | targets | loadavg |',
    );
    console.log('|---|---|---|---|---|---|---|---|---|---|');
    for (const row of shaped) console.log(row);
  }
  if (outages.length > 0) {
    console.log(
      "\n| A's link cut | B's video jitter buffer before | 0-10 s after | 10-15 s after | audio before -> after | within 50 ms | loadavg |",
    );
    console.log('|---|---|---|---|---|---|---|');
    for (const row of outages) console.log(row);
  }
  console.log(
    '\ndown/up = what the server sends A / what A sends, at the receiver of that direction; full res = 1280 px wide.',
  );
}

await main();
