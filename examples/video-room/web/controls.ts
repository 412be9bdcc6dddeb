import type { RoomClient, TrackSource } from '@vroom/client/room';
import { captureProblem, type Device } from './messages.js';
import type { MediaState } from './tiles.js';

export type ControlElements = {
  mic: HTMLButtonElement;
  camera: HTMLButtonElement;
  cameraPower: HTMLButtonElement;
  screen: HTMLButtonElement;
  leave: HTMLButtonElement;
};

/** What we send of a source, from the room's point of view. */
export function localState(room: RoomClient, source: TrackSource): MediaState {
  const local = room.localTrack(source);
  if (!local) return 'off';
  return local.paused ? 'paused' : 'live';
}

/**
 * What each button says in each state: the label is what a click does
 * (as in the video apps people know), the icon shows the state (struck
 * through when not live), the title explains. The two camera buttons differ
 * in what the camera does: "Pause video" keeps it running for a quick
 * return, "Turn camera off" releases it (its light goes out).
 */
export const CONTROL_TEXT = {
  mic: {
    live: { label: 'Mute', title: 'Mute your microphone' },
    paused: { label: 'Unmute', title: 'Your microphone is muted: unmute it' },
    off: { label: 'Start mic', title: 'Your microphone is off: start it' },
  },
  camera: {
    live: { label: 'Pause video', title: 'Stop showing your video (the camera stays on)' },
    paused: { label: 'Resume video', title: 'Your video is paused: show it again' },
    off: { label: 'Start video', title: 'Your camera is off: start it' },
  },
  cameraPower: {
    on: { label: 'Turn camera off', title: 'Turn the camera off (its light goes out)' },
    off: { label: 'Turn camera on', title: 'Turn the camera on' },
  },
  screen: {
    on: { label: 'Stop sharing', title: 'Stop sharing your screen' },
    off: { label: 'Share screen', title: 'Share your screen' },
  },
} as const;

/**
 * The control bar. Toggle buttons say with `aria-pressed="true"` that the
 * source is on and live, and with `data-state` which of live / paused / off:
 * - `#mic`: mute / unmute (pause / resume the producer; starts it if off);
 * - `#camera`: pause / resume the camera (the others see it paused; starts it if off);
 * - `#camera-power`: turn the camera off (the producer closes, the device is
 *   released, the others see no video) or on again;
 * - `#screen`: share the screen or stop sharing;
 * - `#leave`: leave the room.
 * A button is disabled while its operation runs, so double clicks do not queue.
 */
export class Controls {
  readonly #elements: ControlElements;
  readonly #room: RoomClient;
  readonly #enable: (device: Device) => Promise<void>;
  readonly #onChange: () => void;
  readonly #onError: (error: unknown) => void;

  constructor(options: {
    elements: ControlElements;
    room: RoomClient;
    /** Starts a device, reporting a refusal itself (MediaAccess.enable). */
    enable: (device: Device) => Promise<void>;
    onLeave: () => Promise<void>;
    onChange: () => void;
    onError: (error: unknown) => void;
  }) {
    const { elements, room } = options;
    this.#elements = elements;
    this.#room = room;
    this.#enable = options.enable;
    this.#onChange = options.onChange;
    this.#onError = options.onError;
    this.#bind(elements.mic, () => this.#toggle('microphone'));
    this.#bind(elements.camera, () => this.#toggle('camera'));
    this.#bind(elements.cameraPower, () =>
      room.localTrack('camera') ? room.disableCamera() : this.#enable('camera'),
    );
    this.#bind(elements.screen, () => this.#toggleScreen());
    this.#bind(elements.leave, options.onLeave);
    // Phones and tablets have no screen capture: no button that can only fail.
    elements.screen.hidden = typeof navigator.mediaDevices?.getDisplayMedia !== 'function';
  }

  /** Shows the room's current local state on the buttons. */
  refresh(): void {
    const { mic, camera, cameraPower, screen } = this.#elements;
    const micState = localState(this.#room, 'microphone');
    const cameraState = localState(this.#room, 'camera');
    show(mic, micState, micState === 'live', CONTROL_TEXT.mic[micState]);
    show(camera, cameraState, cameraState === 'live', CONTROL_TEXT.camera[cameraState]);
    const cameraOn = cameraState !== 'off';
    show(cameraPower, cameraState, cameraOn, CONTROL_TEXT.cameraPower[cameraOn ? 'on' : 'off']);
    const sharing = this.#room.localTrack('screen') !== undefined;
    show(screen, sharing ? 'live' : 'off', sharing, CONTROL_TEXT.screen[sharing ? 'on' : 'off']);
    const joined = this.#room.connectionState === 'connected';
    for (const button of Object.values(this.#elements)) {
      if (button.getAttribute('aria-busy') !== 'true') button.disabled = !joined;
    }
  }

  #toggle(source: Device): Promise<unknown> {
    const room = this.#room;
    const state = localState(room, source);
    if (state === 'off') return this.#enable(source);
    if (source === 'microphone') {
      return state === 'live' ? room.muteMicrophone() : room.unmuteMicrophone();
    }
    return state === 'live' ? room.pauseCamera() : room.resumeCamera();
  }

  async #toggleScreen(): Promise<void> {
    if (this.#room.localTrack('screen')) {
      await this.#room.disableScreenShare();
      return;
    }
    try {
      await this.#room.enableScreenShare();
    } catch (error) {
      // Closing the browser's screen picker is a choice, not a failure.
      if (captureProblem(error) !== 'blocked') throw error;
    }
  }

  #bind(button: HTMLButtonElement, action: () => Promise<unknown>): void {
    button.addEventListener('click', () => {
      if (button.getAttribute('aria-busy') === 'true') return;
      button.setAttribute('aria-busy', 'true');
      button.disabled = true;
      action()
        .catch(this.#onError)
        .finally(() => {
          button.removeAttribute('aria-busy');
          button.disabled = false;
          this.refresh();
          this.#onChange();
        });
    });
  }
}

/** Pressed state, `data-state` (the stylesheet picks the icon from it), label and title. */
function show(
  button: HTMLButtonElement,
  state: MediaState,
  pressed: boolean,
  text: { label: string; title: string },
): void {
  button.setAttribute('aria-pressed', String(pressed));
  button.dataset.state = state;
  button.title = text.title;
  const label = button.querySelector('.label');
  if (label && label.textContent !== text.label) label.textContent = text.label;
}
