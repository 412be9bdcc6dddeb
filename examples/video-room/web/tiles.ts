import { StatsPanel } from './stats.js';

/** What a tile shows of a source: flowing, paused by its sender (muted), or not sent at all. */
export type MediaState = 'live' | 'paused' | 'off';

/** The peer id of our own tile (`data-peer-id="local"`). */
export const LOCAL = 'local';

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  return node;
}

/** Initials for the placeholder shown when there is no picture. */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : [name.trim()];
  return letters
    .map((word) => [...(word ?? '')].slice(0, words.length > 1 ? 1 : 2).join(''))
    .join('')
    .toUpperCase();
}

/** Starts playback; a browser that wants a click first gets one (`onBlocked`). */
function play(media: HTMLMediaElement, onBlocked: () => void): void {
  media.play().catch((error: unknown) => {
    if (error instanceof DOMException && error.name === 'NotAllowedError') onBlocked();
  });
}

/**
 * One participant: `figure.tile` with their camera, their audio (remote
 * tiles), their name, a level meter and a stats panel. The state lives in
 * data attributes (`data-video`, `data-audio`, `data-speaking`), which the
 * stylesheet and the tests both read.
 */
export class Tile {
  readonly peerId: string;
  readonly figure: HTMLElement;
  readonly video: HTMLVideoElement;
  readonly audio: HTMLAudioElement | undefined;
  readonly stats = new StatsPanel();
  readonly #onBlocked: () => void;
  #adapted: MediaStreamTrack | undefined;
  #detach: (() => void) | undefined;

  constructor(options: {
    peerId: string;
    displayName: string;
    local: boolean;
    onAutoplayBlocked: () => void;
  }) {
    this.peerId = options.peerId;
    this.#onBlocked = options.onAutoplayBlocked;
    this.figure = element('figure', 'tile');
    this.figure.dataset.peerId = options.peerId;
    this.figure.dataset.displayName = options.displayName;
    this.figure.dataset.video = 'off';
    this.figure.dataset.audio = 'off';

    this.video = element('video');
    this.video.autoplay = true;
    this.video.playsInline = true;
    // Sound goes through the <audio> element: the video may always autoplay.
    this.video.muted = true;
    if (options.local) this.video.classList.add('mirror');

    const avatar = element('div', 'avatar');
    avatar.setAttribute('aria-hidden', 'true');
    avatar.textContent = initials(options.displayName);

    const caption = element('figcaption');
    const meter = element('span', 'level');
    meter.setAttribute('aria-hidden', 'true');
    const name = element('span', 'name');
    name.textContent = options.local ? `${options.displayName} (you)` : options.displayName;
    const muted = element('span', 'muted-mark');
    muted.textContent = 'muted';
    // Connection quality (data-quality) and "reconnecting" (data-presence): issue 15.
    const quality = element('span', 'quality-mark');
    quality.setAttribute('aria-label', 'connection quality');
    const reconnecting = element('span', 'presence-mark');
    reconnecting.textContent = 'reconnecting…';
    caption.append(meter, name, muted, quality, reconnecting);

    this.figure.append(this.video, avatar, caption, this.stats.element);
    if (!options.local) {
      this.audio = element('audio');
      this.audio.autoplay = true;
      this.figure.append(this.audio);
    }
  }

