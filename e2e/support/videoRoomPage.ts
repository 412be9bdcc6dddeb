// Reading the example page (examples/video-room/web) through its DOM
// contract, the same from Playwright (Chromium) and puppeteer (Firefox): the
// functions below run inside the page, so they use nothing but the page.
import type { RoomClient } from '@vroom/client/room';

declare global {
  interface Window {
    /** Set by the example page (DOM contract): its RoomClient. */
    vroom?: { room: RoomClient };
  }
}

/**
 * Decoded frames of the camera shown in the tile of `displayName` (the
 * browser's own count, `getVideoPlaybackQuality()`); -1 while there is no
 * such tile. Runs in the page.
 */
export function tileVideoFrames(displayName: string): number {
  const tiles = document.querySelectorAll<HTMLElement>('#grid figure.tile');
  const tile = [...tiles].find((figure) => figure.dataset.displayName === displayName);
  const video = tile?.querySelector('video');
  return video ? video.getVideoPlaybackQuality().totalVideoFrames : -1;
}

/**
 * The sum of `field` over the inbound-rtp stats of the track the page
 * receives from `displayName`'s `source` (`framesDecoded`, `packetsReceived`...);
 * -1 before that track exists. Headless Firefox never composites, so its
 * `totalVideoFrames` stays 0 while it decodes and plays: there
 * `framesDecoded` is the count to watch. Runs in the page.
 */
export async function inboundRtp(query: {
  displayName: string;
  source: 'camera' | 'microphone';
  field: 'framesDecoded' | 'packetsReceived';
}): Promise<number> {
  const room = window.vroom?.room;
  const track = room?.peers.find((p) => p.displayName === query.displayName)?.track(query.source);
  if (!room || !track) return -1;
  let total = 0;
  (await room.getStats({ consumerId: track.consumerId })).forEach(
    (stats: RTCStats & Partial<Record<typeof query.field, number>>) => {
      if (stats.type === 'inbound-rtp') total += stats[query.field] ?? 0;
    },
  );
  return total;
}

/** Playback position (ms) of the tile video of `displayName`; -1 without one. Runs in the page. */
export function tileVideoTime(displayName: string): number {
  const tiles = document.querySelectorAll<HTMLElement>('#grid figure.tile');
  const video = [...tiles]
    .find((figure) => figure.dataset.displayName === displayName)
    ?.querySelector('video');
  return video && video.videoWidth > 0 ? Math.round(video.currentTime * 1000) : -1;
}

/** `data-video` of the tile of `displayName`, or '' without one. Runs in the page. */
export function tileVideoState(displayName: string): string {
  const tiles = document.querySelectorAll<HTMLElement>('#grid figure.tile');
  return (
    [...tiles].find((figure) => figure.dataset.displayName === displayName)?.dataset.video ?? ''
  );
}

/** The texts of `#chat-log` entries from `displayName`. Runs in the page. */
export function chatFrom(displayName: string): string[] {
  const items = document.querySelectorAll<HTMLElement>('#chat-log li');
  return [...items]
    .filter((item) => item.dataset.from === displayName)
    .map((item) => item.textContent ?? '');
}

/** Waits until `read()` is `by` above its first value; the bound only turns a hang into a failure. */
export async function expectGrowth(
  read: () => Promise<number>,
  by: number,
  what: string,
  limitMs = 30_000,
): Promise<{ from: number; to: number }> {
  const deadline = Date.now() + limitMs;
  let from = await read();
  while (from < 0) {
    if (Date.now() > deadline) throw new Error(`${what}: nothing to count after ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    from = await read();
  }
  let to = from;
  while (to < from + by) {
    if (Date.now() > deadline) {
      throw new Error(`${what}: grew from ${from} to ${to} in ${limitMs} ms, expected +${by}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    to = await read();
  }
  return { from, to };
}
