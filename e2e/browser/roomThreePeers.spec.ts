import { expect, type Page, test } from '@playwright/test';
import { startVideoRoomServer, type VideoRoomServer } from '../../examples/video-room/app.js';
import {
  expectAudioFrom,
  expectVideoFrom,
  LAPTOP,
  openRoom,
  PHONE,
  serverConsumer,
  serverPeer,
  shownWidth,
  tile,
} from './videoRoomSteps.js';

// Three real Chromium contexts (fake camera and microphone) in the example
// video room page, on the real mediasoup worker. Everything is observed as
// a user or the server would: decoded frames, received packets, the tiles'
// data attributes, and the server's own objects.

const ROOM = 'three';
let server: VideoRoomServer;
const pages: Record<string, Page> = {};

test.beforeAll(async () => {
  server = await startVideoRoomServer({ host: '127.0.0.1', port: 0 });
});
test.afterAll(async () => {
  for (const page of Object.values(pages)) await page.context().close();
  await server?.close();
});

/** The others' tiles of `name` on every page but its own. */
function othersSee(name: string): { page: Page; name: string }[] {
  return Object.entries(pages)
    .filter(([other]) => other !== name)
    .map(([, page]) => ({ page, name }));
}

test('three participants: media, chat, mute, camera off, simulcast layers, leave', async ({
  browser,
}, testInfo) => {
  test.setTimeout(120_000);
  for (const name of ['alice', 'bob', 'carol'])
    pages[name] = await openRoom(browser, server, ROOM, name);
  const { alice, bob, carol } = pages as Record<'alice' | 'bob' | 'carol', Page>;

  await test.step('everyone sees and hears the two others', async () => {
    for (const [name, page] of Object.entries(pages)) {
      const others = Object.keys(pages).filter((other) => other !== name);
      await expect(page.locator('#status')).toHaveText('connected');
      await expectVideoFrom(page, others);
      await expectAudioFrom(page, others);
      for (const other of others) {
        await expect(tile(page, other)).toHaveAttribute('data-video', 'live');
        await expect(tile(page, other)).toHaveAttribute('data-audio', 'live');
      }
      await expect(tile(page, name)).toHaveAttribute('data-peer-id', 'local');
      await expect(tile(page, name)).toHaveAttribute('data-video', 'live');
    }
    const room = server.sfu.room(ROOM)!;
    expect(room.peers).toHaveLength(3);
    const dump = await room.router.dump();
    // Camera + microphone each; each consumed by the two others.
    expect(Object.keys(dump.mapProducerIdConsumerIds)).toHaveLength(6);
    expect(Object.keys(dump.mapConsumerIdProducerId)).toHaveLength(12);
  });

  await test.step('stats panels and the speaker highlight', async () => {
    const stats = tile(alice, 'bob').locator('.stats');
    await expect(stats.locator('[data-stat=resolution]')).toHaveText(/^\d+×\d+$/);
    await expect(stats.locator('[data-stat=bitrate]')).toHaveText(/^[\d.]+ [kM]b\/s$/);
    await expect(stats.locator('[data-stat=fps]')).toHaveText(/^\d+ fps$/);
    await expect(stats.locator('[data-stat=loss]')).toHaveText(/^\d+\.\d %$/);
    await expect(tile(alice, 'alice').locator('[data-stat=resolution]')).toHaveText(/^\d+×\d+$/);
    // All three fake microphones beep: the server names one of them, and
    // the level meters move with the beeps.
    await expect(alice.locator('#grid figure.tile[data-speaking="true"]')).toHaveCount(1);
    await expect
      .poll(() =>
        alice.evaluate(() =>
          Math.max(
            ...[...document.querySelectorAll<HTMLElement>('#grid figure.tile')].map((figure) =>
              Number(figure.style.getPropertyValue('--level') || 0),
            ),
          ),
        ),
      )
      .toBeGreaterThan(0);
  });

  await test.step('screenshots at laptop and phone size', async () => {
    for (const [label, viewport] of [
      ['laptop', LAPTOP],
      ['phone', PHONE],
    ] as const) {
      await alice.setViewportSize(viewport);
      // Let the layout settle and the sparklines fill a little for the picture.
      await alice.waitForTimeout(1000);
      // Nothing sticks out sideways, and every control is on screen.
      expect(await alice.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
        viewport.width,
      );
      for (const control of ['#mic', '#camera', '#camera-power', '#screen', '#leave']) {
        await expect(alice.locator(control)).toBeInViewport();
      }
      const path = testInfo.outputPath(`three-peers-${label}.png`);
      await alice.screenshot({ path, fullPage: true });
      await testInfo.attach(`three-peers-${label}`, { path, contentType: 'image/png' });
    }
    await alice.setViewportSize(LAPTOP);
  });

  await test.step('chat reaches the others', async () => {
    await alice.fill('#chat-input', 'hello from alice');
    await alice.click('#chat-send');
    for (const page of [bob, carol]) {
      await expect(page.locator('#chat-log li[data-from="alice"]')).toContainText(
        'hello from alice',
      );
    }
    await expect(alice.locator('#chat-log li[data-from="alice"]')).toHaveCount(1);
    await carol.fill('#chat-input', 'hi alice');
    await carol.press('#chat-input', 'Enter');
    await expect(alice.locator('#chat-log li[data-from="carol"]')).toContainText('hi alice');
    await expect(bob.locator('#chat-log li')).toHaveCount(2);
  });

  await test.step('muting the microphone shows as paused on the others, and back', async () => {
    await bob.click('#mic');
    await expect(bob.locator('#mic')).toHaveAttribute('aria-pressed', 'false');
    for (const { page, name } of othersSee('bob')) {
      await expect(tile(page, name)).toHaveAttribute('data-audio', 'paused');
    }
    expect(
      [...serverPeer(server, ROOM, 'bob')!.producers.values()].find((p) => p.kind === 'audio')
        ?.paused,
    ).toBe(true);
    await bob.click('#mic');
    await expect(bob.locator('#mic')).toHaveAttribute('aria-pressed', 'true');
    for (const { page, name } of othersSee('bob')) {
      await expect(tile(page, name)).toHaveAttribute('data-audio', 'live');
    }
    await expectAudioFrom(alice, ['bob']);
  });

  await test.step('pausing the camera shows as paused on the others, and back', async () => {
    await bob.click('#camera');
    await expect(bob.locator('#camera')).toHaveAttribute('aria-pressed', 'false');
    await expect(tile(bob, 'bob')).toHaveAttribute('data-video', 'paused');
    for (const { page, name } of othersSee('bob')) {
      await expect(tile(page, name)).toHaveAttribute('data-video', 'paused');
    }
    await bob.click('#camera');
    for (const { page, name } of othersSee('bob')) {
      await expect(tile(page, name)).toHaveAttribute('data-video', 'live');
    }
    await expectVideoFrom(carol, ['alice', 'bob']);
  });

  await test.step('turning the camera off removes the track; on again brings it back', async () => {
    await bob.click('#camera-power');
    for (const { page, name } of othersSee('bob')) {
      await expect(tile(page, name)).toHaveAttribute('data-video', 'off');
      await expect
        .poll(() =>
          page.evaluate(
            (n) =>
              window.vroom?.room.peers.find((p) => p.displayName === n)?.track('camera') ===
              undefined,
            name,
          ),
        )
        .toBe(true);
    }
    expect([...serverPeer(server, ROOM, 'bob')!.producers.values()].map((p) => p.kind)).toEqual([
      'audio',
    ]);
    await bob.click('#camera-power');
    for (const { page, name } of othersSee('bob')) {
      await expect(tile(page, name)).toHaveAttribute('data-video', 'live');
    }
    await expectVideoFrom(alice, ['bob', 'carol']);
  });

  await test.step('a receiver asks for the lowest simulcast layer, then the highest', async () => {
    const consumer = () => serverConsumer(server, ROOM, 'alice', 'carol', 'camera');
    // Wait for more than the lowest layer, so that a switch to it shows.
    await expect.poll(() => consumer()?.currentLayers?.spatialLayer ?? -1).toBeGreaterThan(0);
    await expect.poll(() => shownWidth(alice, 'carol')).toBeGreaterThan(0);
    const highWidth = await shownWidth(alice, 'carol');

    const prefer = (spatial: number) =>
      alice.evaluate(async (spatial) => {
        const room = window.vroom!.room;
        const carol = room.peers.find((p) => p.displayName === 'carol')!;
        await room.setPreferredLayers({ peerId: carol.id, source: 'camera' }, spatial);
      }, spatial);

    await prefer(0);
    expect(consumer()?.preferredLayers?.spatialLayer).toBe(0);
    await expect.poll(() => consumer()?.currentLayers?.spatialLayer).toBe(0);
    await expect.poll(() => shownWidth(alice, 'carol')).toBeLessThan(highWidth);
    const lowWidth = await shownWidth(alice, 'carol');
    console.log(`simulcast: carol at ${highWidth}px wide, ${lowWidth}px at spatial layer 0`);

    await prefer(2);
    expect(consumer()?.preferredLayers?.spatialLayer).toBe(2);
    await expect.poll(() => consumer()?.currentLayers?.spatialLayer ?? 0).toBeGreaterThan(0);
    await expect.poll(() => shownWidth(alice, 'carol')).toBeGreaterThan(lowWidth);
  });

  await test.step('leaving removes the peer everywhere and on the server', async () => {
    const carolPeer = serverPeer(server, ROOM, 'carol')!;
    const carolProducers = [...carolPeer.producers.keys()];
    const carolDataProducers = [...carolPeer.dataProducers.keys()];
    const carolTransports = [...carolPeer.transports.keys()];
    expect(carolTransports).toHaveLength(2);
    expect(carolProducers).toHaveLength(2);

    await carol.click('#leave');
    await expect(carol.locator('#status')).toHaveText('disconnected');
    await expect(carol.locator('#left')).toBeVisible();
    for (const page of [alice, bob]) {
      await expect(tile(page, 'carol')).toHaveCount(0);
      await expect(page.locator('#grid figure.tile')).toHaveCount(2);
    }
    await expect.poll(() => server.sfu.room(ROOM)?.peers.length).toBe(2);
    const dump = await server.sfu.room(ROOM)!.router.dump();
    for (const id of carolProducers) expect(dump.mapProducerIdConsumerIds).not.toHaveProperty(id);
    for (const id of carolDataProducers)
      expect(dump.mapDataProducerIdDataConsumerIds).not.toHaveProperty(id);
    for (const id of carolTransports) expect(dump.transportIds).not.toContain(id);
    // Two peers left: two transports each, two producers each, consumed by the other.
    expect(dump.transportIds).toHaveLength(4);
    expect(Object.keys(dump.mapProducerIdConsumerIds)).toHaveLength(4);
    expect(Object.keys(dump.mapConsumerIdProducerId)).toHaveLength(4);
    await expectVideoFrom(alice, ['bob']);
  });
});
