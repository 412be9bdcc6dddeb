/**
 * The public API surface is reviewed, not drifted: every published entry
 * point's declarations must equal its committed API Extractor report
 * (packages/<pkg>/api/*.api.md). After a deliberate change:
 * `node scripts/api-report.mjs --update`, and commit the reports with it.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { it } from 'node:test';
import { repoRoot } from './packing.js';

it('every entry point matches its committed API report', { timeout: 600_000 }, () => {
  const check = spawnSync(process.execPath, ['scripts/api-report.mjs'], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  const output = `${check.stdout}${check.stderr}`.replace(/^Analysis will use .*\n/gm, '');
  console.log(output.trim());
  assert.equal(check.status, 0, 'API reports out of date (see the diff above)');
});
