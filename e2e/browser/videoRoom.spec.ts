import { expect, type Page, test } from '@playwright/test';
import { startVideoRoomServer, type VideoRoomServer } from '../../examples/video-room/app.js';
import { expectVideoFrom, openRoom, remoteFrames, serverPeer, tile } from './videoRoomSteps.js';

// Real Chromium (fake camera, microphone and screen), the example web app,
// the real mediasoup worker: nothing here is simulated.

let server: VideoRoomServer;
const pages: Page[] = [];

test.beforeAll(async () => {
  server = await startVideoRoomServer({ host: '127.0.0.1', port: 0 });
});
test.afterAll(async () => {
  // Pages first: a page whose server vanished would keep trying to reconnect.
  for (const page of pages) await page.context().close();
  await server?.close();
});

test('two peers: the name form, each other, a shared screen, leaving and joining again', async ({
  browser,
}) => {
  const alice = await openRoom(browser, server, 'two', 'alice');
  pages.push(alice);
  // Bob has no name in the URL: the page asks for it.
  const bob = await openRoom(browser, server, 'two', 'bob', { askName: true });
  pages.push(bob);
  await test.step('one joins through the name form', async () => {
    await expect(bob.locator('#join-form')).toBeVisible();
    await expect(bob.locator('#room-input')).toHaveValue('two');
    await expect(bob.locator('#status')).toHaveText('new');
    await bob.fill('#name-input', 'bob');
    await bob.click('#join');
    await expect(bob.locator('#join-form')).toBeHidden();
  });
  await test.step('each sees the other; the server holds their objects', async () => {
    await expectVideoFrom(alice, ['bob']);
    await expectVideoFrom(bob, ['alice']);
    await expect(tile(bob, 'bob')).toHaveAttribute('data-peer-id', 'local');
    const bobId = await bob.evaluate(() => window.vroom?.room.peerId);
    await expect(tile(alice, 'bob')).toHaveAttribute('data-peer-id', bobId!);

    // The server holds what the two pages asked for: camera and microphone
    // each, consumed by the other peer.
    const room = server.sfu.room('two');
    expect(room?.peers.length).toBe(2);
    const dump = await room!.router.dump();
    expect(Object.keys(dump.mapProducerIdConsumerIds)).toHaveLength(4);
    expect(Object.keys(dump.mapConsumerIdProducerId)).toHaveLength(4);
  });
  await test.step('a shared screen', async () => {
    // Alice shares her (fake) screen: bob gets a screen tile beside the camera tiles.
    await alice.click('#screen');
    await expect(alice.locator('#screen')).toHaveAttribute('aria-pressed', 'true');
    await expect(alice.locator('#grid figure.screen[data-screen-of="local"]')).toHaveCount(1);
    const shared = bob.locator(
      `#grid figure.screen[data-screen-of="${await alice.evaluate(() => window.vroom?.room.peerId)}"] video`,
    );
    await expect
      .poll(() =>
        shared.evaluate(
          (video: HTMLVideoElement) => video.getVideoPlaybackQuality().totalVideoFrames,
        ),
      )
      .toBeGreaterThan(3);
    await expect(bob.locator('#grid figure.tile')).toHaveCount(2);
    await alice.click('#screen');
    await expect(alice.locator('#screen')).toHaveAttribute('aria-pressed', 'false');
    await expect(bob.locator('#grid figure.screen')).toHaveCount(0);
    expect(serverPeer(server, 'two', 'alice')?.producers.size).toBe(2);
  });
  await test.step('leaving cleans up everywhere', async () => {
    // Bob leaves: gone from alice's grid and from the server.
    await bob.click('#leave');
    await expect(bob.locator('#left')).toBeVisible();
    await expect.poll(() => server.sfu.room('two')?.peers.length ?? 0).toBe(1);
    await expect.poll(async () => Object.keys(await remoteFrames(alice))).toEqual([]);
    const after = await server.sfu.room('two')!.router.dump();
    expect(Object.keys(after.mapProducerIdConsumerIds)).toHaveLength(2);
    expect(Object.keys(after.mapConsumerIdProducerId)).toHaveLength(0);
    expect(after.transportIds).toHaveLength(2);
  });
  await test.step('joining again from the same page', async () => {
    // ...and comes back with the same page.
    await bob.click('#rejoin');
    await expect(bob.locator('#status')).toHaveText('connected');
    await expectVideoFrom(alice, ['bob']);
    await expectVideoFrom(bob, ['alice']);
  });
});
