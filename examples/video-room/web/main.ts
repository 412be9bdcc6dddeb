/**
 * The example video room, on `RoomClient` (@vroom/client/room).
 *
 * Open `/?room=NAME` (a form asks for your name unless `&name=` is given).
 *
 * DOM CONTRACT: end-to-end tests (Chromium, Firefox, bots) rely on exactly this.
 * - `#grid` holds one `figure.tile` per participant:
 *   - `data-peer-id`: the peer id; ours is `"local"`;
 *   - `data-display-name`: the name as given;
 *   - `data-video` = `"live" | "paused" | "off"` (camera: flowing / paused by its
 *     sender / not sent), `data-audio` the same for the microphone;
 *   - `data-speaking="true"` on the active speaker only;
 *   - inside: one `video` (the camera), an `audio` element playing the peer's
 *     microphone (remote tiles only), a `figcaption` with the name, and the
 *     stats panel `.stats` with its figures in `[data-stat=bitrate|resolution|fps|loss]`.
 *   A shared screen is its own `figure.screen[data-screen-of=<peer id or "local">]`
 *   in `#grid` (not a `.tile`, no `data-peer-id`).
 * - Controls: `#mic`, `#camera`, `#screen` toggle buttons whose
 *   `aria-pressed="true"` means that source is on and live (`data-state` =
 *   `live | paused | off`; the `.label` says what a click does: "Mute" /
 *   "Unmute", "Pause video" / "Resume video", "Share screen" / "Stop sharing",
 *   "Turn camera off" / "Turn camera on": see CONTROL_TEXT); `#mic` mutes /
 *   unmutes, `#camera` pauses / resumes the camera (others see `data-video="paused"`),
 *   `#camera-power` turns the camera off (producer closed, device released:
 *   others see `data-video="off"`) or on; `#leave` leaves. `#screen` is hidden
 *   where the browser cannot capture a screen (phones).
 * - Chat: `#chat-input`, `#chat-send`, `#chat-log` with one `li` per message
 *   (`data-from` = the sender's display name; ours too, once sent).
 * - `#status`: the connection state as text (`new`, `connecting`, `connected`,
 *   `reconnecting`, `disconnected`, `failed`), also in `data-state`.
 * - `#join-form` (`#name-input`, `#room-input`, `#join`) when the URL has no
 *   `name`, or a room or name over the protocol's limits: then
 *   `#room-input-problem` / `#name-input-problem` say what is wrong;
 * - `#media-problem` (`#media-problem-text`, `#media-retry`, `#media-dismiss`,
 *   `data-devices` = the devices that failed) while the camera or microphone
 *   could not start: e.g. "Camera blocked: allow it in the browser's site settings…";
 * - `#notice`: passing messages for people (`data-kind` = `error | info`);
 *   `#left` (with `#rejoin`) once the room ended; `#stats-toggle` shows / hides
 *   the stats panels (hidden by default below 760 px wide; still updated).
 * - `window.vroom = { room }`: the `RoomClient`, for tests (layers, stats).
 */
import { RoomClient } from '@vroom/client/room';
import { ChatPanel } from './chat.js';
import { Controls } from './controls.js';
import { askJoinTarget, type JoinTarget } from './joinForm.js';
import { MediaAccess } from './mediaAccess.js';
import { Notice } from './notice.js';
import { bindRoomView } from './roomView.js';
import { StatsPoller } from './statsPoller.js';
import { LOCAL, TileGrid } from './tiles.js';

declare global {
  interface Window {
    vroom?: { room: RoomClient };
  }
}

function byId<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`the page lacks #${id}`);
  return found as T;
}

const notice = new Notice(byId('notice'));
const stage = byId('stage');
const controlBar = byId('controls');
const leftPanel = byId('left');

/** The stats overlays can hide the picture on small screens: one switch for all of them. */
function bindStatsToggle(): void {
  const toggle = byId<HTMLButtonElement>('stats-toggle');
  const show = (shown: boolean) => {
    toggle.setAttribute('aria-pressed', String(shown));
    document.body.classList.toggle('hide-stats', !shown);
  };
  // Phones start without them; laptops with them.
  show(!matchMedia('(max-width: 760px)').matches);
  toggle.addEventListener('click', () => show(toggle.getAttribute('aria-pressed') !== 'true'));
}

