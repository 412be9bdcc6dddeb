import type {
  ExtendedRtpCapabilities,
  ExtendedRtpCodecCapability,
  ExtendedRtpHeaderExtension,
  MediaKind,
  RtpCapabilities,
  RtpCodecCapability,
  RtpHeaderExtension,
  RtpHeaderExtensionDirection,
  RtpParameters,
} from '../RtpParameters.js';
import { isRtxCodec, matchCodecs, reduceRtcpFeedback } from './codecMatching.js';
import { validateAndNormalizeRtpParameters } from './validation.js';

// Matching this device's native capabilities with the router's: the result
// (extended capabilities) drives every send and receive decision.

/**
 * What both sides support, each codec with the payload types the local and
 * the remote side use for it. Codecs follow the router's order unless
 * `preferLocalCodecsOrder`. Capabilities must have been validated first;
 * matching H264 codecs get the negotiated profile-level-id written in.
 */
export function getExtendedRtpCapabilities(
  localCaps: RtpCapabilities,
  remoteCaps: RtpCapabilities,
  preferLocalCodecsOrder: boolean,
): ExtendedRtpCapabilities {
  const localCodecs = localCaps.codecs ?? [];
  const remoteCodecs = remoteCaps.codecs ?? [];
  const codecs: ExtendedRtpCodecCapability[] = [];
  // Codecs of the side whose order wins, each with its first match on the other side.
  const [ordered, other] = preferLocalCodecsOrder
    ? [localCodecs, remoteCodecs]
    : [remoteCodecs, localCodecs];
  for (const codec of ordered) {
    if (isRtxCodec(codec)) continue;
    const match = other.find((c) => matchCodecs(c, codec, { strict: true, modify: true }));
    if (!match) continue;
    codecs.push(preferLocalCodecsOrder ? extendCodec(codec, match) : extendCodec(match, codec));
  }
  for (const codec of codecs) {
    const localRtx = localCodecs.find(
      (c) => isRtxCodec(c) && c.parameters?.apt === codec.localPayloadType,
    );
    const remoteRtx = remoteCodecs.find(
      (c) => isRtxCodec(c) && c.parameters?.apt === codec.remotePayloadType,
    );
    if (localRtx && remoteRtx) {
      codec.localRtxPayloadType = localRtx.preferredPayloadType;
      codec.remoteRtxPayloadType = remoteRtx.preferredPayloadType;
    }
  }
  const headerExtensions: ExtendedRtpHeaderExtension[] = [];
  for (const remoteExt of remoteCaps.headerExtensions ?? []) {
    const localExt = (localCaps.headerExtensions ?? []).find((l) =>
      matchHeaderExtensions(l, remoteExt),
    );
    if (!localExt) continue;
    headerExtensions.push({
      kind: remoteExt.kind,
      uri: remoteExt.uri,
      sendId: localExt.preferredId,
      recvId: remoteExt.preferredId,
      encrypt: localExt.preferredEncrypt ?? false,
      direction: fromRouterDirection(remoteExt.direction),
    });
  }
  return { codecs, headerExtensions };
}

function extendCodec(
  local: RtpCodecCapability,
  remote: RtpCodecCapability,
): ExtendedRtpCodecCapability {
  const extended: ExtendedRtpCodecCapability = {
    kind: local.kind,
    mimeType: local.mimeType,
    clockRate: local.clockRate,
    localPayloadType: local.preferredPayloadType,
    remotePayloadType: remote.preferredPayloadType,
    localParameters: local.parameters ?? {},
    remoteParameters: remote.parameters ?? {},
    rtcpFeedback: reduceRtcpFeedback(local, remote),
  };
  if (local.channels !== undefined) extended.channels = local.channels;
  return extended;
}

function matchHeaderExtensions(a: RtpHeaderExtension, b: RtpHeaderExtension): boolean {
  if (a.kind && b.kind && a.kind !== b.kind) return false;
  return a.uri === b.uri;
}

/** The router states directions from its side; ours are the mirror image. */
function fromRouterDirection(
  direction: RtpHeaderExtensionDirection | undefined,
): RtpHeaderExtensionDirection {
  switch (direction) {
    case 'recvonly':
      return 'sendonly';
    case 'sendonly':
      return 'recvonly';
    case 'inactive':
      return 'inactive';
    default:
      return 'sendrecv';
  }
}

/** RTP capabilities for receiving: the router's payload types, the device's parameters. */
export function getRecvRtpCapabilities(extended: ExtendedRtpCapabilities): RtpCapabilities {
  return toRtpCapabilities(extended, 'recvonly');
}

/** RTP capabilities for sending: the device's own payload types and parameters. */
export function getSendRtpCapabilities(extended: ExtendedRtpCapabilities): RtpCapabilities {
  return toRtpCapabilities(extended, 'sendonly');
}

function toRtpCapabilities(
  extended: ExtendedRtpCapabilities,
  direction: 'sendonly' | 'recvonly',
): RtpCapabilities {
  const sending = direction === 'sendonly';
  const codecs: RtpCodecCapability[] = [];
  for (const ext of extended.codecs) {
    const codec: RtpCodecCapability = {
      kind: ext.kind,
      mimeType: ext.mimeType,
      preferredPayloadType: sending ? ext.localPayloadType : ext.remotePayloadType,
      clockRate: ext.clockRate,
      parameters: ext.localParameters,
    };
    if (ext.channels !== undefined) codec.channels = ext.channels;
    if (ext.rtcpFeedback !== undefined) codec.rtcpFeedback = ext.rtcpFeedback;
    codecs.push(codec);
    if (!ext.localRtxPayloadType || !ext.remoteRtxPayloadType) continue;
    codecs.push({
      kind: ext.kind,
      mimeType: `${ext.kind}/rtx`,
      preferredPayloadType: sending ? ext.localRtxPayloadType : ext.remoteRtxPayloadType,
      clockRate: ext.clockRate,
      parameters: { apt: sending ? ext.localPayloadType : ext.remotePayloadType },
      rtcpFeedback: [],
    });
  }
  const headerExtensions: RtpHeaderExtension[] = extended.headerExtensions
    .filter((ext) => ext.direction === 'sendrecv' || ext.direction === direction)
    .map((ext) => ({
      kind: ext.kind,
      uri: ext.uri,
      preferredId: sending ? ext.sendId : ext.recvId,
      preferredEncrypt: ext.encrypt ?? false,
      direction: ext.direction,
    }));
  return { codecs, headerExtensions };
}

/** Whether the capabilities hold a codec of this kind. */
export function canSend(kind: MediaKind, rtpCapabilities: RtpCapabilities): boolean {
  return (rtpCapabilities.codecs ?? []).some((codec) => codec.kind === kind);
}

/**
 * Whether RTP parameters (of a consumer) can be received with these
 * capabilities: their first codec's payload type must be one we accept.
 * Validates (and normalises) the parameters; throws TypeError if invalid.
 */
export function canReceive(
  rtpParameters: RtpParameters,
  rtpCapabilities: RtpCapabilities,
): boolean {
  validateAndNormalizeRtpParameters(rtpParameters);
  const first = rtpParameters.codecs[0];
  if (!first) return false;
  return (rtpCapabilities.codecs ?? []).some(
    (codec) => codec.preferredPayloadType === first.payloadType,
  );
}
