import { expect, type Page, test } from '@playwright/test';
import { type LoopbackDriver, pageDriver } from './loopback/driver.js';
import { runMediaLoopback } from './loopback/mediaScenario.js';
import { runParity } from './loopback/parityScenario.js';
import { type LoopbackServer, startLoopbackServer } from './loopback/server.js';

// @vroom/client in real Chromium (fake camera and microphone) against the real
// SfuServer and mediasoup 3.8.4 worker on 127.0.0.1: the page produces and
// consumes its own media back through the SFU.

let server: LoopbackServer;

test.beforeAll(async () => {
  server = await startLoopbackServer({ host: '127.0.0.1' });
});
test.afterAll(async () => {
  await server?.close();
});

async function openPage(page: Page): Promise<LoopbackDriver> {
  page.on('pageerror', (error) => console.log(`[page] error: ${error.message}`));
  await page.goto(server.url);
  await expect(page.locator('body[data-ready="true"]')).toBeAttached();
  return pageDriver(server.url, page);
}

test('Chromium: audio, video, simulcast, SVC and data loop back through the real SFU', async ({
  page,
}) => {
  const driver = await openPage(page);
  expect(await driver.call('handlerName')).toBe('Chrome111');
  await runMediaLoopback(driver, {
    room: 'loop-chromium',
    width: 960,
    height: 540,
    simulcast: true,
    svc: 'L3T3',
    nullTrackStopsRtp: true,
  });
});

test('Chromium: producers report the rtpParameters mediasoup-client 3.24.1 reports', async ({
  page,
}) => {
  const driver = await openPage(page);
  await runParity(driver, {
    room: 'parity-chromium',
    videoCodecs: await driver.call('senderVideoCodecs'),
    svc: 'L3T3',
  });
});
