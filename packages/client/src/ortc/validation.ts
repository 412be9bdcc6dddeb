import type {
  RtcpFeedback,
  RtcpParameters,
  RtpCapabilities,
  RtpCodecCapability,
  RtpCodecParameters,
  RtpEncodingParameters,
  RtpHeaderExtension,
  RtpHeaderExtensionParameters,
  RtpParameters,
} from '../RtpParameters.js';
import type { SctpCapabilities, SctpStreamParameters } from '../SctpParameters.js';

// Validation of data that crosses the wire. Each function checks one shape,
// throws a TypeError naming the bad field, and fills defaults IN PLACE the way
// mediasoup does, so later matching compares like with like.

const MIME_TYPE = /^(audio|video)\/(.+)/i;

/** The loose view of unvalidated input: any field may be anything. */
type Loose = Record<string, unknown>;

function isObject(value: unknown): value is Loose {
  return typeof value === 'object' && value !== null;
}

function fail(what: string, hint: string): never {
  throw new TypeError(`${what}: ${hint}`);
}

/** Validates RTP capabilities and fills defaults; throws TypeError if invalid. */
export function validateAndNormalizeRtpCapabilities(caps: RtpCapabilities): void {
  const loose: unknown = caps;
  if (!isObject(loose))
    fail('RTP capabilities are not an object', 'pass { codecs, headerExtensions }');
  loose.codecs = normalizeList(loose.codecs, 'caps.codecs');
  for (const codec of caps.codecs ?? []) validateAndNormalizeRtpCodecCapability(codec);
  loose.headerExtensions = normalizeList(loose.headerExtensions, 'caps.headerExtensions');
  for (const ext of caps.headerExtensions ?? []) validateAndNormalizeRtpHeaderExtension(ext);
}

/** Validates RTP parameters and fills defaults; throws TypeError if invalid. */
export function validateAndNormalizeRtpParameters(params: RtpParameters): void {
  const loose: unknown = params;
  if (!isObject(loose)) fail('RTP parameters are not an object', 'pass { codecs, encodings, ... }');
  if (loose.mid && typeof loose.mid !== 'string')
    fail('params.mid is not a string', 'give the MID as a string');
  if (!Array.isArray(loose.codecs))
    fail('params.codecs is missing', 'give at least an empty codecs array');
  for (const codec of params.codecs) validateAndNormalizeRtpCodecParameters(codec);
  loose.headerExtensions = normalizeList(loose.headerExtensions, 'params.headerExtensions');
  for (const ext of params.headerExtensions ?? []) validateRtpHeaderExtensionParameters(ext);
  loose.encodings = normalizeList(loose.encodings, 'params.encodings');
  for (const encoding of params.encodings ?? [])
    validateAndNormalizeRtpEncodingParameters(encoding);
  if (loose.rtcp && !isObject(loose.rtcp))
    fail('params.rtcp is not an object', 'give { cname, reducedSize } or omit it');
  if (!loose.rtcp) loose.rtcp = {};
  validateAndNormalizeRtcpParameters(params.rtcp as RtcpParameters);
}

/** Validates SCTP stream parameters and fills defaults; throws TypeError if invalid. */
export function validateAndNormalizeSctpStreamParameters(params: SctpStreamParameters): void {
  const loose: unknown = params;
  if (!isObject(loose))
    fail('SCTP stream parameters are not an object', 'pass { streamId, ordered, ... }');
  if (typeof loose.streamId !== 'number')
    fail('params.streamId is missing', 'give the SCTP stream id as a number');
  const orderedGiven = typeof loose.ordered === 'boolean';
  if (!orderedGiven) loose.ordered = true;
  const { maxPacketLifeTime, maxRetransmits } = loose;
  if (maxPacketLifeTime && typeof maxPacketLifeTime !== 'number') {
    fail('params.maxPacketLifeTime is not a number', 'give milliseconds as a number');
  }
  if (maxRetransmits && typeof maxRetransmits !== 'number') {
    fail('params.maxRetransmits is not a number', 'give a count as a number');
  }
  if (maxPacketLifeTime && maxRetransmits) {
    fail(
      'both maxPacketLifeTime and maxRetransmits given',
      'a partially reliable stream takes only one of them',
    );
  }
  if (orderedGiven && loose.ordered && (maxPacketLifeTime || maxRetransmits)) {
    fail(
      'an ordered stream cannot have maxPacketLifeTime or maxRetransmits',
      'set ordered: false or drop them',
    );
  }
  if (!orderedGiven && (maxPacketLifeTime || maxRetransmits)) loose.ordered = false;
  if (loose.label && typeof loose.label !== 'string')
    fail('params.label is not a string', 'give a string label');
  if (loose.protocol && typeof loose.protocol !== 'string') {
    fail('params.protocol is not a string', 'give a string sub-protocol');
  }
}

