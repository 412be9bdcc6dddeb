/**
 * Captures real browser SDP as JSON fixtures for the handler tests.
 *
 *   npx tsx packages/client/scripts/capture-sdp.ts            # all installed browsers
 *   npx tsx packages/client/scripts/capture-sdp.ts chromium   # one browser
 *
 * Chromium (/usr/bin/chromium) is driven by playwright-core, Firefox ESR
 * (/usr/bin/firefox-esr) by puppeteer-core over WebDriver BiDi (Playwright's
 * Firefox needs a patched build we do not have). Each send scenario is a round
 * trip: the browser makes its offer, our RemoteSdp (through `sdpRoundTrip.ts`)
 * builds mediasoup's answer, and the browser must accept it; the receive
 * scenario has the browser answer an offer built by our RemoteSdp. The
 * fixture records both sides and whether the browser accepted ours.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  applyAnswerInPage,
  runScenarioInPage,
  type ScenarioInput,
  type ScenarioName,
  type ScenarioOutput,
} from './browserScenarios.ts';
import { buildAnswerForOffer, buildConsumerOffer } from './sdpRoundTrip.ts';

const here = dirname(fileURLToPath(import.meta.url));
const fixturesDir = join(here, '..', 'src', 'handlers', 'fixtures');

const CHROMIUM_FLAGS = [
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** What the capture script needs from either driver. */
type PageDriver = {
  evaluate<A, R>(fn: (arg: A) => Promise<R>, arg: A): Promise<R>;
  userAgent(): Promise<string>;
  close(): Promise<void>;
};

type FixtureScenario = ScenarioOutput & {
  /** Our remote SDP (answer for send scenarios, offer for recv-answer). */
  remoteSdp?: string;
  /** Set when the browser rejected our remote SDP. */
  remoteSdpError?: string;
  senderEncodingsAfterAnswer?: unknown[];
};

type Fixture = {
  browser: string;
  userAgent: string;
  capturedAt: string;
  capturedBy: string;
  scenarios: Partial<Record<ScenarioName, FixtureScenario>>;
};

const SEND_SCENARIOS: ScenarioName[] = [
  'audio',
  'video',
  'audio-video',
  'simulcast',
  'svc-vp9-l3t3',
  'datachannel',
];

// tsx (esbuild keepNames) may wrap inner functions in `__name(...)`; the page
// has no such helper unless we provide one.
const NAME_SHIM = 'globalThis.__name = globalThis.__name || ((fn) => fn);';

async function startOrigin(): Promise<{ server: Server; url: string }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<!doctype html><title>vroom sdp capture</title><script>${NAME_SHIM}</script>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/` };
}

async function openChromium(url: string): Promise<PageDriver> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: CHROMIUM_FLAGS,
  });
  const page = await browser.newPage();
  await page.addInitScript(NAME_SHIM);
  await page.goto(url);
  return {
    evaluate: (fn, arg) => page.evaluate(fn, arg),
    userAgent: () => page.evaluate(() => navigator.userAgent),
    close: () => browser.close(),
  };
}

async function openFirefox(url: string): Promise<PageDriver> {
  const puppeteer = (await import('puppeteer-core')).default;
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: '/usr/bin/firefox-esr',
    headless: true,
    extraPrefsFirefox: {
      'media.navigator.streams.fake': true,
      'media.navigator.permission.disabled': true,
    },
  });
  const page = await browser.newPage();
  await page.goto(url);
  await page.evaluate(NAME_SHIM);
  return {
    evaluate: <A, R>(fn: (arg: A) => Promise<R>, arg: A) =>
      page.evaluate(fn as (arg: unknown) => Promise<R>, arg as unknown) as Promise<R>,
    userAgent: () => page.evaluate(() => navigator.userAgent),
    close: () => browser.close(),
  };
}

async function captureWith(driver: PageDriver, browserName: string): Promise<Fixture> {
  const fixture: Fixture = {
    browser: browserName,
    userAgent: await driver.userAgent(),
    capturedAt: new Date().toISOString(),
    capturedBy: 'packages/client/scripts/capture-sdp.ts',
    scenarios: {},
  };
  const run = (input: ScenarioInput) => driver.evaluate(runScenarioInPage, input);

  for (const name of ['caps-sendonly', 'caps-recvonly'] as const) {
    fixture.scenarios[name] = await run({ name });
  }
  for (const name of SEND_SCENARIOS) {
    let out: ScenarioOutput;
    try {
      out = await run({ name });
    } catch (error) {
      console.warn(`[${browserName}] ${name} skipped: ${String(error)}`);
      continue;
    }
    const entry: FixtureScenario = { ...out };
    const answer = buildAnswerForOffer(out.localSdp, browserName);
    entry.remoteSdp = answer;
    const applied = await driver.evaluate(applyAnswerInPage, answer);
    if (applied.error) entry.remoteSdpError = applied.error;
    entry.senderEncodingsAfterAnswer = applied.senderEncodings;
    fixture.scenarios[name] = entry;
    console.log(`[${browserName}] ${name}: ${applied.error ? `REJECTED ${applied.error}` : 'ok'}`);
  }
  const remoteOffer = buildConsumerOffer();
  const recv = await run({ name: 'recv-answer', remoteOffer });
  fixture.scenarios['recv-answer'] = { ...recv, remoteSdp: remoteOffer };
  console.log(`[${browserName}] recv-answer: ok`);
  return fixture;
}

async function main(): Promise<void> {
  const wanted = new Set(process.argv.slice(2));
  const targets = [
    { name: 'chromium', bin: '/usr/bin/chromium', open: openChromium },
    { name: 'firefox', bin: '/usr/bin/firefox-esr', open: openFirefox },
  ].filter((t) => wanted.size === 0 || wanted.has(t.name));
  mkdirSync(fixturesDir, { recursive: true });
  const { server, url } = await startOrigin();
  try {
    for (const target of targets) {
      if (!existsSync(target.bin)) {
        console.warn(`${target.bin} not installed: skipping ${target.name}`);
        continue;
      }
      const driver = await target.open(url);
      try {
        const fixture = await captureWith(driver, target.name);
        const major = /(?:Chrome|Firefox)\/(\d+)/.exec(fixture.userAgent)?.[1] ?? 'unknown';
        const file = join(fixturesDir, `${target.name}-${major}.json`);
        writeFileSync(file, `${JSON.stringify(fixture, null, 2)}\n`);
        console.log(`wrote ${file}`);
      } finally {
        await driver.close();
      }
    }
  } finally {
    server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
