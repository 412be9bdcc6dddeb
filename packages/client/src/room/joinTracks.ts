import { cameraPublishOptions, MICROPHONE_PUBLISH } from './capture.js';
import type { LocalMedia } from './LocalMedia.js';
import type { MediaFirstGate } from './MediaFirstGate.js';

/** Tracks the app gives `join()`: published in the join's own flight when it can be. */
export type JoinTracks = {
  camera?: { track: MediaStreamTrack; simulcast?: boolean };
  microphone?: { track: MediaStreamTrack };
};

/**
 * Publishes the tracks given to `join()` (issue 13) each time the join asks
 * (`attempt`): on the pipelined send transport, or on the real one. Only the
 * last attempt counts: a first one on a transport the join dropped (stale
 * capabilities) fails for nothing and is not reported. Camera and microphone
 * start in the same task, so they share one renegotiation, and hold the data
 * channels back (`MediaFirstGate`).
 */
export class JoinPublisher {
  readonly #media: LocalMedia;
  readonly #gate: MediaFirstGate;
  readonly #tracks: JoinTracks;
  #last: Promise<PromiseSettledResult<unknown>[]> | undefined;

  constructor(media: LocalMedia, gate: MediaFirstGate, tracks: JoinTracks) {
    this.#media = media;
    this.#gate = gate;
    this.#tracks = tracks;
  }

  readonly attempt = (): void => {
    const { camera, microphone } = this.#tracks;
    const done = this.#gate.ticket();
    const media = this.#media;
    const publishing = [
      camera &&
        media.serial('camera', () =>
          media.publish(
            'camera',
            camera.track,
            false,
            cameraPublishOptions(camera.simulcast ?? true),
          ),
        ),
      microphone &&
        media.serial('microphone', () =>
          media.publish('microphone', microphone.track, false, MICROPHONE_PUBLISH),
        ),
    ];
    this.#last = Promise.allSettled(publishing).finally(done);
  };

  /** The last attempt's failures (none when nothing was asked). */
  async failures(): Promise<unknown[]> {
    const results = (await this.#last) ?? [];
    return results.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
  }
}
