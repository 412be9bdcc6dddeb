// Playwright steps for the Chromium specs that drive the example video room
// page through its DOM contract (documented at the top of
// examples/video-room/web/main.ts) and check the server behind it. Readers
// that must also run under puppeteer (Firefox) live in ../support/videoRoomPage.ts.
import { type Browser, expect, type Locator, type Page } from '@playwright/test';
import type { RoomClient } from '@vroom/client/room';
import type { VideoRoomServer } from '../../examples/video-room/app.js';

declare global {
  interface Window {
    /** Set by the page (DOM contract). */
    vroom?: { room: RoomClient };
  }
}

export const LAPTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

export type JoinOptions = {
  viewport?: { width: number; height: number };
  /** Leave the name out of the URL (the page then asks for it). */
  askName?: boolean;
};

/** A new browser context (its own fake camera and microphone) on the room page. */
export async function openRoom(
  browser: Browser,
  server: VideoRoomServer,
  room: string,
  name: string,
  options: JoinOptions = {},
): Promise<Page> {
  const context = await browser.newContext({ viewport: options.viewport ?? LAPTOP });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.log(`[${name}] page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') console.log(`[${name}] console: ${message.text()}`);
  });
  const query = new URLSearchParams({ room, ...(options.askName ? {} : { name }) });
  await page.goto(`${server.url}?${query}`);
  return page;
}

/** The tile of a participant, by display name (ours included). */
export function tile(page: Page, displayName: string): Locator {
  return page.locator(`#grid figure.tile[data-display-name="${displayName}"]`);
}

/** Frames decoded of each remote camera, by display name. */
export function remoteFrames(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => {
    const frames: Record<string, number> = {};
    for (const figure of document.querySelectorAll<HTMLElement>(
      '#grid figure.tile:not([data-peer-id="local"])',
    )) {
      const video = figure.querySelector('video');
      frames[figure.dataset.displayName ?? '?'] =
        video?.getVideoPlaybackQuality().totalVideoFrames ?? 0;
    }
    return frames;
  });
}

/** The page shows exactly these remote peers, and each one's video keeps decoding. */
export async function expectVideoFrom(page: Page, names: string[]): Promise<void> {
  await expect
    .poll(async () => Object.keys(await remoteFrames(page)).sort())
    .toEqual([...names].sort());
  const before = await remoteFrames(page);
  await expect
    .poll(
      async () => {
        const now = await remoteFrames(page);
        return names.filter((name) => (now[name] ?? 0) <= (before[name] ?? 0) + 5);
      },
      `${names.join(', ')} still decoding`,
    )
    .toEqual([]);
}

/** `packetsReceived` of the consumer of a peer's source, read through window.vroom. */
export function packetsReceived(
  page: Page,
  displayName: string,
  source: 'microphone' | 'camera',
): Promise<number> {
  return page.evaluate(
    async ({ displayName, source }) => {
      const room = window.vroom?.room;
      const peer = room?.peers.find((p) => p.displayName === displayName);
      const track = peer?.track(source);
      if (!room || !track) return 0;
      const report = await room.getStats({ consumerId: track.consumerId });
      let packets = 0;
      report.forEach((stats: RTCStats & { packetsReceived?: number }) => {
        if (stats.type === 'inbound-rtp') packets += stats.packetsReceived ?? 0;
      });
      return packets;
    },
    { displayName, source },
  );
}

/** Audio packets of each named peer keep arriving on this page. */
export async function expectAudioFrom(page: Page, names: string[]): Promise<void> {
  const before = await Promise.all(names.map((n) => packetsReceived(page, n, 'microphone')));
  await expect
    .poll(
      async () => {
        const now = await Promise.all(names.map((n) => packetsReceived(page, n, 'microphone')));
        return names.filter((_, i) => (now[i] ?? 0) <= (before[i] ?? 0) + 10);
      },
      `audio from ${names.join(', ')} still arriving`,
    )
    .toEqual([]);
}

/** The server's session of a participant, by display name. */
export function serverPeer(server: VideoRoomServer, room: string, displayName: string) {
  return server.sfu.room(room)?.peers.find((peer) => peer.info().displayName === displayName);
}

/** The server's consumer that `receiver` has of `sender`'s source. */
export function serverConsumer(
  server: VideoRoomServer,
  room: string,
  receiver: string,
  sender: string,
  source: 'camera' | 'microphone',
) {
  // The server keeps the client's appData (where the room puts `source`) under `client`.
  const producer = [...(serverPeer(server, room, sender)?.producers.values() ?? [])].find(
    (p) => (p.appData.client as { source?: string } | undefined)?.source === source,
  );
  if (!producer) return undefined;
  return [...(serverPeer(server, room, receiver)?.consumers.values() ?? [])].find(
    (c) => c.producerId === producer.id,
  );
}

/** The width of the video the page shows of a remote peer's camera. */
export function shownWidth(page: Page, displayName: string): Promise<number> {
  return tile(page, displayName)
    .locator('video')
    .evaluate((video: HTMLVideoElement) => video.videoWidth);
}
