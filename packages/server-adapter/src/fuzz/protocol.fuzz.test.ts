import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { FuzzSession } from './runner.js';

// The CI slice of the protocol fuzzer (bench/fuzz.ts runs a million
// messages): a fixed seed, so a failure here replays the same messages.
const SEED = 20261204;

let session: FuzzSession;
before(async () => {
  session = await FuzzSession.start();
});
after(() => session.close());

it('keeps every invariant over generated, mutated and junk messages from 3 clients at once', async (t) => {
  // About 1,500 messages; a few seconds on the 2-core CI machine.
  const { result, tally, runs } = await session.run({
    seed: SEED,
    numRuns: 50,
    clients: 3,
    steps: 16,
    burst: 6,
  });
  t.diagnostic(
    `${runs} runs, ${tally.messages} messages, answers by code ${JSON.stringify(tally.codes)}`,
  );
  assert.ok(!result.failed, fcReport(result));
  // The slice must reach past the envelope checks, into the handlers and the worker.
  assert.ok(tally.codes.ok && tally.codes.ok > 100, `only ${tally.codes.ok} ok answers`);
  assert.ok(tally.codes.NOT_FOUND, 'no request named an id it did not own');
  assert.ok(tally.codes.INVALID_DATA && tally.codes.BAD_MESSAGE);
  assert.ok(runs >= 50);
});

function fcReport(result: {
  counterexample: unknown;
  seed: number;
  counterexamplePath: string | null;
  errorInstance: unknown;
}): string {
  const error =
    result.errorInstance instanceof Error
      ? result.errorInstance.message
      : String(result.errorInstance);
  return `seed ${result.seed} path ${result.counterexamplePath}:\n${error}\ncounterexample: ${JSON.stringify(result.counterexample).slice(0, 2000)}`;
}
