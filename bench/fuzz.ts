// The protocol fuzzer at full size (issue 11): generated, mutated and junk
// messages from several clients at once against an in-process server on the
// real mediasoup worker, every invariant checked after every run (see
// packages/server-adapter/src/fuzz/). Runs in chunks of fast-check runs, each
// chunk with its own seed (base seed + chunk number), until --messages were
// sent. A failure is minimized once; later runs that only repeat it are
// counted, not failed, so the session goes on looking for others. Prints messages per second against a baseline measured first in the
// same process (valid `ping` round trips on the same server), the load, the
// answers by code, and any minimized counterexample with its seed and path.
//
// Usage (repo root): pnpm bench:fuzz [--messages=1000000] [--seed=N]
//   [--clients=3] [--steps=150] [--burst=8] [--chunk=50] [--chunk-seconds=90]
//   [--path=P] (with --seed: replay the one counterexample a failure printed)
// Not a test: throughput depends on the machine.
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { emptyTally, FuzzClient } from '../packages/server-adapter/src/fuzz/FuzzClient.js';
import { IdPool } from '../packages/server-adapter/src/fuzz/IdPool.js';
import { FuzzSession, failureKind } from '../packages/server-adapter/src/fuzz/runner.js';
import { FRESH_ID } from '../packages/server-adapter/src/fuzz/wire.js';
import { flag } from './flags.js';

const MESSAGES = flag('messages', 1_000_000);
const SEED = flag('seed', Date.now() % 2 ** 31);
const CLIENTS = flag('clients', 3);
const STEPS = flag('steps', 150);
const BURST = flag('burst', 8);
const CHUNK = flag('chunk', 50);
/** With --seed: replays one counterexample (the path printed with a failure), nothing else. */
const PATH = process.argv.find((a) => a.startsWith('--path='))?.slice('--path='.length);
/** Per chunk: bounds the shrinking of a failure (each replay may wait for an answer). */
const TIME_LIMIT_MS = flag('chunk-seconds', 90) * 1000;

const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** Valid pings answered one burst at a time: the cheapest full round trip of the same server. */
async function pingBaseline(session: FuzzSession, count: number): Promise<number> {
  const client = new FuzzClient(session.server, new IdPool(), emptyTally(), '10.98.0.1');
  const ping = { kind: 'value' as const, value: { id: FRESH_ID, method: 'ping', data: {} } };
  const started = performance.now();
  for (let sent = 0; sent < count; sent += BURST) {
    for (let i = 0; i < BURST; i++) client.send(ping);
    if (!(await client.whenSettled(10_000))) throw new Error('pings went unanswered');
  }
  const perSecond = count / ((performance.now() - started) / 1000);
  client.close();
  return perSecond;
}

console.log(`bench:fuzz ${new Date().toISOString()} load ${load()} (${os.cpus().length} cores)`);
console.log(
  `target ${MESSAGES} messages, base seed ${SEED}, ${CLIENTS} clients/run, <=${STEPS} bursts of <=${BURST}`,
);
const session = await FuzzSession.start();
const baseline = await pingBaseline(session, 20_000);
console.log(`baseline: ${baseline.toFixed(0)} valid pings/s answered`);

const started = performance.now();
let runs = 0;
let lastPrint = started;
/** Failure kinds minimized so far, and how often each came back after. */
const known = new Map<string, number>();
const failures: string[] = [];
for (let chunk = 0; session.tally.messages < MESSAGES && !(PATH && chunk > 0); chunk++) {
  const seed = (SEED + chunk) % 2 ** 31;
  let firstProblems: string[] | undefined;
  const report = await session.run({
    seed,
    numRuns: CHUNK,
    clients: CLIENTS,
    steps: STEPS,
    burst: BURST,
    timeLimitMs: TIME_LIMIT_MS,
    known,
    ...(PATH ? { path: PATH } : {}),
    onFailure: (problems) => {
      firstProblems ??= problems;
    },
    progress: (tally) => {
      const now = performance.now();
      if (now - lastPrint < 60_000) return;
      lastPrint = now;
      const rate = tally.messages / ((now - started) / 1000);
      console.log(
        `  ${tally.messages} messages, ${rate.toFixed(0)}/s (${(rate / baseline).toFixed(2)}x pings), load ${load()}`,
      );
    },
  });
  runs = report.runs;
  const { result } = report;
  if (!result.failed || !firstProblems) continue;
  known.set(failureKind(firstProblems), 0);
  const error =
    result.errorInstance instanceof Error
      ? result.errorInstance.message
      : String(result.errorInstance);
  const text = [
    `FAILURE ${failures.length + 1} (chunk ${chunk}): seed ${result.seed}, path "${result.counterexamplePath}", ${result.numShrinks} shrinks`,
    `  replay: pnpm bench:fuzz --seed=${result.seed} --path=${result.counterexamplePath} --chunk=${CHUNK} --clients=${CLIENTS} --steps=${STEPS} --burst=${BURST}`,
    `  first failing run: ${firstProblems.join('\n    ')}`,
    `  minimized: ${error}`,
    `  minimized counterexample: ${JSON.stringify(result.counterexample).slice(0, 3000)}`,
  ].join('\n');
  failures.push(text);
  console.log(text);
}
const seconds = (performance.now() - started) / 1000;
const { tally } = session;
const rate = tally.messages / seconds;
console.log(
  `${tally.messages} messages in ${runs} runs, ${seconds.toFixed(0)} s: ${rate.toFixed(0)} messages/s, ` +
    `${(rate / baseline).toFixed(2)}x the ping baseline; load ${load()}`,
);
console.log(`answers: ${tally.answers}; by code: ${JSON.stringify(tally.codes)}`);
if (tally.internal.length > 0)
  console.log(
    `INTERNAL answers (first ${tally.internal.length}):\n  ${tally.internal.join('\n  ')}`,
  );
console.log(
  failures.length === 0
    ? 'no invariant broken'
    : `${failures.length} distinct failures; repeats after minimizing: ${JSON.stringify(Object.fromEntries(known))}`,
);
await session.close();
process.exit(failures.length > 0 ? 1 : 0);
