// Media in and out of rooms: server-side participants, RTP ingest, SRTP
// endpoints, data from Node. A separate entry point (`@vroom/server-adapter/media-io`)
// so an app that needs none of it loads none of it; it imports the core, never the reverse.

export {
  CHAT_LABEL,
  type DataMessage,
  DataParticipant,
  type DataParticipantEvents,
} from './data/DataParticipant.js';
export type { EncoderSource, IngestEndpoint } from './ingest/encoderCommands.js';
export {
  Ingest,
  type IngestCloseReason,
  type IngestEvents,
  type IngestOptions,
} from './ingest/Ingest.js';
export { IngestError, type IngestErrorCode } from './ingest/IngestError.js';
export type { IngestMismatch } from './ingest/IngestWatch.js';
export type {
  IngestAudioCodec,
  IngestStreamParameters,
  IngestVideoCodec,
} from './ingest/ingestCodecs.js';
export {
  ParticipantClosedError,
  type ParticipantCloseReason,
  type ParticipantProduceOptions,
  ServerParticipant,
  type ServerParticipantEvents,
  type ServerParticipantOptions,
} from './participants/ServerParticipant.js';
// RTP out of rooms and recording.
export type { RecordingProgress } from './rtp-out/ffmpegProgress.js';
export { MediaOutError, MediaOutErrorCode } from './rtp-out/MediaOutError.js';
export { Recording, type RecordingExit, type RecordingOptions } from './rtp-out/Recording.js';
export {
  RtpOutput,
  type RtpOutputCloseReason,
  type RtpOutputOptions,
  type RtpOutputTrack,
} from './rtp-out/RtpOutput.js';
export { RECORDABLE_MIME_TYPES, receiverCapabilities } from './rtp-out/receiverCapabilities.js';
export { type ReceivedStream, receiverSdp } from './rtp-out/receiverSdp.js';
export type { PortPair } from './rtp-out/udpPorts.js';
export {
  SrtpSdpError,
  type SrtpSdpMedia,
  srtpParametersFromSdp,
  srtpSdp,
} from './srtp/srtpSdp.js';
