import { type Browser, expect, type Page, test } from '@playwright/test';
import { startVideoRoomServer, type VideoRoomServer } from '../../examples/video-room/app.js';

// Real Chromium (fake camera and microphone), the example web app, the real
// mediasoup worker: nothing here is simulated.

let server: VideoRoomServer;

test.beforeAll(async () => {
  server = await startVideoRoomServer({ host: '127.0.0.1', port: 0 });
});
test.afterAll(async () => {
  await server?.close();
});

async function joinAs(browser: Browser, room: string, name: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('pageerror', (error) => console.log(`[${name}] page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') console.log(`[${name}] console: ${message.text()}`);
  });
  await page.goto(`${server.url}?room=${room}&name=${name}`);
  return page;
}

/** Frames the page decoded of each remote peer's video, by display name. */
function remoteFrames(page: Page): Promise<number[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('figure:not([data-peer-id="me"])')].map(
      (figure) => figure.querySelector('video')?.getVideoPlaybackQuality().totalVideoFrames ?? 0,
    ),
  );
}

async function expectDecodingGrows(page: Page, peers: number): Promise<void> {
  await expect.poll(async () => (await remoteFrames(page)).length).toBe(peers);
  const before = await remoteFrames(page);
  await expect
    .poll(async () => {
      const now = await remoteFrames(page);
      return now.every((frames, i) => frames > (before[i] ?? 0) + 5);
    })
    .toBe(true);
}

test('two Chromium peers see each other through the real worker, and leaving cleans up', async ({
  browser,
}) => {
  const alice = await joinAs(browser, 'two', 'alice');
  const bob = await joinAs(browser, 'two', 'bob');

  await expectDecodingGrows(alice, 1);
  await expectDecodingGrows(bob, 1);

  // The server holds what the two pages asked for: 2 producers each side
  // (audio + video), consumed by the other peer.
  const room = server.sfu.room('two');
  expect(room?.peers.length).toBe(2);
  const dump = await room!.router.dump();
  expect(Object.keys(dump.mapProducerIdConsumerIds)).toHaveLength(4);
  expect(Object.keys(dump.mapConsumerIdProducerId)).toHaveLength(4);

  await bob.click('#leave');
  await expect.poll(() => server.sfu.room('two')?.peers.length ?? 0).toBe(1);
  await expect.poll(async () => (await remoteFrames(alice)).length).toBe(0);
  const after = await server.sfu.room('two')!.router.dump();
  expect(Object.keys(after.mapProducerIdConsumerIds)).toHaveLength(2);
  expect(Object.keys(after.mapConsumerIdProducerId)).toHaveLength(0);
  expect(after.transportIds).toHaveLength(2);
});
