import type { RoomClient } from '@vroom/client/room';
import { captureMessage, type Device } from './messages.js';

export type MediaProblemElements = {
  /** `#media-problem`: shown while a device could not start. */
  banner: HTMLElement;
  text: HTMLElement;
  retry: HTMLButtonElement;
  dismiss: HTMLButtonElement;
};

/**
 * Starts the camera and microphone, and when the browser refuses one, says
 * so in a lasting banner (`#media-problem`) with "Try again": a blocked
 * camera is fixed in the browser's settings, which takes longer than any
 * passing notice lasts. The banner stays until the device works or the
 * person dismisses it; the controls start devices through `enable` too, so
 * the same words appear whichever way a capture failed.
 */
export class MediaAccess {
  readonly #room: RoomClient;
  readonly #elements: MediaProblemElements;
  readonly #onChange: () => void;
  readonly #failures = new Map<Device, unknown>();

  constructor(room: RoomClient, elements: MediaProblemElements, onChange: () => void) {
    this.#room = room;
    this.#elements = elements;
    this.#onChange = onChange;
    elements.retry.addEventListener('click', () => void this.#retry());
    elements.dismiss.addEventListener('click', () => {
      elements.banner.hidden = true;
    });
  }

  /**
   * Starts `devices` (both: one getUserMedia, one prompt; if that fails,
   * each alone, so a blocked camera still leaves the microphone working).
   * Never rejects: failures go to the banner (and the console).
   */
  async enable(devices: readonly Device[] = ['camera', 'microphone']): Promise<void> {
    const room = this.#room;
    if (devices.length > 1) {
      try {
        await room.enableCameraAndMicrophone();
        for (const device of devices) this.#failures.delete(device);
        this.#render();
        return;
      } catch (error) {
        console.warn('camera and microphone together failed, trying each alone', error);
      }
    }
    await Promise.all(
      devices.map(async (device) => {
        try {
          await (device === 'camera' ? room.enableCamera() : room.enableMicrophone());
          this.#failures.delete(device);
        } catch (error) {
          console.error(error);
          this.#failures.set(device, error);
        }
      }),
    );
    this.#render();
  }

  /** Forgets everything (the room ended). */
  reset(): void {
    this.#failures.clear();
    this.#render();
  }

  async #retry(): Promise<void> {
    const retry = this.#elements.retry;
    retry.disabled = true;
    try {
      await this.enable([...this.#failures.keys()]);
    } finally {
      retry.disabled = false;
      this.#onChange();
    }
  }

  #render(): void {
    const { banner, text } = this.#elements;
    banner.hidden = this.#failures.size === 0;
    text.textContent = captureMessage(this.#failures);
    banner.dataset.devices = [...this.#failures.keys()].sort().join(' ');
  }
}
