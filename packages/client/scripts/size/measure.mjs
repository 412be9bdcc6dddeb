// Bundle-size measurement and budgets: the apps of apps.mjs bundled with
// esbuild (minified, ES2020, browser, gzip -9) against this package's
// sources and against mediasoup-client 3.24.1 in the same run, so the
// budgets are ratios that hold whatever esbuild version or machine.

import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { deviceApp, roomApp } from './apps.mjs';

export const packageDir = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Budgets, as ratios of mediasoup-client's gzip size for the Device app,
 * measured in the same run. Device app: issue 12's target. RoomClient app
 * (no mediasoup-client counterpart): its size when the budget was set
 * (1.487 on 2026-12-04, with the team's chosen dependencies) plus about
 * 2.5 KB gzip of headroom; 1.6 since issue 15, 1.65 since issue 16 (see
 * the client README, "Budgets in CI").
 */
export const BUDGETS = { device: 0.9, room: 1.65 };

/**
 * What must never reach a browser bundle unimported: test doubles and
 * helpers, the Node handler, Node built-ins, @roamhq/wrtc.
 */
const FORBIDDEN_INPUT =
  /handlers\/(Node|FakeHandler|FakeMediaStreamTrack|FakeDataChannel)\.ts$|\/test\/|\/testing\/|@roamhq|^node:/;

// pnpm can give each package (@vroom/client, mediasoup-client, awaitqueue,
// h264-profile-level-id) its own copy of `debug`; an app's flat install has
// one. Resolve every `debug` import to the copy beside mediasoup-client (the
// same version, 4.4.3, as ours), so both bundles carry exactly one.
const mediasoupClientDir = realpathSync(join(packageDir, 'node_modules', 'mediasoup-client'));
const singleDebug = {
  name: 'single-debug',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^debug$/ }, async (args) => {
      if (args.pluginData === 'single-debug') return undefined;
      return pluginBuild.resolve('debug', {
        resolveDir: mediasoupClientDir,
        kind: args.kind,
        pluginData: 'single-debug',
      });
    });
  },
};

/** Bundles `contents` (an app's source) and returns its bytes and inputs. */
export async function bundle(name, contents, options = {}) {
  const result = await build({
    stdin: { contents, resolveDir: packageDir, loader: 'js', sourcefile: `${name}-app.js` },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    write: false,
    logLevel: 'silent',
    metafile: true,
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: [singleDebug],
    ...options,
  });
  const code = result.outputFiles[0].contents;
  const inputs = Object.values(result.metafile.outputs)[0].inputs;
  const minOf = (test) =>
    Object.entries(inputs)
      .filter(([path]) => test(path))
      .reduce((sum, [, input]) => sum + input.bytesInOutput, 0);
  return {
    name,
    result,
    min: code.byteLength,
    gzip: gzipSync(code, { level: 9 }).byteLength,
    inputs: Object.keys(inputs),
    /** Minified bytes of the inputs whose path passes `test`. */
    minOf,
    forbidden: Object.keys(inputs).filter((path) => FORBIDDEN_INPUT.test(path)),
  };
}

/** Our own code (client + protocol sources): everything else left external. */
async function ownGzip(name, contents) {
  const own = await bundle(`${name}-own`, contents, {
    plugins: [
      {
        name: 'dependencies-external',
        setup(pluginBuild) {
          pluginBuild.onResolve({ filter: /^[^./]/ }, (args) =>
            args.path.startsWith('@vroom/') ? undefined : { path: args.path, external: true },
          );
        },
      },
    ],
  });
  return own.gzip;
}

const isOwn = (path) => !path.includes('node_modules/');

/** Both apps against ours, the Device app against mediasoup-client: the figures and verdicts. */
export async function measureBudgets() {
  const theirs = await bundle('mediasoup-client', deviceApp('mediasoup-client'));
  const source = { device: deviceApp('./src/index.ts'), room: roomApp('./src/room/index.ts') };
  const device = await bundle('@vroom/client Device app', source.device);
  const room = await bundle('@vroom/client RoomClient app', source.room);
  const rows = [];
  for (const [key, ours] of [
    ['device', device],
    ['room', room],
  ]) {
    rows.push({
      key,
      name: ours.name,
      min: ours.min,
      gzip: ours.gzip,
      ratio: ours.gzip / theirs.gzip,
      budget: BUDGETS[key],
      ownGzip: await ownGzip(key, source[key]),
      ownMin: ours.minOf(isOwn),
      valibotMin: ours.minOf((path) => path.includes('node_modules/valibot')),
      forbidden: ours.forbidden,
    });
  }
  return { theirs: { min: theirs.min, gzip: theirs.gzip }, rows, device, room };
}

/** One line per app, as the CLI and the test print them. */
export function describeBudgets({ theirs, rows }) {
  const lines = [`mediasoup-client 3.24.1 Device app: ${theirs.min} B min, ${theirs.gzip} B gzip`];
  for (const row of rows) {
    const verdict = row.ratio <= row.budget ? 'within' : 'OVER';
    lines.push(
      `${row.name}: ${row.min} B min, ${row.gzip} B gzip = ${row.ratio.toFixed(3)}x mediasoup-client (budget ${row.budget}x: ${verdict}); ` +
        `own code ${row.ownGzip} B gzip alone, ${((100 * row.ownMin) / row.min).toFixed(0)}% of min` +
        (row.valibotMin > 0 ? `; valibot ${row.valibotMin} B min` : '') +
        (row.forbidden.length > 0 ? `; FORBIDDEN inputs: ${row.forbidden.join(', ')}` : ''),
    );
  }
  return lines;
}
