// SCTP (data channel) types, following the mediasoup v3 API.

/** How many SCTP streams an endpoint opens (OS) and accepts (MIS). */
export type NumSctpStreams = {
  OS: number;
  MIS: number;
};

/** Sent to the server so it sizes the SCTP association of a transport. */
export type SctpCapabilities = {
  numStreams: NumSctpStreams;
};

/**
 * The server side of a transport's SCTP association. mediasoup 3.8 sends
 * `maxMessageSize`; later versions split it into `maxSendMessageSize` and
 * `maxReceiveMessageSize`. Both forms are accepted (hence all optional here).
 */
export type SctpParameters = {
  port: number;
  maxSendMessageSize?: number;
  maxReceiveMessageSize?: number;
  OS?: number;
  MIS?: number;
  maxMessageSize?: number;
};

/**
 * Reliability of one SCTP stream. Ordered streams are reliable; an unordered
 * stream may give either `maxPacketLifeTime` or `maxRetransmits`, not both.
 */
export type SctpStreamParameters = {
  streamId?: number;
  /** Default true. */
  ordered?: boolean;
  maxPacketLifeTime?: number;
  maxRetransmits?: number;
  label?: string;
  protocol?: string;
};
