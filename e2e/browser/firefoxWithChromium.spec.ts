import { fileURLToPath } from 'node:url';
import { expect, type Page, test } from '@playwright/test';
import puppeteer, {
  type Browser as FirefoxBrowser,
  type Page as FirefoxPage,
} from 'puppeteer-core';
import { CHROMIUM_ARGS } from '../support/chromiumArgs.js';
import { createTestNetns, type TestNetns, waitForLine } from '../support/netns.js';
import {
  chatFrom,
  expectGrowth,
  inboundRtp,
  tileVideoFrames,
  tileVideoState,
  tileVideoTime,
} from '../support/videoRoomPage.js';

// What is real: the example server (`examples/video-room/server.ts`, the
// mediasoup 3.8.4 worker) runs as its own process INSIDE a test network
// namespace, listening for HTTP and RTC on 10.77.31.2 (Firefox gathers no
// loopback candidates, so a veth link it is). Firefox ESR (puppeteer-core over
// WebDriver BiDi) and Debian's Chromium (Playwright) open the example page
// from the host side of that link with fake devices, join one room, decode
// each other's camera (the browsers' own frame counts), and chat both ways.
// The server is another process, so its side is read through the page:
// `room.getServerStats()` asks the server for mediasoup's own producer and
// consumer stats.

const SUBNET = '10.77.31';
/** The namespace is ours alone, so a fixed port is free; Chromium's flag below needs it early. */
const PORT = 3000;
const ORIGIN = `http://${SUBNET}.2:${PORT}`;
const ROOM = 'fox-and-chrome';

test.use({
  launchOptions: {
    executablePath: '/usr/bin/chromium',
    // getUserMedia needs a secure context: count this plain-http test host as one.
    args: [...CHROMIUM_ARGS, `--unsafely-treat-insecure-origin-as-secure=${ORIGIN}`],
  },
});

let netns: TestNetns | undefined;
let firefox: FirefoxBrowser | undefined;

