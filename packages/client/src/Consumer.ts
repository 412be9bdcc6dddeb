import type { EnhancedEventEmitter } from './enhancedEvents.js';
import { InvalidStateError } from './errors.js';
import { Logger } from './Logger.js';
import type { MediaKind, RtpParameters } from './RtpParameters.js';
import { TransportMember } from './TransportMember.js';
import type { AppData } from './types.js';

export type ConsumerOptions<ConsumerAppData extends AppData = AppData> = {
  id: string;
  producerId: string;
  kind: 'audio' | 'video';
  rtpParameters: RtpParameters;
  streamId?: string;
  onRtpReceiver?: OnRtpReceiverCallback;
  appData?: ConsumerAppData;
};

/** Called with the RTCRtpReceiver as soon as the handler creates it. */
export type OnRtpReceiverCallback = (rtpReceiver: RTCRtpReceiver) => void;

export type ConsumerEvents = {
  transportclose: [];
  trackended: [];
  '@getstats': [(stats: RTCStatsReport) => void, (error: Error) => void];
  '@close': [];
  '@pause': [];
  '@resume': [];
};

export type ConsumerObserver = EnhancedEventEmitter<ConsumerObserverEvents>;

export type ConsumerObserverEvents = {
  close: [];
  pause: [];
  resume: [];
  trackended: [];
};

const logger = new Logger('Consumer');

/**
 * A track received from the router. Created by `transport.consume()`;
 * pause/resume/close reach the handler through the transport, which groups
 * those made in the same task into one renegotiation.
 */
export class Consumer<ConsumerAppData extends AppData = AppData> extends TransportMember<
  ConsumerEvents,
  ConsumerObserverEvents,
  ConsumerAppData
> {
  private readonly _id: string;
  private readonly _localId: string;
  private readonly _producerId: string;
  private readonly _rtpReceiver: RTCRtpReceiver | undefined;
  private readonly _track: MediaStreamTrack;
  private readonly _rtpParameters: RtpParameters;
  private _paused: boolean;

  constructor({
    id,
    localId,
    producerId,
    rtpReceiver,
    track,
    rtpParameters,
    appData,
  }: {
    id: string;
    localId: string;
    producerId: string;
    rtpReceiver?: RTCRtpReceiver | undefined;
    track: MediaStreamTrack;
    rtpParameters: RtpParameters;
    appData?: ConsumerAppData | undefined;
  }) {
    super(appData, logger);
    this._id = id;
    this._localId = localId;
    this._producerId = producerId;
    this._rtpReceiver = rtpReceiver;
    this._track = track;
    this._rtpParameters = rtpParameters;
    this._paused = !track.enabled;
    this.onEnded = this.onEnded.bind(this);
    this._track.addEventListener('ended', this.onEnded);
  }

  /** The server-side consumer id. */
  get id(): string {
    return this._id;
  }

  /** The handler's id for the receiver (its transceiver MID in browsers). */
  get localId(): string {
    return this._localId;
  }

  get producerId(): string {
    return this._producerId;
  }

  get kind(): MediaKind {
    return this._track.kind as MediaKind;
  }

  get rtpReceiver(): RTCRtpReceiver | undefined {
    return this._rtpReceiver;
  }

  get track(): MediaStreamTrack {
    return this._track;
  }

  get rtpParameters(): RtpParameters {
    return this._rtpParameters;
  }

  get paused(): boolean {
    return this._paused;
  }

  /** RTCStatsReport of the receiver. */
  async getStats(): Promise<RTCStatsReport> {
    if (this._closed)
      throw new InvalidStateError('consumer closed: getStats() needs an open consumer');
    return this.safeEmitAsPromise('@getstats');
  }

  /** Pauses reception locally (the app should also pause the server-side consumer). */
  pause(): void {
    if (this._closed) {
      logger.error('pause() | consumer closed, ignoring');
      return;
    }
    if (this._paused) return;
    this._paused = true;
    this._track.enabled = false;
    this.emit('@pause');
    this._observer.safeEmit('pause');
  }

  /** Resumes reception locally (the app should also resume the server-side consumer). */
  resume(): void {
    if (this._closed) {
      logger.error('resume() | consumer closed, ignoring');
      return;
    }
    if (!this._paused) return;
    this._paused = false;
    this._track.enabled = true;
    this.emit('@resume');
    this._observer.safeEmit('resume');
  }

  private onEnded(): void {
    this.safeEmit('trackended');
    this._observer.safeEmit('trackended');
  }

  protected override release(): void {
    this.destroyTrack();
  }

  private destroyTrack(): void {
    try {
      this._track.removeEventListener('ended', this.onEnded);
      this._track.stop();
    } catch (error) {
      logger.warn('destroyTrack() | %o', error);
    }
  }
}
