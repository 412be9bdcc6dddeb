import type { RtpParameters } from './RtpParameters.js';
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
