import { expect, type Page, test } from '@playwright/test';
import { startVideoRoomServer, type VideoRoomServer } from '../../examples/video-room/app.js';
import { type BotEvent, type BotProcess, startBot } from '../support/botProcess.js';
import {
  chatFrom,
  expectGrowth,
  inboundRtp,
  tileVideoFrames,
  tileVideoState,
} from '../support/videoRoomPage.js';

// What is real: the example server (`startVideoRoomServer`, the mediasoup
// 3.8.4 worker on 127.0.0.1), the example page in Debian's Chromium (fake
// camera and microphone), and the example bot (`examples/video-room/bot.ts`)
// run as its own Node process through tsx, sending its synthetic colour bars
// and beep over @roamhq/wrtc. Frames are counted where they are decoded: by
// the browser (`getVideoPlaybackQuality()`) and by the bot (its RTCVideoSink
// count, reported as JSON lines with `--report`). Nothing is stubbed.

const ROOM = 'bot-meets-browser';
let server: VideoRoomServer;
let bot: BotProcess | undefined;

test.beforeAll(async () => {
  server = await startVideoRoomServer({ host: '127.0.0.1', port: 0, sfu: { workers: 1 } });
});

test.afterAll(async () => {
  // The bot first: it is a separate process and must not outlive the run.
  await bot?.stop();
  await server?.close();
});

type Stats = Extract<BotEvent, { event: 'stats' }>;
const isStats = (event: BotEvent): event is Stats => event.event === 'stats';

/**
 * Which of the bot's seven colour bars the tile of `displayName` shows: the
 * picture drawn into a canvas, one row near the top read back and each pixel
 * matched to the nearest 75% bar colour (VP8 blurs the edges, not the
 * middles). Runs in the page.
 */
function barColoursShown(displayName: string): string[] {
  const bars: [string, number, number, number][] = [
    ['white', 191, 191, 191],
    ['yellow', 191, 191, 0],
    ['cyan', 0, 191, 191],
    ['green', 0, 191, 0],
    ['magenta', 191, 0, 191],
    ['red', 191, 0, 0],
    ['blue', 0, 0, 191],
  ];
  const tile = [...document.querySelectorAll<HTMLElement>('#grid figure.tile')].find(
    (figure) => figure.dataset.displayName === displayName,
  );
  const video = tile?.querySelector('video');
  if (!video || video.videoWidth === 0) return [];
  const canvas = document.createElement('canvas');
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  context.drawImage(video, 0, 0);
  const row = context.getImageData(0, Math.floor(canvas.height * 0.1), canvas.width, 1).data;
  const seen = new Set<string>();
  for (let x = 0; x < canvas.width; x++) {
    const [r, g, b] = [row[x * 4]!, row[x * 4 + 1]!, row[x * 4 + 2]!];
    const near = bars.find(([, br, bg, bb]) => Math.hypot(r - br, g - bg, b - bb) < 50);
    if (near) seen.add(near[0]);
  }
  return [...seen].sort();
}

