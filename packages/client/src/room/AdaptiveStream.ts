import { Logger } from '../Logger.js';
import { parse as parseScalabilityMode } from '../scalabilityModes.js';
import { layerForSize, topLayerHeight } from './layerForSize.js';
import type { RemoteTrack } from './RemotePeer.js';
import type { Request } from './SignalingSession.js';

const logger = new Logger('room:AdaptiveStream');

/** Until a frame tells the real size: the camera's ideal capture height (`capture.ts`). */
const ASSUMED_TOP_HEIGHT = 720;
/** Layout settles in bursts (a grid re-flowing): one decision after it. */
const SETTLE_MS = 150;

type Watched = {
  track: RemoteTrack;
  element: HTMLVideoElement;
  visible: boolean;
  pausedByUs: boolean;
  layer: number | undefined;
  timer: ReturnType<typeof setTimeout> | undefined;
};

/**
 * Adaptive stream (issue 15, as LiveKit's): a remote video attached to an
 * element asks the server for the layer that fits the element's size, and
 * is paused at the server (consumer pause: nothing forwarded) while the
 * element is hidden, off-screen or the page is in the background; resumed
 * when shown. Reads sizes with `ResizeObserver` / `IntersectionObserver`;
 * where they do not exist (Node) it does nothing.
 */
export class AdaptiveStream {
  readonly #request: Request;
  readonly #watched = new Map<HTMLVideoElement, Watched>();
  #resize: ResizeObserver | undefined;
  #intersection: IntersectionObserver | undefined;

  constructor(request: Request) {
    this.#request = request;
  }

  /** Starts adapting `track` to `element`; returns the stop. */
  observe(track: RemoteTrack, element: HTMLVideoElement): () => void {
    if (!this.#observers()) return () => undefined;
    const watched: Watched = {
      track,
      element,
      visible: true,
      pausedByUs: false,
      layer: undefined,
      timer: undefined,
    };
    this.#watched.set(element, watched);
    this.#resize?.observe(element);
    this.#intersection?.observe(element);
    const onFrame = () => this.#schedule(watched);
    element.addEventListener('resize', onFrame);
    return () => {
      clearTimeout(watched.timer);
      element.removeEventListener('resize', onFrame);
      this.#resize?.unobserve(element);
      this.#intersection?.unobserve(element);
      this.#watched.delete(element);
      // Detached: the app no longer shows it; leave it running as it was before.
      if (watched.pausedByUs) this.#send(watched, 'resumeConsumer', {});
    };
  }

  #observers(): boolean {
    const g = globalThis as {
      ResizeObserver?: typeof ResizeObserver;
      IntersectionObserver?: typeof IntersectionObserver;
      document?: Document;
    };
    if (!g.ResizeObserver || !g.IntersectionObserver || !g.document) return false;
    if (!this.#resize) {
      this.#resize = new g.ResizeObserver((entries) => {
        for (const entry of entries) this.#scheduleFor(entry.target);
      });
      this.#intersection = new g.IntersectionObserver((entries) => {
        for (const entry of entries) {
          const watched = this.#watched.get(entry.target as HTMLVideoElement);
          if (watched) watched.visible = entry.isIntersecting;
          this.#scheduleFor(entry.target);
        }
      });
      g.document.addEventListener('visibilitychange', () => {
        for (const watched of this.#watched.values()) this.#schedule(watched);
      });
    }
    return true;
  }

  #scheduleFor(target: Element): void {
    const watched = this.#watched.get(target as HTMLVideoElement);
    if (watched) this.#schedule(watched);
  }

  #schedule(watched: Watched): void {
    clearTimeout(watched.timer);
    watched.timer = setTimeout(() => this.#decide(watched), SETTLE_MS);
  }

  #decide(watched: Watched): void {
    const { element, track } = watched;
    if (track.consumer.closed || !this.#watched.has(element)) return;
    const box = element.getBoundingClientRect();
    const hidden = (globalThis as { document?: Document }).document?.hidden === true;
    const shown = watched.visible && !hidden && box.width > 0 && box.height > 0;
    if (!shown) {
      if (!watched.pausedByUs) {
        watched.pausedByUs = true;
        this.#send(watched, 'pauseConsumer', {});
      }
      return;
    }
    if (watched.pausedByUs) {
      watched.pausedByUs = false;
      this.#send(watched, 'resumeConsumer', {});
    }
    const encoding = track.consumer.rtpParameters.encodings?.[0];
    const layerCount = parseScalabilityMode(encoding?.scalabilityMode).spatialLayers;
    if (layerCount < 2) return;
    const ratio = (globalThis as { devicePixelRatio?: number }).devicePixelRatio ?? 1;
    const layer = layerForSize({
      renderedHeight: box.height * ratio,
      layerCount,
      topHeight:
        topLayerHeight(element.videoHeight, track.spatialLayer, layerCount) ?? ASSUMED_TOP_HEIGHT,
    });
    if (layer === watched.layer) return;
    watched.layer = layer;
    this.#send(watched, 'setConsumerPreferredLayers', { spatialLayer: layer });
  }

  #send(
    watched: Watched,
    method: 'pauseConsumer' | 'resumeConsumer' | 'setConsumerPreferredLayers',
    extra: { spatialLayer?: number },
  ): void {
    const consumerId = watched.track.consumerId;
    logger.debug('%s %s %o', method, consumerId, extra);
    const request = this.#request as (method: string, data: unknown) => Promise<unknown>;
    request(method, { consumerId, ...extra }).catch((error: unknown) => {
      // Reconnecting or closed: the next size change (or the rejoin's new track) asks again.
      watched.layer = undefined;
      logger.debug('%s failed: %o', method, error);
    });
  }
}
