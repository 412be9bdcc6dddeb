// Batched produce() in real Chromium against the real SfuServer (mediasoup
// 3.8.4 worker): N video producers made (a) with @vroom/client in one task
// (Promise.all: one renegotiation), (b) with @vroom/client one by one (await
// each: N renegotiations), (c) with mediasoup-client 3.24.1 in one task (it
// renegotiates once per produce() anyway). Prints median and p95 per mode and
// the ratios. Usage (repo root): pnpm bench:produce [--trials=5] [--tracks=50]
//
// Not a test: figures depend on the machine. The modes run interleaved per
// trial so a slow spell of the shared machine hits all three alike.
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_ARGS } from '../e2e/support/chromiumArgs.js';
import { serveWebSocket } from '../packages/server-adapter/src/bindings/ws.js';
import { createSfuServer } from '../packages/server-adapter/src/index.js';
import { flag } from './flags.js';
import type { Mode, TrialResult } from './produceBatch.page.js';

// The root package depends on no workspace tooling: borrow the e2e package's
// installed esbuild, playwright-core and ws (the same versions the e2e specs use).
const require = createRequire(new URL('../e2e/package.json', import.meta.url));
const esbuild = require('esbuild') as typeof import('esbuild');
const { chromium } = require('playwright-core') as typeof import('playwright-core');
const { WebSocketServer } = require('ws') as typeof import('ws');

const TRIALS = flag('trials', 5);
const TRACKS = flag('tracks', 50);
const STILL = process.argv.includes('--still');
const MODES: Mode[] = ['vroom-batched', 'vroom-one-by-one', 'mediasoup-client-batched'];

async function bundlePage(): Promise<string> {
  const result = await esbuild.build({
    entryPoints: [fileURLToPath(new URL('./produceBatch.page.js', import.meta.url))],
    // The page imports workspace packages: resolve them as the e2e package does.
    nodePaths: [fileURLToPath(new URL('../e2e/node_modules', import.meta.url))],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    logLevel: 'warning',
  });
  return result.outputFiles[0]!.text;
}

const bundle = await bundlePage();
const sfu = await createSfuServer({
  workers: 1,
  webRtcTransport: { listenIps: [{ ip: '127.0.0.1' }] },
  // The defaults (16 producers per peer, 50 requests/s) protect a public
  // server; the bench needs TRACKS producers from one peer in one burst.
  limits: {
    producersPerPeer: Math.max(TRACKS, 16),
    requestsPerSecond: 10 * TRACKS,
    requestBurst: 10 * TRACKS,
  },
  audioLevels: false,
  activeSpeaker: false,
});
const http = createServer((request, response) => {
  if (request.url === '/') {
    response
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end(
        '<!doctype html><meta charset="utf-8"><body><script type="module" src="/page.js"></script>',
      );
  } else if (request.url === '/page.js') {
    response.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
  } else {
    response.writeHead(404).end();
  }
});
const wss = new WebSocketServer({ server: http, path: '/ws', maxPayload: 4 * 1024 * 1024 });
serveWebSocket(sfu, wss);
await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/`;

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
const results = new Map<Mode, number[]>(MODES.map((mode) => [mode, []]));
try {
  const page = await browser.newPage();
  page.on('pageerror', (error) => console.error(`[page] ${error.message}`));
  await page.goto(url);
  await page.locator('body[data-ready="true"]').waitFor({ state: 'attached' });
  // One untimed round per mode: JIT, codec and worker warm-up.
  for (let trial = 0; trial <= TRIALS; trial++) {
    for (const mode of MODES) {
      const room = `bench-${trial}-${mode}`;
      const result: TrialResult = await page.evaluate(
        ([m, r, n, still]) => window.produceBench.trial(m, r, n, still),
        [mode, room, TRACKS, STILL] as const,
      );
      if (result.producers !== TRACKS) throw new Error(`${mode}: ${result.producers} producers`);
      const label = trial === 0 ? 'warm-up' : `trial ${trial}/${TRIALS}`;
      console.log(
        `${label.padEnd(12)} ${mode.padEnd(26)} ${result.ms.toFixed(0).padStart(6)} ms, ${result.renegotiations} renegotiations (${result.handlerName})`,
      );
      if (trial > 0) results.get(mode)!.push(result.ms);
    }
  }
} finally {
  await browser.close();
  for (const client of wss.clients) client.terminate();
  wss.close();
  http.closeAllConnections();
  await new Promise((resolve) => http.close(resolve));
  sfu.close();
}

/** Nearest-rank percentile of a non-empty list. */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
const median = (mode: Mode) => percentile(results.get(mode)!, 50);

const browserVersion = browser.version();
console.log(
  `\n${TRACKS} video produce() calls (${STILL ? 'still' : 'moving'} canvas tracks), ${TRIALS} trials, Chromium ${browserVersion}, real SfuServer (mediasoup 3.8.4) on 127.0.0.1`,
);
console.log('mode                         median ms    p95 ms');
for (const mode of MODES) {
  const values = results.get(mode)!;
  console.log(
    `${mode.padEnd(28)} ${median(mode).toFixed(0).padStart(9)} ${percentile(values, 95).toFixed(0).padStart(9)}`,
  );
}
console.log(
  `ratio vroom batched / vroom one by one (medians):          ${(median('vroom-batched') / median('vroom-one-by-one')).toFixed(3)}`,
);
console.log(
  `ratio vroom batched / mediasoup-client batched (medians): ${(median('vroom-batched') / median('mediasoup-client-batched')).toFixed(3)}`,
);