function signalingUrl(): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
}

function start({ roomId, displayName }: JoinTarget): void {
  byId('room-name').textContent = roomId;
  document.title = `${roomId} · vroom`;

  // A reload keeps this tab's seat (same peer id at the others); closing the tab leaves.
  const room = new RoomClient({ url: signalingUrl(), roomId, displayName, rememberSession: true });
  window.vroom = { room };

  // Browsers play sound only after the user interacted with the page: when
  // one refuses, ask for a click and retry everything on it.
  let awaitingClick = false;
  const grid = new TileGrid(byId('grid'), () => {
    if (awaitingClick) return;
    awaitingClick = true;
    notice.show('Click anywhere to turn the sound on.', { sticky: true, kind: 'info' });
    document.addEventListener(
      'click',
      () => {
        awaitingClick = false;
        notice.hide();
        grid.replayAll();
      },
      { once: true, capture: true },
    );
  });

  const stats = new StatsPoller(room, grid);
  const chat = new ChatPanel(
    {
      log: byId('chat-log'),
      form: byId('chat-form'),
      input: byId('chat-input'),
      send: byId('chat-send'),
    },
    async (text) => {
      await room.sendChat(text);
      chat.add({ from: displayName, text, at: Date.now(), mine: true });
    },
    (error) => notice.error(error),
  );
  chat.setEnabled(false); // until connected

  let leaving = false;
  const showEnded = (state: 'disconnected' | 'failed') => {
    byId('left-reason').textContent = leaving
      ? 'You left the room.'
      : state === 'failed'
        ? 'The connection failed.'
        : 'You are disconnected from the room.';
    stats.stop();
    media.reset();
    grid.clear();
    stage.hidden = true;
    controlBar.hidden = true;
    leftPanel.hidden = false;
  };
  const view = bindRoomView(room, {
    grid,
    chat,
    status: byId('status'),
    onError: (error) => notice.error(error),
    onEnded: showEnded,
  });
  const media = new MediaAccess(
    room,
    {
      banner: byId('media-problem'),
      text: byId('media-problem-text'),
      retry: byId('media-retry'),
      dismiss: byId('media-dismiss'),
    },
    () => controls.refresh(),
  );
  const controls = new Controls({
    elements: {
      mic: byId('mic'),
      camera: byId('camera'),
      cameraPower: byId('camera-power'),
      screen: byId('screen'),
      leave: byId('leave'),
    },
    room,
    enable: (device) => media.enable([device]),
    onLeave: async () => {
      leaving = true;
      await room.leave();
    },
    onChange: view.showLocal,
    onError: (error) => notice.error(error),
  });
  room.on('connectionstatechange', () => controls.refresh());
  // Media keeps flowing while the room recovers: say so, and when it is over.
  room.on('reconnecting', () =>
    notice.show('Connection to the server lost: reconnecting…', { sticky: true, kind: 'info' }),
  );
  room.on('reconnected', ({ how }) =>
    notice.show(how === 'resumed' ? 'Reconnected.' : 'Reconnected (joined the room again).', {
      kind: 'info',
    }),
  );
  room.on('localtrackpublished', () => controls.refresh());
  room.on('localtrackunpublished', () => controls.refresh());

  const enter = async () => {
    leaving = false;
    leftPanel.hidden = true;
    stage.hidden = false;
    controlBar.hidden = false;
    grid.add(LOCAL, displayName);
    controls.refresh();
    try {
      await room.join();
    } catch (error) {
      notice.error(error);
      showEnded('failed');
      return;
    }
    stats.start();
    await media.enable();
  };
  byId('rejoin').addEventListener('click', () => void enter());
  void enter();
}

bindStatsToggle();
askJoinTarget(byId<HTMLFormElement>('join-form'))
  .then(start)
  .catch((error: unknown) => notice.error(error));
