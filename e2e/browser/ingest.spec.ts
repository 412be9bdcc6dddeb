import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { expect, type Page, test } from '@playwright/test';
import { DataParticipant, Ingest, type IngestOptions } from '@vroom/server-adapter/media-io';
import { startVideoRoomServer, type VideoRoomServer } from '../../examples/video-room/app.js';
import { expectGrowth, inboundRtp, tileVideoFrames } from '../support/videoRoomPage.js';

// What is real: the example server and page in Debian's Chromium, the
// mediasoup 3.8.4 worker, and the system's ffmpeg and gst-launch-1.0 sending
// RTP (or SRTP) into an Ingest. Frames are counted where Chromium decodes
// them (getVideoPlaybackQuality), audio by the packets its inbound-rtp got.

let server: VideoRoomServer;
let encoder: ChildProcess | undefined;

test.beforeAll(async () => {
  server = await startVideoRoomServer({ host: '127.0.0.1', port: 0, sfu: { workers: 1 } });
});

test.afterEach(async () => {
  // No encoder outlives its test.
  if (encoder && encoder.exitCode === null && encoder.signalCode === null) {
    const exited = once(encoder, 'exit');
    encoder.kill('SIGKILL');
    await exited;
  }
  encoder = undefined;
});

test.afterAll(async () => {
  await server?.close();
});

async function openPage(page: Page, room: string): Promise<void> {
  page.on('pageerror', (error) => console.log(`page error: ${error.message}`));
  await page.goto(`${server.url}?room=${room}&name=viewer`);
  await expect(page.locator('#status')).toHaveText('connected');
}

const variants: [string, 'ffmpeg' | 'gstreamer', Partial<IngestOptions>][] = [
  ['FFmpeg lavfi testsrc + sine', 'ffmpeg', {}],
  ['GStreamer videotestsrc + audiotestsrc', 'gstreamer', { rtcpMux: true }],
  ['FFmpeg over SRTP', 'ffmpeg', { srtp: true }],
];

for (const [name, tool, options] of variants) {
  test(`${name}: Chromium decodes at least 60 frames and receives the audio`, async ({ page }) => {
    const room = `ingest-${tool}-${options.srtp ? 'srtp' : 'rtp'}`;
    await openPage(page, room);
    const ingest = await Ingest.create(server.sfu, { roomId: room, displayName: name, ...options });
    const args = tool === 'ffmpeg' ? ingest.ffmpegArgs() : ingest.gstreamerArgs();
    encoder = spawn(tool === 'ffmpeg' ? 'ffmpeg' : 'gst-launch-1.0', args, {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    try {
      const frames = await expectGrowth(
        () => page.evaluate(tileVideoFrames, name),
        60,
        `frames of the ${name} ingest decoded by Chromium`,
        45_000,
      );
      console.log(`${name}: Chromium decoded ${frames.from} -> ${frames.to} frames`);
      const audio = await expectGrowth(
        () =>
          page.evaluate(inboundRtp, {
            displayName: name,
            source: 'microphone' as const,
            field: 'packetsReceived' as const,
          }),
        50,
        `audio packets of the ${name} ingest received by Chromium`,
      );
      console.log(`${name}: Chromium received ${audio.from} -> ${audio.to} audio packets`);
    } finally {
      ingest.stop();
    }
  });
}

test('a Node data participant and a Chromium peer exchange 100 messages each way, strings and binary, in order', async ({
  page,
}) => {
  const room = 'ingest-data';
  await openPage(page, room);
  const voice = await DataParticipant.join(server.sfu, {
    roomId: room,
    displayName: 'Server voice',
    labels: ['chat', 'e2e'],
  });
  const atNode: string[] = [];
  voice.on('message', ({ label, data }) => {
    if (label !== 'e2e') return;
    atNode.push(typeof data === 'string' ? data : `bin:${[...data].join(',')}`);
  });
  // The page collects what it hears on the label, strings as they are, bytes listed.
  await page.evaluate(() => {
    const got: string[] = [];
    (window as unknown as { got: string[] }).got = got;
    window.vroom?.room.on('data', (event: { label: string; data: unknown }) => {
      if (event.label !== 'e2e') return;
      const { data } = event;
      got.push(
        typeof data === 'string'
          ? data
          : `bin:${[...new Uint8Array(data as ArrayBuffer)].join(',')}`,
      );
    });
  });
  await page.evaluate(() => window.vroom?.room.openDataChannel('e2e'));
  const expected = Array.from({ length: 100 }, (_, i) =>
    i % 2 === 0 ? `s${i}` : `bin:${i},${255 - i}`,
  );
  // The page's channel is consumed by the voice once it exists: wait for that before counting.
  await expect
    .poll(() => voice.participant.others().some((p) => p.dataProducers.size > 0))
    .toBe(true);
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { got: string[] }).got !== undefined))
    .toBe(true);
  await new Promise((resolve) => setTimeout(resolve, 500));
  for (let i = 0; i < 100; i++) {
    await voice.send('e2e', i % 2 === 0 ? `s${i}` : new Uint8Array([i, 255 - i]));
  }
  await page.evaluate(async () => {
    const room = window.vroom?.room;
    for (let i = 0; i < 100; i++) {
      await room?.sendData('e2e', i % 2 === 0 ? `s${i}` : new Uint8Array([i, 255 - i]));
    }
  });
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { got: string[] }).got), {
      timeout: 20_000,
    })
    .toEqual(expected);
  await expect.poll(() => atNode, { timeout: 20_000 }).toEqual(expected);
  // The chat voice: the page shows a server notice like any chat line.
  await voice.say('recording started');
  await expect(page.locator('#chat-log li[data-from="Server voice"]')).toContainText(
    'recording started',
  );
  voice.close();
});
