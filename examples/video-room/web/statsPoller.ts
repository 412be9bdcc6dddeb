import type { RoomClient } from '@vroom/client/room';
import { readStats, type StatsReading } from './stats.js';
import { LOCAL, type ScreenTile, type Tile, type TileGrid } from './tiles.js';

const INTERVAL_MS = 1000;

/**
 * What a tile's panel shows: the camera (sent or received) or, without one,
 * the microphone, so a voice-only participant still has figures.
 */
async function readTile(room: RoomClient, tile: Tile): Promise<StatsReading | undefined> {
  if (tile.peerId === LOCAL) {
    const source = room.localTrack('camera')
      ? 'camera'
      : room.localTrack('microphone')
        ? 'microphone'
        : undefined;
    if (!source) return undefined;
    return readStats(await room.getStats({ source }), 'outbound');
  }
  const peer = room.peer(tile.peerId);
  const track = peer?.track('camera') ?? peer?.track('microphone');
  if (!track) return undefined;
  return readStats(await room.getStats({ consumerId: track.consumerId }), 'inbound');
}

/** A shared screen's own figures: what we send of ours, what we receive of theirs. */
async function readScreen(room: RoomClient, screen: ScreenTile): Promise<StatsReading | undefined> {
  if (screen.ownerId === LOCAL) {
    if (!room.localTrack('screen')) return undefined;
    return readStats(await room.getStats({ source: 'screen' }), 'outbound');
  }
  const track = room.peer(screen.ownerId)?.track('screen');
  if (!track) return undefined;
  return readStats(await room.getStats({ consumerId: track.consumerId }), 'inbound');
}

/**
 * Feeds every tile's stats panel once a second from the browser's
 * getStats(). One pass at a time (a slow pass is skipped, not stacked), and
 * none while the tab is hidden.
 */
export class StatsPoller {
  readonly #room: RoomClient;
  readonly #grid: TileGrid;
  #timer: ReturnType<typeof setInterval> | undefined;
  #running = false;

  constructor(room: RoomClient, grid: TileGrid) {
    this.#room = room;
    this.#grid = grid;
  }

  start(): void {
    if (this.#timer === undefined) this.#timer = setInterval(() => void this.#poll(), INTERVAL_MS);
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #poll(): Promise<void> {
    if (this.#running || document.hidden || this.#room.connectionState !== 'connected') return;
    this.#running = true;
    try {
      await Promise.all([
        ...this.#grid.tiles.map(async (tile) => {
          // A track that closed between the check and getStats() reads as nothing sent.
          const reading = await readTile(this.#room, tile).catch(() => undefined);
          tile.stats.update(reading, tile.figure.dataset.video === 'live');
        }),
        ...this.#grid.screens.map(async (screen) => {
          const reading = await readScreen(this.#room, screen).catch(() => undefined);
          screen.stats.update(reading, true);
        }),
      ]);
    } finally {
      this.#running = false;
    }
  }
}