async function openPage(page: Page, name: string): Promise<void> {
  page.on('pageerror', (error) => console.log(`[${name}] page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') console.log(`[${name}] console: ${message.text()}`);
  });
  await page.goto(`${server.url}?room=${ROOM}&name=${name}`);
  await expect(page.locator('#status')).toHaveText('connected');
}

test('the Node bot and a Chromium page see each other, and the bot echoes chat', async ({
  page,
}) => {
  await openPage(page, 'carol');
  const wsUrl = `${server.url.replace('http', 'ws')}ws`;
  // 15 fps keeps three encoders and two decoders comfortable on two cores.
  bot = startBot([
    '--url',
    wsUrl,
    '--room',
    ROOM,
    '--name',
    'robo',
    '--fps',
    '15',
    '--stats-every',
    '1',
  ]);
  const joined = await bot.waitFor(
    (e): e is Extract<BotEvent, { event: 'joined' }> => e.event === 'joined',
    'joined',
  );
  await bot.waitFor((e) => e.event === 'publishing', 'publishing');
  // The bot learned about carol from the join answer.
  await bot.waitFor((e) => e.event === 'peerjoined' && e.displayName === 'carol', 'carol');

  // The page decodes the bot's picture: its tile is live and the count grows.
  await expect.poll(() => page.evaluate(tileVideoState, 'robo')).toBe('live');
  const seen = await expectGrowth(
    () => page.evaluate(tileVideoFrames, 'robo'),
    20,
    "frames of the bot's video decoded by Chromium",
  );
  console.log(`Chromium decoded the bot's video: ${seen.from} -> ${seen.to} frames`);
  const size = await page
    .locator('figure.tile[data-display-name="robo"] video')
    .evaluate((video: HTMLVideoElement) => `${video.videoWidth}x${video.videoHeight}`);
  expect(size).toMatch(/^[1-9]\d*x[1-9]\d*$/);
  // And it is the bot's picture: its colour bars, all seven, as the page renders them.
  await expect
    .poll(() => page.evaluate(barColoursShown, 'robo'))
    .toEqual(['blue', 'cyan', 'green', 'magenta', 'red', 'white', 'yellow']);

  // ... and receives its beep.
  await expectGrowth(
    () =>
      page.evaluate(inboundRtp, {
        displayName: 'robo',
        source: 'microphone',
        field: 'packetsReceived',
      } as const),
    50,
    "audio packets of the bot's beep at Chromium",
  );

  // The bot decodes the page's camera and hears its microphone.
  const firstSeen = await bot.waitFor(
    (e): e is Stats =>
      isStats(e) && e.received.some((p) => p.displayName === 'carol' && p.videoFrames > 0),
    "the bot's first decoded frame of carol",
  );
  const carolAt = (stats: Stats) => stats.received.find((p) => p.displayName === 'carol')!;
  const before = carolAt(firstSeen).videoFrames;
  const later = await bot.waitFor(
    (e): e is Stats =>
      isStats(e) &&
      (e.received.find((p) => p.displayName === 'carol')?.videoFrames ?? 0) >= before + 30,
    '30 more frames of carol at the bot',
  );
  const carol = carolAt(later);
  console.log(
    `the bot decoded carol: ${carol.videoFrames} frames (${carol.videoSize}), ${carol.audioChunks / 100} s audio`,
  );
  expect(carol.videoSize).toMatch(/^[1-9]\d*x[1-9]\d*$/);
  expect(carol.audioChunks).toBeGreaterThan(0);
  expect(later.sentVideoFrames).toBeGreaterThan(0);

  // Chat: the page says something, the bot answers in the page's chat log.
  await page.fill('#chat-input', 'hello robo');
  await page.click('#chat-send');
  await expect
    .poll(() => page.evaluate(chatFrom, 'robo'))
    .toEqual([expect.stringContaining('bot heard: hello robo')]);
  await bot.waitFor(
    (e) => e.event === 'chat' && e.displayName === 'carol' && e.text === 'hello robo',
    'chat',
  );

  // The server holds both peers, each sending audio and video consumed by the other.
  const room = server.sfu.room(ROOM)!;
  const peers = room.peers
    .map((p) => ({
      id: p.id,
      name: p.identity?.displayName,
      device: p.identity?.device.name,
      producers: p.producers.size,
      consumers: p.consumers.size,
    }))
    .sort((a, b) => String(a.name).localeCompare(String(b.name)));
  expect(peers).toEqual([
    { id: expect.any(String), name: 'carol', device: 'Chrome111', producers: 2, consumers: 2 },
    { id: joined.peerId, name: 'robo', device: 'Node', producers: 2, consumers: 2 },
  ]);
  const dump = await room.router.dump();
  expect(Object.keys(dump.mapProducerIdConsumerIds)).toHaveLength(4);
  expect(Object.keys(dump.mapConsumerIdProducerId)).toHaveLength(4);

  // SIGTERM: the bot leaves cleanly (exit code 0) and the page drops its tile.
  const exit = await bot.stop();
  expect(exit).toEqual({ code: 0, signal: null });
  expect(bot.events.at(-1)).toEqual({ event: 'left', reason: 'SIGTERM' });
  await expect.poll(() => page.evaluate(tileVideoState, 'robo')).toBe('');
  await expect.poll(() => server.sfu.room(ROOM)?.peers.length).toBe(1);
});
