import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import type { Peer } from '@vroom/server-adapter';
import { Recording } from '@vroom/server-adapter/media-io';
import { startVideoRoomServer, type VideoRoomServer } from '../../examples/video-room/app.js';
import {
  decodeErrors,
  probe,
} from '../../packages/server-adapter/src/media-io/rtp-out/test/mediaFile.js';
import { CHROMIUM_ARGS } from '../support/chromiumArgs.js';

// What is real: the example server and its mediasoup worker, the example page
// in Debian's Chromium with its fake camera and microphone (simulcast VP8 +
// Opus, as any user sends), the adapter's Recording running the system's
// FFmpeg, and ffprobe reading the files. Nothing is stubbed.

const ROOM = 'recorded-room';
const dir = mkdtempSync(join(tmpdir(), 'vroom-record-spec-'));
let server: VideoRoomServer;

// The fake camera at 30 fps (Chromium's default is 20): 100 frames in 5 s
// then leaves room for a loaded machine's encoder to drop a few.
test.use({
  launchOptions: {
    executablePath: '/usr/bin/chromium',
    args: [
      ...CHROMIUM_ARGS.filter((arg) => arg !== '--use-fake-device-for-media-stream'),
      '--use-fake-device-for-media-stream=fps=30',
    ],
  },
});

test.beforeAll(async () => {
  server = await startVideoRoomServer({ host: '127.0.0.1', port: 0, sfu: { workers: 1 } });
});

test.afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function joinAs(page: Page, name: string): Promise<Peer> {
  await page.goto(`${server.url}?room=${ROOM}&name=${name}`);
  await expect(page.locator('#status')).toHaveText('connected');
  // Both tracks produced on the server.
  await expect.poll(() => serverPeer(name)?.producers.size ?? 0, { timeout: 20_000 }).toBe(2);
  return serverPeer(name) as Peer;
}

function serverPeer(name: string): Peer | undefined {
  return server.sfu.room(ROOM)?.peers.find((peer) => peer.info().displayName === name);
}

/** The size of the camera track the page sends (what the recording must keep). */
function cameraSize(page: Page): Promise<{ width: number; height: number }> {
  return page.evaluate(() => {
    const track = window.vroom?.room.localTrack('camera')?.track;
    const { width = 0, height = 0 } = track?.getSettings() ?? {};
    return { width, height };
  });
}

async function recordFor(peer: Peer, path: string, seconds: number, during?: () => Promise<void>) {
  const router = server.sfu.room(ROOM)?.router;
  if (!router) throw new Error('no room');
  const recording = await Recording.start({
    router,
    producers: [...peer.producers.values()],
    path,
  });
  // "Recorded for N s" counts from when the recorder runs, not from FFmpeg's start-up.
  const startedAt = Date.now();
  await during?.();
  const left = seconds * 1000 - (Date.now() - startedAt);
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, left)));
  return recording.stop();
}

test('a Chromium peer recorded for 5 s: VP8 at the camera size, >= 100 frames, Opus, 5 s', async ({
  page,
}) => {
  const peer = await joinAs(page, 'alice');
  // Let the browser's bandwidth estimate reach the top simulcast layer: the
  // server receives all three encodings (up to 30 s on a loaded machine).
  await expect
    .poll(
      async () => {
        const video = [...peer.producers.values()].find((p) => p.kind === 'video');
        const stats = (await video?.getStats()) ?? [];
        return stats.filter((s) => s.type === 'inbound-rtp' && s.bitrate > 0).length;
      },
      { timeout: 30_000 },
    )
    .toBeGreaterThanOrEqual(3);
  const camera = await cameraSize(page);
  const path = join(dir, 'alice.webm');
  const exit = await recordFor(peer, path, 5);
  expect(exit.finalized).toBe(true);
  const file = await probe(path);
  console.log('[recordPeer] camera %o, file %o, exit %o', camera, file, exit);
  const video = file.streams.find((s) => s.codec === 'vp8');
  expect(video).toBeDefined();
  expect({ width: video?.width, height: video?.height }).toEqual(camera);
  expect(video?.frames).toBeGreaterThanOrEqual(100);
  expect(file.streams.some((s) => s.codec === 'opus' && s.frames > 0)).toBe(true);
  expect(Math.abs(file.duration - 5)).toBeLessThanOrEqual(1);
  expect(await decodeErrors(path)).toBe('');
});

test('a recording across a camera pause and resume plays to the end', async ({ page }) => {
  const peer = await joinAs(page, 'bob');
  await page.waitForTimeout(2000);
  const path = join(dir, 'bob.mkv');
  const exit = await recordFor(peer, path, 6, async () => {
    await page.waitForTimeout(1500);
    await page.locator('#camera').click(); // pause
    await page.waitForTimeout(1500);
    await page.locator('#camera').click(); // resume
  });
  expect(exit.finalized).toBe(true);
  const file = await probe(path);
  console.log('[recordPeer] pause/resume file %o', file);
  expect(file.streams.map((s) => s.codec).sort()).toEqual(['opus', 'vp8']);
  expect(file.duration).toBeGreaterThan(4);
  expect(await decodeErrors(path)).toBe('');
});
