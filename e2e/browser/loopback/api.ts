// What the loopback page exposes on `window.loopback`, shared by the page and
// the specs that drive it (Playwright in Chromium, puppeteer in Firefox).

export type Sdk = 'vroom' | 'mediasoup-client';

export interface EncodingSpec {
  rid?: string;
  maxBitrate?: number;
  scaleResolutionDownBy?: number;
  scalabilityMode?: string;
  dtx?: boolean;
}

export interface ProduceSpec {
  /** Names the producer in the page, in its appData and in the server's state. */
  label: string;
  kind: 'audio' | 'video';
  encodings?: EncodingSpec[];
  /** Pick this codec (first of the device's codecs with this MIME type). */
  codecMimeType?: string;
  codecOptions?: Record<string, number | boolean>;
}

export interface StartOptions {
  /** Camera size for every video producer. */
  width: number;
  height: number;
}

export interface ReceivedStat {
  label: string;
  kind: string;
  consumerId: string;
  producerId: string;
  framesDecoded: number;
  packetsReceived: number;
  frameWidth: number;
}

export interface ParityCase extends ProduceSpec {}

export interface ParityResult {
  handlerName: string;
  producers: { label: string; rtpParameters: unknown }[];
}

export interface LoopbackApi {
  /** The handler the vroom Device picked for this browser. */
  handlerName(): string;
  /** Scalability modes the browser's RTCRtpSender announces for a video codec. */
  senderScalabilityModes(mimeType: string): string[];
  /** MIME types of the video codecs the browser can send. */
  senderVideoCodecs(): string[];
  /** Joins a receiving peer, then a sending peer, in `room` (data channels on). */
  start(room: string, options: StartOptions): Promise<void>;
  /** Produces each spec on the sending peer; resolves with producer ids by label. */
  produce(specs: ProduceSpec[]): Promise<Record<string, string>>;
  produceData(label: string): Promise<string>;
  /** inbound-rtp figures of every consumer the receiving peer holds. */
  receivedStats(): Promise<ReceivedStat[]>;
  /** Whether the receiving peer has a data consumer open for `label`. */
  dataConsumerOpen(label: string): boolean;
  sendData(label: string, count: number): void;
  dataReceived(label: string): string[];
  /** Pauses, resumes or closes the producer and tells the server, as an app does. */
  pause(label: string): Promise<void>;
  resume(label: string): Promise<void>;
  close(label: string): Promise<void>;
  /** `'none'` detaches the track; a size attaches a camera track captured at that size. Returns the track id. */
  replaceTrack(
    label: string,
    to: 'none' | { width: number; height: number },
  ): Promise<string | null>;
  setMaxSpatialLayer(label: string, layer: number): Promise<void>;
  producerTrackId(label: string): string | null;
  /** Produces the same cases with one SDK against the room's router and reports rtpParameters. */
  parity(sdk: Sdk, room: string, cases: ParityCase[]): Promise<ParityResult>;
}

declare global {
  interface Window {
    loopback: LoopbackApi;
  }
}
