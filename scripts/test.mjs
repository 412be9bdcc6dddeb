// The whole test suite, as the README's second command and .ci/run run it:
// setup (dependencies, worker build, browsers), type check, lint, the Node
// test files of every package, then the Playwright browser tests. It ends with
// one summary line over everything: "tests: N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installBrowsers, installDependencies, installSystemTools } from './setup.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => join(root, 'node_modules', '.bin', name);
const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];

function run(label, command, args, options = {}) {
  console.log(`\n[test] ${label}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  return result.status === 0;
}

/** A check that is not a test file (type check, lint) counts as one test. */
function gate(label, command, args) {
  if (run(label, command, args)) totals.passed++;
  else {
    totals.failed++;
    failures.push(label);
  }
}

function findFiles(dir, pattern, found = []) {
  if (!existsSync(dir)) return found;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) findFiles(path, pattern, found);
    else if (pattern.test(entry.name)) found.push(path);
  }
  return found;
}

const only = process.argv.slice(2).find((a) => !a.startsWith('-'));
const withBrowsers = !process.argv.includes('--no-browsers');
try {
  await installDependencies();
  await installSystemTools();
  if (withBrowsers) await installBrowsers();
} catch (error) {
  // Nothing can be tested without them: the summary line still comes last.
  if (error.name !== 'StepFailedError' && error.name !== 'StepInterruptedError') throw error;
  console.log(`\n[test] ${error.message}${error.advice ? `. ${error.advice}` : ''}`);
  console.log('\ntests: 0 passed, 1 failed, 0 skipped');
  process.exit(error.name === 'StepInterruptedError' ? 130 : 1);
}

// 1. Types and lint over every workspace project.
const examples = existsSync(join(root, 'examples'))
  ? readdirSync(join(root, 'examples')).map((name) => `examples/${name}`)
  : [];
const projects = [
  'packages/protocol',
  'packages/client',
  'packages/server-adapter',
  'e2e',
  'bench',
  ...examples,
].filter((project) => existsSync(join(root, project, 'tsconfig.json')));
if (!only) {
  for (const project of projects)
    gate(`typecheck ${project}`, bin('tsc'), ['-p', join(project, 'tsconfig.json'), '--noEmit']);
  // The client's browser graph again, without Node's types (see that file).
  gate('typecheck packages/client (browser graph)', bin('tsc'), [
    '-p',
    'packages/client/tsconfig.browser.json',
  ]);
  gate('lint (biome)', bin('biome'), ['check', '.']);
}

// 2. Node tests: unit tests beside each package's code, and e2e/node.
const nodeTests = [
  ...findFiles(join(root, 'packages'), /\.test\.ts$/),
  ...findFiles(join(root, 'e2e', 'node'), /\.test\.ts$/),
  // Packed tarballs, publint/attw, consumer apps (Vite, webpack, esbuild, Node).
  ...findFiles(join(root, 'e2e', 'packaging'), /\.test\.ts$/),
  ...findFiles(join(root, 'examples'), /\.test\.ts$/),
  // The setup steps themselves (quiet installs, Ctrl-C).
  ...findFiles(join(root, 'scripts'), /\.test\.ts$/),
]
  .map((file) => relative(root, file))
  .filter((file) => !only || file.includes(only))
  .sort();
if (nodeTests.length > 0) {
  const tap = join(mkdtempSync(join(tmpdir(), 'vroom-test-')), 'node.tap');
  run(
    `node --test (${nodeTests.length} files)`,
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      '--test-concurrency=1',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tap}`,
      ...nodeTests,
    ],
    { env: { ...process.env, ...(withBrowsers ? {} : { VROOM_NO_BROWSERS: '1' }) } },
  );
  const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  const count = (key) => Number(text.match(new RegExp(`^# ${key} (\\d+)$`, 'm'))?.[1] ?? 0);
  totals.passed += count('pass');
  totals.failed += count('fail') + count('cancelled');
  totals.skipped += count('skipped') + count('todo');
  if (count('fail') + count('cancelled') > 0) failures.push('node tests');
  if (!text) {
    totals.failed++;
    failures.push('node test runner produced no report');
  }
}

// 3. Browser tests (Playwright, real Chromium; Firefox through puppeteer-core).
// The fragment is matched against paths relative to the repository (the
// checkout's own path may contain it).
const browserTests = findFiles(join(root, 'e2e', 'browser'), /\.spec\.ts$/).filter(
  (file) => !only || relative(root, file).includes(only),
);
if (withBrowsers && browserTests.length > 0) {
  const report = join(mkdtempSync(join(tmpdir(), 'vroom-pw-')), 'report.json');
  run(
    'playwright test',
    bin('playwright'),
    ['test', '--reporter=list,json', ...(only ? [only] : [])],
    {
      env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: report },
    },
  );
  const stats = existsSync(report) ? JSON.parse(readFileSync(report, 'utf8')).stats : undefined;
  if (!stats) {
    totals.failed++;
    failures.push('playwright produced no report');
  } else {
    totals.passed += stats.expected + stats.flaky;
    totals.failed += stats.unexpected;
    totals.skipped += stats.skipped;
    if (stats.unexpected > 0) failures.push('browser tests');
  }
}

if (failures.length > 0) console.log(`\n[test] failed: ${failures.join(', ')}`);
console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 || totals.passed === 0 ? 1 : 0);