/**
 * Validates SCTP capabilities (vroom extension: mediasoup 3.8 servers size
 * the SCTP association from them).
 */
export function validateAndNormalizeSctpCapabilities(caps: SctpCapabilities): void {
  const loose: unknown = caps;
  if (!isObject(loose))
    fail('SCTP capabilities are not an object', 'pass { numStreams: { OS, MIS } }');
  const numStreams = loose.numStreams;
  if (!isObject(numStreams)) fail('caps.numStreams is missing', 'give { OS, MIS }');
  if (typeof numStreams.OS !== 'number')
    fail('caps.numStreams.OS is missing', 'give a number of outgoing streams');
  if (typeof numStreams.MIS !== 'number')
    fail('caps.numStreams.MIS is missing', 'give a number of incoming streams');
}

function normalizeList(value: unknown, name: string): unknown[] {
  if (value && !Array.isArray(value)) fail(`${name} is not an array`, 'give an array or omit it');
  return (value as unknown[] | undefined) || [];
}

function validateMimeType(codec: Loose): 'audio' | 'video' {
  if (!codec.mimeType || typeof codec.mimeType !== 'string') {
    fail('codec.mimeType is missing', 'give e.g. "audio/opus"');
  }
  const match = MIME_TYPE.exec(codec.mimeType);
  if (!match)
    fail(
      `codec.mimeType "${codec.mimeType}" is invalid`,
      'it must start with "audio/" or "video/"',
    );
  return (match[1] as string).toLowerCase() as 'audio' | 'video';
}

/** Fields shared by codec capabilities and codec parameters. */
function normalizeCodecCommon(codec: Loose, kind: 'audio' | 'video'): void {
  if (typeof codec.clockRate !== 'number')
    fail('codec.clockRate is missing', 'give the clock rate in Hz');
  if (kind === 'audio') {
    if (typeof codec.channels !== 'number') codec.channels = 1;
  } else {
    delete codec.channels;
  }
  if (!isObject(codec.parameters)) codec.parameters = {};
  const parameters = codec.parameters as Loose;
  for (const key of Object.keys(parameters)) {
    if (parameters[key] === undefined) parameters[key] = '';
    const value = parameters[key];
    if (typeof value !== 'string' && typeof value !== 'number') {
      fail(
        `codec parameter "${key}" is invalid (${String(value)})`,
        'parameters are strings or numbers',
      );
    }
    if (key === 'apt' && typeof value !== 'number') {
      fail('codec parameter "apt" is not a number', 'give the associated payload type as a number');
    }
  }
  if (!Array.isArray(codec.rtcpFeedback)) codec.rtcpFeedback = [];
  for (const fb of codec.rtcpFeedback as RtcpFeedback[]) validateAndNormalizeRtcpFeedback(fb);
}

function validateAndNormalizeRtpCodecCapability(codec: RtpCodecCapability): void {
  const loose: unknown = codec;
  if (!isObject(loose))
    fail('codec capability is not an object', 'pass { mimeType, clockRate, ... }');
  // The media type of the MIME type wins over any given kind.
  loose.kind = validateMimeType(loose);
  if (typeof loose.preferredPayloadType !== 'number') {
    fail('codec.preferredPayloadType is missing', 'give the payload type as a number');
  }
  normalizeCodecCommon(loose, loose.kind as 'audio' | 'video');
}

function validateAndNormalizeRtpCodecParameters(codec: RtpCodecParameters): void {
  const loose: unknown = codec;
  if (!isObject(loose))
    fail('codec is not an object', 'pass { mimeType, payloadType, clockRate, ... }');
  const kind = validateMimeType(loose);
  if (typeof loose.payloadType !== 'number')
    fail('codec.payloadType is missing', 'give the payload type as a number');
  normalizeCodecCommon(loose, kind);
}

