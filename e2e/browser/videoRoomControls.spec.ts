import { expect, type Locator, type Page, test } from '@playwright/test';
import { startVideoRoomServer, type VideoRoomServer } from '../../examples/video-room/app.js';
import { expectVideoFrom, LAPTOP, openRoom, PHONE, serverPeer } from './videoRoomSteps.js';

// The example page's controls say what they do and show their state (label,
// icon, aria-pressed, data-state), and a shared screen takes the large view
// with the cameras beside it (below it on a phone) and its own stats. Real
// Chromium with fake devices and screen, the real worker.

let server: VideoRoomServer;
const pages: Page[] = [];

test.beforeAll(async () => {
  server = await startVideoRoomServer({ host: '127.0.0.1', port: 0 });
});
test.afterAll(async () => {
  for (const page of pages) await page.context().close();
  await server?.close();
});

/** Label, pressed state, data-state, and whether the icon is struck through. Runs in the page. */
function looks(page: Page, id: string) {
  return page.evaluate((id) => {
    const button = document.getElementById(id)!;
    const slash = button.querySelector('.slash');
    return {
      label: button.querySelector('.label')?.textContent,
      pressed: button.getAttribute('aria-pressed'),
      state: button.dataset.state,
      struck: slash !== null && getComputedStyle(slash).display !== 'none',
    };
  }, id);
}

test('controls: labels and icons follow the state; a shared screen gets the spotlight', async ({
  browser,
}, testInfo) => {
  test.setTimeout(180_000);
  const alice = await openRoom(browser, server, 'controls', 'alice');
  pages.push(alice);
  const bob = await openRoom(browser, server, 'controls', 'bob');
  pages.push(bob);
  await expectVideoFrom(alice, ['bob']);
  await expectVideoFrom(bob, ['alice']);
  const [mic, camera, power, screen] = ['#mic', '#camera', '#camera-power', '#screen'].map((id) =>
    alice.locator(id),
  ) as [Locator, Locator, Locator, Locator];
  const micLooks = () => looks(alice, 'mic');
  const cameraLooks = () => looks(alice, 'camera');

  await test.step('all on', async () => {
    await expect
      .poll(() => micLooks())
      .toEqual({ label: 'Mute', pressed: 'true', state: 'live', struck: false });
    await expect
      .poll(() => cameraLooks())
      .toEqual({ label: 'Pause video', pressed: 'true', state: 'live', struck: false });
    await expect(power.locator('.label')).toHaveText('Turn camera off');
    await expect(screen.locator('.label')).toHaveText('Share screen');
  });

  await test.step('muted: "Unmute", the microphone struck through', async () => {
    await mic.click();
    await expect
      .poll(() => micLooks())
      .toEqual({ label: 'Unmute', pressed: 'false', state: 'paused', struck: true });
    await expect(mic).toHaveAttribute('title', 'Your microphone is muted: unmute it');
    await mic.click();
    await expect.poll(() => micLooks()).toMatchObject({ label: 'Mute', struck: false });
  });

  await test.step('video paused, then the camera off and on', async () => {
    await camera.click();
    await expect
      .poll(() => cameraLooks())
      .toEqual({ label: 'Resume video', pressed: 'false', state: 'paused', struck: true });
    await camera.click();
    await expect.poll(() => cameraLooks()).toMatchObject({ label: 'Pause video', state: 'live' });
    await power.click();
    await expect(power.locator('.label')).toHaveText('Turn camera on');
    await expect
      .poll(() => cameraLooks())
      .toMatchObject({ label: 'Start video', state: 'off', struck: true });
    await expect.poll(() => serverPeer(server, 'controls', 'alice')?.producers.size).toBe(1);
    await power.click();
    await expect(power.locator('.label')).toHaveText('Turn camera off');
    await expect.poll(() => cameraLooks()).toMatchObject({ label: 'Pause video', state: 'live' });
  });

  await test.step('sharing: "Stop sharing"; the screen is the large view at the others', async () => {
    await screen.click();
    await expect(screen.locator('.label')).toHaveText('Stop sharing');
    await expect(screen).toHaveAttribute('aria-pressed', 'true');
    const grid = bob.locator('#grid');
    await expect(grid).toHaveAttribute('data-spotlight', 'true');
    const shared = bob.locator('#grid figure.screen');
    await expect
      .poll(() =>
        shared
          .locator('video')
          .evaluate((video: HTMLVideoElement) => video.getVideoPlaybackQuality().totalVideoFrames),
      )
      .toBeGreaterThan(3);
    // Its own stats: what bob receives of the screen, apart from the cameras.
    await expect(shared.locator('[data-stat="bitrate"]')).toHaveText(/^[1-9][\d.]* [kM]b\/s$/);
    await expect(shared.locator('[data-stat="resolution"]')).toHaveText(/\d+×\d+/);
  });

  for (const [label, viewport] of [
    ['laptop', LAPTOP],
    ['phone', PHONE],
  ] as const) {
    await test.step(`layout at ${label} size`, async () => {
      await bob.setViewportSize(viewport);
      await bob.waitForTimeout(1500);
      const screenBox = (await bob.locator('#grid figure.screen').boundingBox())!;
      const tileBoxes = await Promise.all(
        (await bob.locator('#grid figure.tile').all()).map(async (t) => (await t.boundingBox())!),
      );
      expect(tileBoxes).toHaveLength(2);
      for (const box of tileBoxes) {
        if (label === 'laptop') {
          // Beside the screen, in a column, each much smaller than the screen.
          expect(box.x).toBeGreaterThanOrEqual(screenBox.x + screenBox.width);
          expect(screenBox.width).toBeGreaterThan(2.5 * box.width);
        } else {
          expect(box.y).toBeGreaterThanOrEqual(screenBox.y + screenBox.height);
        }
      }
      expect(await bob.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
        viewport.width,
      );
      if (label === 'phone') {
        // Letterboxed, not cropped: the whole picture is shown.
        const fits = await bob
          .locator('#grid figure.tile video')
          .evaluateAll((videos) => videos.map((video) => getComputedStyle(video).objectFit));
        expect(fits).toEqual(['contain', 'contain']);
      }
      for (const control of ['#mic', '#camera', '#camera-power', '#leave']) {
        await expect(bob.locator(control)).toBeInViewport();
      }
      const path = testInfo.outputPath(`spotlight-${label}.png`);
      await bob.screenshot({ path, fullPage: true });
      await testInfo.attach(`spotlight-${label}`, { path, contentType: 'image/png' });
    });
  }

  await test.step('stopping the share ends the spotlight', async () => {
    await screen.click();
    await expect(screen.locator('.label')).toHaveText('Share screen');
    await expect(bob.locator('#grid')).toHaveAttribute('data-spotlight', 'false');
  });
});
