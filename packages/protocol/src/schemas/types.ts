// The mediasoup-shaped types, derived from the schemas (never written twice).
export type {
  RtpCapabilities,
  RtpCodecCapability,
  RtpEncodingParameters,
  RtpParameters,
} from './rtp.js';
export type {
  DtlsParameters,
  IceCandidate,
  IceParameters,
  SctpCapabilities,
  SctpParameters,
  SctpStreamParameters,
  TransportOptions,
} from './transport.js';