test.beforeAll(async () => {
  netns = createTestNetns({ name: 'ffchrom', subnet: SUBNET });
  const serverMain = fileURLToPath(new URL('../../examples/video-room/server.ts', import.meta.url));
  const server = netns.spawn(process.execPath, ['--import', 'tsx', serverMain], {
    env: {
      ...process.env,
      HOST: netns.innerIp,
      PORT: String(PORT),
      RTC_LISTEN_IP: netns.innerIp,
    },
  });
  server.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[netns server] ${chunk}`));
  // Firefox starts while the server does (both take seconds on a busy machine);
  // allSettled so that a failing server never leaves a browser starting unseen.
  const [ready, launched] = await Promise.allSettled([
    waitForLine(server, /^vroom example running: open /),
    puppeteer.launch({
      browser: 'firefox',
      executablePath: '/usr/bin/firefox-esr',
      headless: true,
      extraPrefsFirefox: {
        'media.navigator.streams.fake': true,
        'media.navigator.permission.disabled': true,
        'dom.securecontext.allowlist': netns.innerIp,
        // Remote sound may start without a click (the page would otherwise ask for one).
        'media.autoplay.default': 0,
      },
    }),
  ]);
  if (launched.status === 'fulfilled') firefox = launched.value;
  else throw launched.reason;
  if (ready.status === 'rejected') throw ready.reason;
  expect(ready.value).toContain(`${ORIGIN}/`);
});

test.afterAll(async () => {
  // Each step on its own: a failing browser close must not leave the namespace behind.
  await firefox?.close().catch((error: unknown) => console.log(`firefox close: ${String(error)}`));
  await netns?.delete();
});

async function openFirefox(name: string): Promise<FirefoxPage> {
  const page = await firefox!.newPage();
  page.on('pageerror', (error) => console.log(`[${name}] page error: ${String(error)}`));
  await page.goto(`${ORIGIN}/?room=${ROOM}&name=${name}`);
  await page.waitForFunction(() => document.querySelector('#status')?.textContent === 'connected');
  return page;
}

async function openChromium(page: Page, name: string): Promise<void> {
  page.on('pageerror', (error) => console.log(`[${name}] page error: ${error.message}`));
  await page.goto(`${ORIGIN}/?room=${ROOM}&name=${name}`);
  await expect(page.locator('#status')).toHaveText('connected');
}

type ServerStat = { type?: string; byteCount?: number; packetCount?: number; mimeType?: string };

/** mediasoup's stats of this page's camera producer, asked of the server from the page. */
function serverCameraStats(): Promise<ServerStat[]> {
  const room = window.vroom!.room;
  return room.getServerStats({ source: 'camera' }) as Promise<ServerStat[]>;
}

/** mediasoup's stats of the consumer carrying `displayName`'s camera to this page. */
async function serverConsumerStats(displayName: string): Promise<ServerStat[]> {
  const room = window.vroom!.room;
  const peer = room.peers.find((p) => p.displayName === displayName);
  const track = peer?.tracks.find((t) => t.source === 'camera');
  if (!track) return [];
  return (await room.getServerStats({ consumerId: track.consumerId })) as ServerStat[];
}

test('Firefox and Chromium in one room: video both ways, chat both ways', async ({ page }) => {
  const fox = await openFirefox('fox');
  try {
    await openChromium(page, 'chrome');
    expect(await fox.evaluate(() => window.vroom?.room.device?.handlerName)).toBe('Firefox120');

    // Each decodes the other's camera: live tiles, growing frame counts.
    await expect.poll(() => page.evaluate(tileVideoState, 'fox')).toBe('live');
    await fox.waitForFunction(
      (name) => {
        const tile = [...document.querySelectorAll<HTMLElement>('#grid figure.tile')].find(
          (figure) => figure.dataset.displayName === name,
        );
        return tile?.dataset.video === 'live';
      },
      {},
      'chrome',
    );
    const atChromium = await expectGrowth(
      () => page.evaluate(tileVideoFrames, 'fox'),
      20,
      "Firefox's video decoded by Chromium",
    );
    // Headless Firefox decodes and plays but paints nothing, so its element
    // frame count stays 0: its decoder's count, and the element's clock, instead.
    const atFirefox = await expectGrowth(
      () =>
        fox.evaluate(inboundRtp, {
          displayName: 'chrome',
          source: 'camera',
          field: 'framesDecoded',
        } as const),
      20,
      "Chromium's video decoded by Firefox",
    );
    const played = await expectGrowth(
      () => fox.evaluate(tileVideoTime, 'chrome'),
      1000,
      "Firefox's video element playing Chromium's camera (ms)",
    );
    console.log(
      `decoded: Chromium ${atChromium.from} -> ${atChromium.to} frames of Firefox; Firefox ${atFirefox.from} -> ${atFirefox.to} of Chromium (played ${played.from} -> ${played.to} ms)`,
    );

    // The server (another process) received both cameras and forwards each to the other.
    const foxProducer = await fox.evaluate(serverCameraStats);
    const chromeProducer = await page.evaluate(serverCameraStats);
    for (const stats of [foxProducer, chromeProducer]) {
      const inbound = stats.filter((s) => s.type === 'inbound-rtp');
      expect(inbound.length).toBeGreaterThan(0);
      expect(inbound.some((s) => (s.packetCount ?? 0) > 0)).toBe(true);
    }
    const toChrome = await page.evaluate(serverConsumerStats, 'fox');
    const toFox = await fox.evaluate(serverConsumerStats, 'chrome');
    for (const stats of [toChrome, toFox]) {
      const outbound = stats.find((s) => s.type === 'outbound-rtp');
      expect(outbound?.packetCount ?? 0).toBeGreaterThan(0);
      expect(outbound?.mimeType).toMatch(/^video\//);
    }

    // Chat crosses both ways through the server's data channels.
    await page.fill('#chat-input', 'hello from chromium');
    await page.click('#chat-send');
    await fox.waitForFunction(
      (text) =>
        [...document.querySelectorAll<HTMLElement>('#chat-log li')].some(
          (li) => li.dataset.from === 'chrome' && li.textContent?.includes(text),
        ),
      {},
      'hello from chromium',
    );
    await fox.type('#chat-input', 'hello from firefox');
    await fox.click('#chat-send');
    await expect
      .poll(() => page.evaluate(chatFrom, 'fox'))
      .toEqual([expect.stringContaining('hello from firefox')]);
    expect(await fox.evaluate(chatFrom, 'chrome')).toEqual([
      expect.stringContaining('hello from chromium'),
    ]);
  } finally {
    await fox.close().catch(() => undefined);
  }
});
