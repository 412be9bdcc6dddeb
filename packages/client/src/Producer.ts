import type { RtpCodecCapability, RtpEncodingParameters } from './RtpParameters.js';
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
