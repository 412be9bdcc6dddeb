import type { EnhancedEventEmitter } from './enhancedEvents.js';
import { InvalidStateError, UnsupportedError } from './errors.js';
import { Logger } from './Logger.js';
import type {
  MediaKind,
  RtpCodecCapability,
  RtpEncodingParameters,
  RtpParameters,
} from './RtpParameters.js';
import { TransportMember } from './TransportMember.js';
import type { AppData } from './types.js';

export type ProducerOptions<ProducerAppData extends AppData = AppData> = {
  track?: MediaStreamTrack;
  streamId?: string;
  encodings?: RtpEncodingParameters[];
  codecOptions?: ProducerCodecOptions;
  codec?: RtpCodecCapability;
  stopTracks?: boolean;
  disableTrackOnPause?: boolean;
  zeroRtpOnPause?: boolean;
  onRtpSender?: OnRtpSenderCallback;
  appData?: ProducerAppData;
};

/** Called with the RTCRtpSender as soon as the handler creates it. */
export type OnRtpSenderCallback = (rtpSender: RTCRtpSender) => void;

/** Codec tuning written into the SDP answer (`a=fmtp` / `x-google-*`). */
export type ProducerCodecOptions = {
  opusStereo?: boolean;
  opusFec?: boolean;
  opusDtx?: boolean;
  opusMaxPlaybackRate?: number;
  opusMaxAverageBitrate?: number;
  opusPtime?: number;
  opusNack?: boolean;
  videoGoogleStartBitrate?: number;
  videoGoogleMaxBitrate?: number;
  videoGoogleMinBitrate?: number;
};

export type ProducerEvents = {
  transportclose: [];
  trackended: [];
  '@pause': [() => void, (error: Error) => void];
  '@resume': [() => void, (error: Error) => void];
  '@replacetrack': [MediaStreamTrack | null, () => void, (error: Error) => void];
  '@setmaxspatiallayer': [number, () => void, (error: Error) => void];
  '@setrtpencodingparameters': [RTCRtpEncodingParameters, () => void, (error: Error) => void];
  '@getstats': [(stats: RTCStatsReport) => void, (error: Error) => void];
  '@close': [];
};

export type ProducerObserver = EnhancedEventEmitter<ProducerObserverEvents>;

export type ProducerObserverEvents = {
  close: [];
  pause: [];
  resume: [];
  trackended: [];
};

const logger = new Logger('Producer');

/**
 * A track being sent to the router. Created by `transport.produce()`; its
 * handler work goes through the transport (the `@` events).
 */
export class Producer<ProducerAppData extends AppData = AppData> extends TransportMember<
  ProducerEvents,
  ProducerObserverEvents,
  ProducerAppData