  /**
   * Shows a remote video through `remoteTrack.attach()`, so the room's
   * adaptive stream sizes it to this tile and pauses it while hidden.
   */
  adapt(remoteTrack: { track: MediaStreamTrack; attach(el: HTMLVideoElement): () => void }): void {
    if (this.#adapted === remoteTrack.track) return;
    this.#detach?.();
    this.#adapted = remoteTrack.track;
    this.#detach = remoteTrack.attach(this.video);
    play(this.video, this.#onBlocked);
  }

  /** `reconnecting`: the peer's link is down, its frame is frozen, not live. */
  setPresence(state: 'connected' | 'reconnecting'): void {
    this.figure.dataset.presence = state;
  }

  setQuality(quality: string): void {
    this.figure.dataset.quality = quality;
    this.figure.querySelector('.quality-mark')?.setAttribute('title', `connection: ${quality}`);
  }

  setVideo(track: MediaStreamTrack | null, state: MediaState): void {
    if (!track && this.#detach) {
      this.#detach();
      this.#detach = undefined;
      this.#adapted = undefined;
    }
    const current = (this.video.srcObject as MediaStream | null)?.getVideoTracks()[0] ?? null;
    if (current !== track) {
      this.video.srcObject = track ? new MediaStream([track]) : null;
      if (track) play(this.video, this.#onBlocked);
    }
    this.figure.dataset.video = track ? state : 'off';
  }

  setVideoState(state: MediaState): void {
    this.figure.dataset.video = state;
  }

  /** Remote tiles play the track; our own tile only shows the state. */
  setAudio(track: MediaStreamTrack | null, state: MediaState): void {
    if (this.audio) {
      const current = (this.audio.srcObject as MediaStream | null)?.getAudioTracks()[0] ?? null;
      if (current !== track) {
        this.audio.srcObject = track ? new MediaStream([track]) : null;
        if (track) play(this.audio, this.#onBlocked);
      }
    }
    this.figure.dataset.audio = state;
  }

  setAudioState(state: MediaState): void {
    this.figure.dataset.audio = state;
  }

  /** Retries playback after the user clicked (autoplay policy). */
  replay(): void {
    if (this.video.srcObject) play(this.video, () => undefined);
    if (this.audio?.srcObject) play(this.audio, () => undefined);
  }

  set speaking(speaking: boolean) {
    if (speaking) this.figure.dataset.speaking = 'true';
    else delete this.figure.dataset.speaking;
  }

  /** Loudness 0..1 for the meter. */
  set level(level: number) {
    this.figure.style.setProperty('--level', level.toFixed(2));
  }

  remove(): void {
    this.video.srcObject = null;
    if (this.audio) this.audio.srcObject = null;
    this.figure.remove();
  }
}

/**
 * A shared screen: its own wide tile, `figure.screen[data-screen-of=<peer id>]`,
 * with its own stats panel (a screen is sent and received apart from the camera).
 */
export class ScreenTile {
  readonly ownerId: string;
  readonly figure = element('figure', 'screen');
  readonly video = element('video');
  readonly stats = new StatsPanel();

  constructor(ownerId: string, ownerName: string, track: MediaStreamTrack, onBlocked: () => void) {
    this.ownerId = ownerId;
    this.figure.dataset.screenOf = ownerId;
    this.video.autoplay = true;
    this.video.playsInline = true;
    this.video.muted = true;
    this.video.srcObject = new MediaStream([track]);
    play(this.video, onBlocked);
    const caption = element('figcaption');
    const name = element('span', 'name');
    name.textContent = ownerId === LOCAL ? 'Your screen' : `${ownerName}'s screen`;
    caption.append(name);
    this.figure.append(this.video, caption, this.stats.element);
  }
}

/**
 * The grid (`#grid`): our tile first, then the others in arrival order,
 * shared screens ahead of everyone. `data-count` lets the stylesheet pick
 * the number of columns.
 */
export class TileGrid {
  readonly #root: HTMLElement;
  readonly #tiles = new Map<string, Tile>();
  readonly #screens = new Map<string, ScreenTile>();
  readonly #onAutoplayBlocked: () => void;

  constructor(root: HTMLElement, onAutoplayBlocked: () => void) {
    this.#root = root;
    this.#onAutoplayBlocked = onAutoplayBlocked;
  }

  get tiles(): Tile[] {
    return [...this.#tiles.values()];
  }

  get screens(): ScreenTile[] {
    return [...this.#screens.values()];
  }

  get(peerId: string): Tile | undefined {
    return this.#tiles.get(peerId);
  }

  add(peerId: string, displayName: string): Tile {
    const existing = this.#tiles.get(peerId);
    if (existing) return existing;
    const tile = new Tile({
      peerId,
      displayName,
      local: peerId === LOCAL,
      onAutoplayBlocked: this.#onAutoplayBlocked,
    });
    this.#tiles.set(peerId, tile);
    if (peerId === LOCAL) this.#root.prepend(tile.figure);
    else this.#root.append(tile.figure);
    this.#recount();
    return tile;
  }

  remove(peerId: string): void {
    this.#tiles.get(peerId)?.remove();
    this.#tiles.delete(peerId);
    this.hideScreen(peerId);
    this.#recount();
  }

  showScreen(ownerId: string, ownerName: string, track: MediaStreamTrack): void {
    this.hideScreen(ownerId);
    const screen = new ScreenTile(ownerId, ownerName, track, this.#onAutoplayBlocked);
    this.#screens.set(ownerId, screen);
    this.#root.prepend(screen.figure);
    this.#recount();
  }

  hideScreen(ownerId: string): void {
    const screen = this.#screens.get(ownerId);
    if (!screen) return;
    screen.video.srcObject = null;
    screen.figure.remove();
    this.#screens.delete(ownerId);
    this.#recount();
  }

  /** Highlights the active speaker (`null`: nobody). */
  setSpeaker(peerId: string | null): void {
    for (const tile of this.#tiles.values()) tile.speaking = tile.peerId === peerId;
  }

  /** Meter levels from the server's dBov volumes (-127..0); tiles not listed are silent. */
  setVolumes(volumes: ReadonlyMap<string, number>): void {
    for (const tile of this.#tiles.values()) {
      const volume = volumes.get(tile.peerId);
      // The server reports nothing under -80 dBov (its threshold); loud
      // speech is about -20 dBov and fills the meter.
      tile.level = volume === undefined ? 0 : Math.min(1, Math.max(0, (volume + 80) / 60));
    }
  }

  replayAll(): void {
    for (const tile of this.#tiles.values()) tile.replay();
  }

  clear(): void {
    for (const peerId of [...this.#tiles.keys()]) this.remove(peerId);
    for (const ownerId of [...this.#screens.keys()]) this.hideScreen(ownerId);
  }

  /**
   * Columns and rows for the stylesheet: as square a grid as the count
   * allows; with a shared screen, the spotlight (screens large, cameras in
   * a column beside them).
   */
  #recount(): void {
    const count = this.#tiles.size + this.#screens.size;
    const columns = Math.max(1, Math.ceil(Math.sqrt(count)));
    const style = this.#root.style;
    this.#root.dataset.count = String(count);
    this.#root.dataset.spotlight = String(this.#screens.size > 0);
    style.setProperty('--screens', String(Math.max(1, this.#screens.size)));
    style.setProperty('--tiles', String(Math.max(1, this.#tiles.size)));
    style.setProperty('--columns', String(columns));
    style.setProperty('--rows', String(Math.max(1, Math.ceil(count / columns))));
    // Phones: one column for two people (landscape tiles), two columns from three.
    style.setProperty('--narrow-columns', count > 2 ? '2' : '1');
  }
}
