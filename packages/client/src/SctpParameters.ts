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
  maxSendMessageSize?: number | undefined;
  maxReceiveMessageSize?: number | undefined;
  OS?: number | undefined;
  MIS?: number | undefined;
  maxMessageSize?: number | undefined;
};

/**
 * Reliability of one SCTP stream. Ordered streams are reliable; an unordered
 * stream may give either `maxPacketLifeTime` or `maxRetransmits`, not both.
 * Unlike the other shared types, its optional fields do not accept an
 * explicit `undefined`: handlers spread them into RTCDataChannelInit.
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
