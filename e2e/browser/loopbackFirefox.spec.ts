import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { createTestNetns, type TestNetns, waitForLine } from '../support/netns.js';
import { type LoopbackDriver, loopbackDriver } from './loopback/driver.js';
import { runMediaLoopback } from './loopback/mediaScenario.js';
import { runParity } from './loopback/parityScenario.js';

// @vroom/client in real Firefox ESR (fake media), driven by puppeteer over
// WebDriver BiDi, against the real SfuServer and mediasoup worker. Firefox
// gathers no loopback ICE candidates, so the server runs in its own network
// namespace (10.77.0.2, reached over a veth from 10.77.0.1).

const SUBNET = '10.77.0';
let netns: TestNetns;
let serverUrl: string;
let browser: Browser;

export const FIREFOX_PREFS = (origin: string) => ({
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
  // getUserMedia needs a secure context; this plain-http test host counts as one.
  'dom.securecontext.allowlist': origin,
});

test.beforeAll(async () => {
  netns = createTestNetns({ name: 'loopff', subnet: SUBNET });
  const serverMain = fileURLToPath(new URL('./loopback/serverMain.ts', import.meta.url));
  const child = netns.spawn(process.execPath, ['--import', 'tsx', serverMain, netns.innerIp]);
  const ready = await waitForLine(child, /^LOOPBACK_READY /);
  // What the server says on stderr (crashes, warnings) shows in the test output.
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[netns server] ${chunk}`));
  serverUrl = ready.split(' ')[1]!;
  browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: '/usr/bin/firefox-esr',
    headless: true,
    extraPrefsFirefox: FIREFOX_PREFS(netns.innerIp),
  });
});

test.afterAll(async () => {
  await browser?.close();
  await netns?.delete();
});

async function openPage(): Promise<{ page: Page; driver: LoopbackDriver }> {
  const page = await browser.newPage();
  page.on('pageerror', (error) => console.log(`[firefox page] error: ${String(error)}`));
  await page.goto(serverUrl);
  await page.waitForSelector('body[data-ready="true"]');
  const driver = loopbackDriver(serverUrl, (method, args) =>
    page.evaluate(
      (m, a) =>
        (window.loopback[m as keyof typeof window.loopback] as (...x: unknown[]) => unknown)(...a),
      method,
      args,
    ),
  );
  return { page, driver };
}

test('Firefox: audio, video, simulcast and data loop back through the real SFU', async () => {
  const { page, driver } = await openPage();
  try {
    expect(await driver.call('handlerName')).toBe('Firefox120');
    const svcModes = await driver.call('senderScalabilityModes', 'video/VP9');
    const svc = svcModes.includes('L3T3') ? 'L3T3' : false;
    if (!svc) {
      console.log(`[firefox] VP9 scalability modes: [${svcModes.join(', ')}]: SVC part skipped`);
      test.info().annotations.push({
        type: 'skipped part',
        description: `SVC: Firefox announces VP9 scalability modes [${svcModes.join(', ')}], not L3T3`,
      });
    }
    await runMediaLoopback(driver, {
      room: 'loop-firefox',
      width: 640,
      height: 360,
      simulcast: true,
      svc,
      nullTrackStopsRtp: false,
    });
  } finally {
    await page.close();
  }
});

test('Firefox: producers report the rtpParameters mediasoup-client 3.24.1 reports', async () => {
  const { page, driver } = await openPage();
  try {
    const svcModes = await driver.call('senderScalabilityModes', 'video/VP9');
    await runParity(driver, {
      room: 'parity-firefox',
      videoCodecs: await driver.call('senderVideoCodecs'),
      svc: svcModes.includes('L3T3') ? 'L3T3' : false,
    });
  } finally {
    await page.close();
  }
});
