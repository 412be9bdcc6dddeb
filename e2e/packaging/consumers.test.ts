/**
 * The packages as users get them: packed tarballs, checked with publint and
 * attw, installed with npm into a throwaway app outside the workspace, built
 * by Vite, webpack 5 and esbuild, type-checked under `bundler` and `node16`,
 * and run: the Node app (packed server adapter on the real worker + a bot on
 * the packed client's Node handler) serves the pages to Chromium, each page
 * joins and decodes the bot's video, the bot decodes each page's video.
 *
 * VROOM_NO_BROWSERS=1 (scripts/test.mjs --no-browsers) skips the Chromium part.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from '../support/chromiumArgs.js';
import { builtWorkerBin, type Packed, packAll, repoRoot, workspaceManifest } from './packing.js';

const bin = (name: string) => join(repoRoot, 'node_modules', '.bin', name);
const noBrowsers = process.env.VROOM_NO_BROWSERS === '1' || !existsSync('/usr/bin/chromium');
/** One npm cache for every run, so later installs download nothing. */
const npmCache = join(tmpdir(), 'vroom-consumer-npm-cache');

let packed: Packed[] = [];
let app = '';
let workerBin = '';

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  try {
    return execFileSync(command, args, {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed:\n${stdout ?? ''}\n${stderr ?? ''}`);
  }
}

/** The throwaway app: its package.json names the tarballs and the tools, nothing else. */
function writeApp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vroom-consumer-'));
  cpSync(join(import.meta.dirname, 'consumer'), dir, { recursive: true });
  const tarballs = Object.fromEntries(packed.map((p) => [p.name, `file:${p.tarball}`]));
  const manifest = {
    name: 'vroom-consumer',
    private: true,
    type: 'module',
    dependencies: {
      ...tarballs,
      '@roamhq/wrtc': '0.10.0',
      ws: '8.23.0',
    },
    devDependencies: {
      '@types/node': '20.19.43',
      '@types/ws': '8.18.1',
      esbuild: '0.28.2',
      typescript: '5.9.3',
      vite: '8.3.8',
      webpack: '5.113.0',
    },
  };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return dir;
}

before(
  () => {
    workerBin = builtWorkerBin();
    assert.ok(existsSync(workerBin), `no built worker at ${workerBin}: run pnpm install first`);
    packed = packAll();
    app = writeApp();
    mkdirSync(npmCache, { recursive: true });
    const started = Date.now();
    // MEDIASOUP_WORKER_BIN: mediasoup 3.8.4's postinstall skips `make -C worker`
    // (the pnpm patch for its build is not needed then), and at run time
    // mediasoup spawns that binary instead of its own worker/out/.
    const log = run(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        '--foreground-scripts',
        '--cache',
        npmCache,
      ],
      app,
      { MEDIASOUP_WORKER_BIN: workerBin },
    );
    const postinstall = /running task "postinstall"/.test(log)
      ? 'ran, without building'
      : 'did not run';
    console.log(
      `npm install in ${app}: ${((Date.now() - started) / 1000).toFixed(1)} s (mediasoup postinstall ${postinstall})`,
    );
  },
  { timeout: 600_000 },
);

after(() => {
  if (process.env.VROOM_KEEP_CONSUMER) return;
  if (app) rmSync(app, { recursive: true, force: true });
  if (packed[0]) rmSync(dirname(packed[0].tarball), { recursive: true, force: true });
});

describe('published packages', () => {
  it('ship dist/, README and package.json only: no sources, tests, fixtures or test doubles by path', () => {
    for (const { name, files } of packed) {
      const stray = files.filter(
        (path) =>
          !/^(package\.json|README\.md|dist\/.+\.(js|d\.ts|js\.map))$/.test(path) ||
          /\.test\.|\/testing\/|\/fixtures\/|^src\//.test(path),
      );
      assert.deepEqual(stray, [], `${name} ships ${stray.join(', ')}`);
    }
  });

  it('publish the entry points the workspace uses, each pointing at dist/ with types first', () => {
    for (const { dir, name, manifest } of packed) {
      const workspace = workspaceManifest(dir);
      assert.deepEqual(Object.keys(manifest.exports), Object.keys(workspace.exports), name);
      for (const [subpath, target] of Object.entries(manifest.exports)) {
        assert.deepEqual(Object.keys(target as object), ['types', 'default'], `${name} ${subpath}`);
        for (const file of Object.values(target as Record<string, string>))
          assert.ok(file.startsWith('./dist/'), `${name} ${subpath} -> ${file}`);
      }
      assert.ok(!JSON.stringify(manifest).includes('workspace:'), `${name}: workspace: range left`);
    }
  });

  it('pass publint (strict) and attw (esm-only profile)', () => {
    for (const { tarball } of packed) {
      run(bin('publint'), ['run', tarball, '--strict'], repoRoot);
      run(bin('attw'), [tarball, '--profile', 'esm-only', '--format', 'ascii'], repoRoot);
    }
  });
});

describe('a consumer app outside the workspace', () => {
  it('mediasoup installed from npm without building its worker', () => {
    assert.ok(!existsSync(join(app, 'node_modules/mediasoup/worker/out/Release/mediasoup-worker')));
    assert.ok(
      existsSync(join(app, 'node_modules/mediasoup/node/lib/index.js')) ||
        existsSync(join(app, 'node_modules/mediasoup/lib/index.js')),
    );
  });

  it('type-checks the Node app under moduleResolution bundler and node16 (and builds it)', () => {
    const tsc = join(app, 'node_modules/.bin/tsc');
    run(tsc, ['-p', 'tsconfig.bundler.json'], app);
    run(tsc, ['-p', 'tsconfig.node16.json'], app);
    assert.ok(existsSync(join(app, 'out/main.js')));
  });

  it('type-checks every published entry point under bundler and node16 without skipLibCheck', () => {
    const specifiers = packed.flatMap(({ name, manifest }) =>
      Object.keys(manifest.exports).map((subpath) => `${name}${subpath.slice(1)}`),
    );
    const lines = specifiers.map((s, i) => `import type * as entry${i} from '${s}';`);
    lines.push(`export type { ${specifiers.map((_, i) => `entry${i}`).join(', ')} };`);
    mkdirSync(join(app, 'entries'), { recursive: true });
    writeFileSync(join(app, 'entries', 'all.ts'), `${lines.join('\n')}\n`);
    const tsc = join(app, 'node_modules/.bin/tsc');
    run(tsc, ['-p', 'tsconfig.dts.json'], app);
    run(
      tsc,
      ['-p', 'tsconfig.dts.json', '--module', 'preserve', '--moduleResolution', 'bundler'],
      app,
    );
    console.log(`${specifiers.length} entry points: ${specifiers.join(' ')}`);
  });

  it('builds the browser app with Vite, webpack 5 and esbuild', { timeout: 300_000 }, () => {
    const out = run(process.execPath, ['build.mjs'], app);
    console.log(out.trim());
    for (const bundler of ['vite', 'webpack', 'esbuild'])
      assert.match(out, new RegExp(`^bundle ${bundler}: \\d+ B min`, 'm'));
  });

  it('each bundle joins the packed server in Chromium and exchanges video with the Node bot', {
    skip: noBrowsers && 'no browsers (VROOM_NO_BROWSERS=1 or no /usr/bin/chromium)',
    timeout: 240_000,
  }, async () => {
    const server = startNodeApp();
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
    });
    try {
      const url = await server.line(/^listening (\S+)/, 30_000);
      await server.line(/^bot joined/, 30_000);
      for (const bundler of ['vite', 'webpack', 'esbuild']) {
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on('pageerror', (error) => errors.push(String(error)));
        await page.goto(`${url[1]}/${bundler}/?name=${bundler}`);
        await page.waitForFunction(
          () => {
            const result = (window as { consumerResult?: { done: boolean; error?: string } })
              .consumerResult;
            return result?.done || result?.error;
          },
          undefined,
          { timeout: 45_000 },
        );
        const result = await page.evaluate(
          () => (window as unknown as { consumerResult: Record<string, unknown> }).consumerResult,
        );
        assert.equal(result.error, undefined, `${bundler}: ${result.error}`);
        assert.deepEqual(errors, [], bundler);
        assert.equal(result.handlerName, 'Chrome111', bundler);
        assert.equal(result.sameDeviceClass, true, bundler);
        assert.deepEqual(result.frame, { width: 320, height: 240 }, bundler);
        const decoded = await server.line(
          new RegExp(`^bot decoded ${bundler} (\\d+)x(\\d+)`),
          30_000,
        );
        console.log(
          `${bundler}: page decoded the bot's 320x240, bot decoded the page's ${decoded[1]}x${decoded[2]}`,
        );
        await page.close();
      }
    } finally {
      await browser.close();
      server.stop();
    }
  });
});

/** `node out/main.js dist` in the app, with its stdout readable line by line. */
function startNodeApp(): {
  line: (pattern: RegExp, timeoutMs: number) => Promise<RegExpMatchArray>;
  stop: () => void;
} {
  const child: ChildProcess = spawn(process.execPath, ['out/main.js', join(app, 'dist')], {
    cwd: app,
    env: { ...process.env, MEDIASOUP_WORKER_BIN: workerBin },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  return {
    async line(pattern, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      const multiline = new RegExp(pattern.source, 'm');
      while (Date.now() < deadline) {
        const match = output.match(multiline);
        if (match) return match;
        if (child.exitCode !== null) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`the Node app did not print ${pattern}; it printed:\n${output}`);
    },
    stop() {
      child.stdin?.end();
      child.kill('SIGTERM');
    },
  };
}
