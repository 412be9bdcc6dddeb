import type { RoomClient, TrackSource } from '@vroom/client/room';
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
 * The control bar. Toggle buttons say with `aria-pressed="true"` that the
 * source is on and live:
 * - `#mic`: mute / unmute (pause / resume the producer; turns it on if off);
 * - `#camera`: pause / resume the camera (the others see it paused; on if off);
 * - `#camera-power`: turn the camera off (the producer closes, the device is
 *   released, the others see no video) or on again;
 * - `#screen`: share the screen or stop sharing;
 * - `#leave`: leave the room.
 * A button is disabled while its operation runs, so double clicks do not queue.
 */
export class Controls {
  readonly #elements: ControlElements;
  readonly #room: RoomClient;
  readonly #onChange: () => void;
  readonly #onError: (error: unknown) => void;

  constructor(options: {
    elements: ControlElements;
    room: RoomClient;
    onLeave: () => Promise<void>;
    onChange: () => void;
    onError: (error: unknown) => void;
  }) {
    const { elements, room } = options;
    this.#elements = elements;
    this.#room = room;
    this.#onChange = options.onChange;
    this.#onError = options.onError;
    this.#bind(elements.mic, () => this.#toggle('microphone'));
    this.#bind(elements.camera, () => this.#toggle('camera'));
    this.#bind(elements.cameraPower, () =>
      room.localTrack('camera') ? room.disableCamera() : room.enableCamera(),
    );
    this.#bind(elements.screen, () =>
      room.localTrack('screen') ? room.disableScreenShare() : room.enableScreenShare(),
    );
    this.#bind(elements.leave, options.onLeave);
    // Phones and tablets have no screen capture: no button that can only fail.
    elements.screen.hidden = typeof navigator.mediaDevices?.getDisplayMedia !== 'function';
  }

  /** Shows the room's current local state on the buttons. */
  refresh(): void {
    const { mic, camera, cameraPower, screen } = this.#elements;
    const joined = this.#room.connectionState === 'connected';
    const micState = localState(this.#room, 'microphone');
    const cameraState = localState(this.#room, 'camera');
    mic.setAttribute('aria-pressed', String(micState === 'live'));
    mic.dataset.state = micState;
    camera.setAttribute('aria-pressed', String(cameraState === 'live'));
    camera.dataset.state = cameraState;
    const cameraOn = cameraState !== 'off';
    cameraPower.dataset.state = cameraState;
    setLabel(cameraPower, cameraOn ? 'Camera off' : 'Camera on');
    cameraPower.title = cameraOn
      ? 'Turn the camera off (releases the device)'
      : 'Turn the camera on';
    const sharing = this.#room.localTrack('screen') !== undefined;
    screen.setAttribute('aria-pressed', String(sharing));
    screen.title = sharing ? 'Stop sharing your screen' : 'Share your screen';
    for (const button of Object.values(this.#elements)) {
      if (button.getAttribute('aria-busy') !== 'true') button.disabled = !joined;
    }
  }

  #toggle(source: 'microphone' | 'camera'): Promise<unknown> {
    const room = this.#room;
    const state = localState(room, source);
    if (source === 'microphone') {
      if (state === 'off') return room.enableMicrophone();
      return state === 'live' ? room.muteMicrophone() : room.unmuteMicrophone();
    }
    if (state === 'off') return room.enableCamera();
    return state === 'live' ? room.pauseCamera() : room.resumeCamera();
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

function setLabel(button: HTMLButtonElement, text: string): void {
  const label = button.querySelector('.label');
  if (label && label.textContent !== text) label.textContent = text;
}
