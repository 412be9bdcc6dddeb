/**
 * CI's bundle-size gate (issue 12): the budgets of measure.mjs, measured in
 * this run against mediasoup-client 3.24.1. `pnpm bench:size` prints the same
 * figures (and `--why` per module).
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
// @ts-expect-error: a plain .mjs module (the bench script's), without declarations.
import { describeBudgets, measureBudgets } from './measure.mjs';

interface Row {
  key: 'device' | 'room';
  name: string;
  ratio: number;
  budget: number;
  forbidden: string[];
}

describe('browser bundles', () => {
  let rows: Row[] = [];
  before(async () => {
    const measured = await measureBudgets();
    rows = measured.rows;
    for (const line of describeBudgets(measured)) console.log(line);
  });

  for (const key of ['device', 'room'] as const) {
    it(`the ${key === 'device' ? 'Device' : 'RoomClient'} app stays within its gzip budget`, () => {
      const row = rows.find((r) => r.key === key);
      assert.ok(row);
      assert.ok(
        row.ratio <= row.budget,
        `${row.name}: ${row.ratio.toFixed(3)}x mediasoup-client's gzip, budget ${row.budget}x`,
      );
    });

    it(`the ${key === 'device' ? 'Device' : 'RoomClient'} app carries no test doubles or Node-only modules`, () => {
      const row = rows.find((r) => r.key === key);
      assert.deepEqual(row?.forbidden, []);
    });
  }
});