function validateAndNormalizeRtcpFeedback(fb: RtcpFeedback): void {
  const loose: unknown = fb;
  if (!isObject(loose)) fail('RTCP feedback is not an object', 'pass { type, parameter }');
  if (!loose.type || typeof loose.type !== 'string') fail('fb.type is missing', 'give e.g. "nack"');
  if (!loose.parameter || typeof loose.parameter !== 'string') loose.parameter = '';
}

function validateAndNormalizeRtpHeaderExtension(ext: RtpHeaderExtension): void {
  const loose: unknown = ext;
  if (!isObject(loose))
    fail('header extension is not an object', 'pass { kind, uri, preferredId }');
  if (loose.kind !== 'audio' && loose.kind !== 'video')
    fail('ext.kind is invalid', 'give "audio" or "video"');
  if (!loose.uri || typeof loose.uri !== 'string')
    fail('ext.uri is missing', 'give the extension URI');
  if (typeof loose.preferredId !== 'number')
    fail('ext.preferredId is missing', 'give the extension id as a number');
  if (loose.preferredEncrypt && typeof loose.preferredEncrypt !== 'boolean') {
    fail('ext.preferredEncrypt is not a boolean', 'give true or false');
  }
  if (!loose.preferredEncrypt) loose.preferredEncrypt = false;
  if (loose.direction && typeof loose.direction !== 'string') {
    fail('ext.direction is invalid', 'give "sendrecv", "sendonly", "recvonly" or "inactive"');
  }
  if (!loose.direction) loose.direction = 'sendrecv';
}

function validateRtpHeaderExtensionParameters(ext: RtpHeaderExtensionParameters): void {
  const loose: unknown = ext;
  if (!isObject(loose)) fail('header extension is not an object', 'pass { uri, id }');
  if (!loose.uri || typeof loose.uri !== 'string')
    fail('ext.uri is missing', 'give the extension URI');
  if (typeof loose.id !== 'number') fail('ext.id is missing', 'give the extension id as a number');
  if (loose.encrypt && typeof loose.encrypt !== 'boolean')
    fail('ext.encrypt is not a boolean', 'give true or false');
  if (!loose.encrypt) loose.encrypt = false;
  if (!isObject(loose.parameters)) loose.parameters = {};
  const parameters = loose.parameters as Loose;
  for (const key of Object.keys(parameters)) {
    if (parameters[key] === undefined) parameters[key] = '';
    const value = parameters[key];
    if (typeof value !== 'string' && typeof value !== 'number') {
      fail(`header extension parameter "${key}" is invalid`, 'parameters are strings or numbers');
    }
  }
}

function validateAndNormalizeRtpEncodingParameters(encoding: RtpEncodingParameters): void {
  const loose: unknown = encoding;
  if (!isObject(loose)) fail('encoding is not an object', 'pass { ssrc } or { rid }');
  if (loose.ssrc && typeof loose.ssrc !== 'number')
    fail('encoding.ssrc is not a number', 'give the SSRC as a number');
  if (loose.rid && typeof loose.rid !== 'string')
    fail('encoding.rid is not a string', 'give the RID as a string');
  if (loose.rtx && !isObject(loose.rtx)) fail('encoding.rtx is not an object', 'give { ssrc }');
  if (isObject(loose.rtx) && typeof loose.rtx.ssrc !== 'number') {
    fail('encoding.rtx.ssrc is missing', 'give the RTX SSRC as a number');
  }
  if (loose.dtx !== true) loose.dtx = false;
  if (loose.scalabilityMode && typeof loose.scalabilityMode !== 'string') {
    fail('encoding.scalabilityMode is not a string', 'give e.g. "L1T3"');
  }
}

function validateAndNormalizeRtcpParameters(rtcp: RtcpParameters): void {
  const loose: unknown = rtcp;
  if (!isObject(loose)) fail('rtcp is not an object', 'give { cname, reducedSize }');
  if (loose.cname && typeof loose.cname !== 'string')
    fail('rtcp.cname is not a string', 'give a string CNAME');
  // mediasoup always uses reduced-size RTCP, so anything but `true` becomes `true`.
  loose.reducedSize = true;
}