> {
  private readonly _id: string;
  private readonly _localId: string;
  private readonly _rtpSender: RTCRtpSender | undefined;
  private _track: MediaStreamTrack | null;
  private readonly _kind: MediaKind;
  private readonly _rtpParameters: RtpParameters;
  private _paused: boolean;
  private _maxSpatialLayer: number | undefined;
  private readonly _stopTracks: boolean;
  private readonly _disableTrackOnPause: boolean;
  private readonly _zeroRtpOnPause: boolean;

  constructor({
    id,
    localId,
    rtpSender,
    track,
    rtpParameters,
    stopTracks,
    disableTrackOnPause,
    zeroRtpOnPause,
    appData,
  }: {
    id: string;
    localId: string;
    rtpSender?: RTCRtpSender | undefined;
    track: MediaStreamTrack;
    rtpParameters: RtpParameters;
    stopTracks: boolean;
    disableTrackOnPause: boolean;
    zeroRtpOnPause: boolean;
    appData?: ProducerAppData | undefined;
  }) {
    super(appData, logger);
    this._id = id;
    this._localId = localId;
    this._rtpSender = rtpSender;
    this._track = track;
    this._kind = track.kind as MediaKind;
    this._rtpParameters = rtpParameters;
    // A disabled track means the app produced it paused.
    this._paused = disableTrackOnPause ? !track.enabled : false;
    this._stopTracks = stopTracks;
    this._disableTrackOnPause = disableTrackOnPause;
    this._zeroRtpOnPause = zeroRtpOnPause;
    this.onEnded = this.onEnded.bind(this);
    this.handleTrack();
  }

  /** The server-side producer id. */
  get id(): string {
    return this._id;
  }

  /** The handler's id for the sender (its transceiver MID in browsers). */
  get localId(): string {
    return this._localId;
  }

  get kind(): MediaKind {
    return this._kind;
  }

  get rtpSender(): RTCRtpSender | undefined {
    return this._rtpSender;
  }

  get track(): MediaStreamTrack | null {
    return this._track;
  }

  get rtpParameters(): RtpParameters {
    return this._rtpParameters;
  }

  get paused(): boolean {
    return this._paused;
  }

  get maxSpatialLayer(): number | undefined {
    return this._maxSpatialLayer;
  }

  /** RTCStatsReport of the sender. */
  async getStats(): Promise<RTCStatsReport> {
    if (this._closed)
      throw new InvalidStateError('producer closed: getStats() needs an open producer');
    return this.safeEmitAsPromise('@getstats');
  }

  /** Pauses sending (the app must also pause the server-side producer). */
  pause(): void {
    if (this._closed) {
      logger.error('pause() | producer closed, ignoring');
      return;
    }
    this._paused = true;
    if (this._track && this._disableTrackOnPause) this._track.enabled = false;
    if (this._zeroRtpOnPause) {
      this.safeEmitAsPromise('@pause').catch((error: unknown) =>
        logger.error('pause() | failed: %o', error),
      );
    }
    this._observer.safeEmit('pause');
  }

  /** Resumes sending (the app must also resume the server-side producer). */
  resume(): void {
    if (this._closed) {
      logger.error('resume() | producer closed, ignoring');
      return;
    }
    this._paused = false;
    if (this._track && this._disableTrackOnPause) this._track.enabled = true;
    if (this._zeroRtpOnPause) {
      this.safeEmitAsPromise('@resume').catch((error: unknown) =>
        logger.error('resume() | failed: %o', error),
      );
    }
    this._observer.safeEmit('resume');
  }

  /** Sends another track (or none, with `null`) without renegotiation. */
  async replaceTrack({ track }: { track: MediaStreamTrack | null }): Promise<void> {
    logger.debug('replaceTrack() [track:%o]', track);
    if (this._closed) {
      // The new track would leak: nobody else owns it yet.
      if (track && this._stopTracks) track.stop();
      throw new InvalidStateError('producer closed: replaceTrack() needs an open producer');
    }
    if (track === undefined)
      throw new TypeError('replaceTrack() needs { track }: a MediaStreamTrack or null');
    if (track && track.readyState === 'ended') {
      throw new InvalidStateError('track ended: pass a live MediaStreamTrack');
    }
    if (track === this._track) return;
    await this.safeEmitAsPromise('@replacetrack', track);
    this.destroyTrack();
    this._track = track;
    // The new track takes the producer's paused state.
    if (this._track && this._disableTrackOnPause) this._track.enabled = !this._paused;
    this.handleTrack();
  }

  /** Limits the highest spatial layer sent (video with simulcast/SVC). */
  async setMaxSpatialLayer(spatialLayer: number): Promise<void> {
    if (this._closed)
      throw new InvalidStateError('producer closed: setMaxSpatialLayer() needs an open producer');
    if (this._kind !== 'video')
      throw new UnsupportedError('setMaxSpatialLayer() needs a video producer');
    if (!Number.isInteger(spatialLayer) || spatialLayer < 0) {
      throw new TypeError(`invalid spatialLayer ${String(spatialLayer)}: give an integer >= 0`);
    }
    if (spatialLayer === this._maxSpatialLayer) return;
    await this.safeEmitAsPromise('@setmaxspatiallayer', spatialLayer);
    this._maxSpatialLayer = spatialLayer;
  }

  /** Changes encoding parameters (maxBitrate, scaleResolutionDownBy...) of every encoding. */
  async setRtpEncodingParameters(params: RTCRtpEncodingParameters): Promise<void> {
    if (this._closed) {
      throw new InvalidStateError(
        'producer closed: setRtpEncodingParameters() needs an open producer',
      );
    }
    if (typeof params !== 'object' || params === null) {
      throw new TypeError('setRtpEncodingParameters() needs an object');
    }
    await this.safeEmitAsPromise('@setrtpencodingparameters', params);
  }

  private onEnded(): void {
    this.safeEmit('trackended');
    this._observer.safeEmit('trackended');
  }

  private handleTrack(): void {
    this._track?.addEventListener('ended', this.onEnded);
  }

  protected override release(): void {
    this.destroyTrack();
  }

  private destroyTrack(): void {
    if (!this._track) return;
    try {
      this._track.removeEventListener('ended', this.onEnded);
      if (this._stopTracks) this._track.stop();
    } catch (error) {
      logger.warn('destroyTrack() | %o', error);
    }
  }
}
