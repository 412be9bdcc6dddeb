import type {
  RtpCapabilities,
  RtpCodecCapability,
  RtpHeaderExtension,
  RtpHeaderExtensionParameters,
  RtpParameters,
} from '../RtpParameters.js';
import type { SctpCapabilities, SctpStreamParameters } from '../SctpParameters.js';

// Validation of data that crosses the wire. Each function checks one shape,
// throws a TypeError naming the bad field and the type it needs, and fills
// defaults IN PLACE the way mediasoup does, so later matching compares like
// with like. The field checks are tables (field -> type) rather than one
// `if` per field: same checks, a third of the bundle bytes.

const MIME_TYPE = /^(audio|video)\/(.+)/i;

/** The loose view of unvalidated input: any field may be anything. */
type Loose = Record<string, unknown>;

/**
 * Expected types by field. A `?` suffix marks an optional field, checked only
 * when truthy (as mediasoup does); a required string must also be non-empty.
 */
type Fields = Record<string, 'string' | 'number' | 'boolean' | 'object'>;

function isObject(value: unknown): value is Loose {
  return typeof value === 'object' && value !== null;
}

function fail(message: string): never {
  throw new TypeError(message);
}

/** Checks that `value` is an object, then its fields; returns it as a Loose. */
function check(value: unknown, path: string, fields: Fields = {}): Loose {
  if (!isObject(value)) fail(`${path} must be an object`);
  for (const [key, type] of Object.entries(fields)) {
    const optional = key.endsWith('?');
    const field = optional ? key.slice(0, -1) : key;
    const v = value[field];
    if (optional && !v) continue;
    if (type === 'object' ? !isObject(v) : typeof v !== type || (type === 'string' && !v)) {
      fail(
        `${path}.${field} must be ${type === 'object' ? 'an' : 'a'} ${type}${optional ? ' when given' : ''}`,
      );
    }
  }
  return value;
}

function normalizeList(value: Loose, field: string, path: string): unknown[] {
  const list = value[field];
  if (list && !Array.isArray(list)) fail(`${path}.${field} must be an array when given`);
  value[field] = list || [];
  return value[field] as unknown[];
}

/** Codec and header extension parameters: strings or numbers, undefined becomes ''. */
function normalizeParameters(owner: Loose, path: string): Loose {
  if (!isObject(owner.parameters)) owner.parameters = {};
  const parameters = owner.parameters as Loose;
  for (const key of Object.keys(parameters)) {
    if (parameters[key] === undefined) parameters[key] = '';
    const type = typeof parameters[key];
    if (type !== 'string' && type !== 'number') {
      fail(`${path}.parameters["${key}"] must be a string or a number`);
    }
  }
  return parameters;
}

/** Validates RTP capabilities and fills defaults; throws TypeError if invalid. */
export function validateAndNormalizeRtpCapabilities(caps: RtpCapabilities): void {
  const loose = check(caps, 'RTP capabilities');
  for (const codec of normalizeList(loose, 'codecs', 'caps')) {
    validateAndNormalizeRtpCodecCapability(codec as RtpCodecCapability);
  }
  for (const ext of normalizeList(loose, 'headerExtensions', 'caps')) {
    validateAndNormalizeRtpHeaderExtension(ext as RtpHeaderExtension);
  }
}

/** Validates RTP parameters and fills defaults; throws TypeError if invalid. */
export function validateAndNormalizeRtpParameters(params: RtpParameters): void {
  const loose = check(params, 'RTP parameters', { 'mid?': 'string', 'rtcp?': 'object' });
  if (!Array.isArray(loose.codecs)) fail('params.codecs must be an array');
  for (const codec of loose.codecs) codecCommon(codec, 'codec', 'payloadType');
  for (const ext of normalizeList(loose, 'headerExtensions', 'params')) {
    validateRtpHeaderExtensionParameters(ext as RtpHeaderExtensionParameters);
  }
  for (const encoding of normalizeList(loose, 'encodings', 'params')) {
    const e = check(encoding, 'encoding', {
      'ssrc?': 'number',
      'rid?': 'string',
      'rtx?': 'object',
      'scalabilityMode?': 'string',
    });
    if (e.rtx) check(e.rtx, 'encoding.rtx', { ssrc: 'number' });
    e.dtx = e.dtx === true;
  }
  // mediasoup always uses reduced-size RTCP, so anything but `true` becomes `true`.
  loose.rtcp ||= {};
  check(loose.rtcp, 'rtcp', { 'cname?': 'string' }).reducedSize = true;
}

/** Validates SCTP stream parameters and fills defaults; throws TypeError if invalid. */
export function validateAndNormalizeSctpStreamParameters(params: SctpStreamParameters): void {
  const loose = check(params, 'SCTP stream parameters', {
    streamId: 'number',
    'maxPacketLifeTime?': 'number',
    'maxRetransmits?': 'number',
    'label?': 'string',
    'protocol?': 'string',
  });
  const orderedGiven = typeof loose.ordered === 'boolean';
  const partial = loose.maxPacketLifeTime || loose.maxRetransmits;
  if (loose.maxPacketLifeTime && loose.maxRetransmits) {
    fail('give maxPacketLifeTime or maxRetransmits, not both');
  }
  if (orderedGiven && loose.ordered && partial) {
    fail('maxPacketLifeTime or maxRetransmits need ordered: false');
  }
  if (!orderedGiven) loose.ordered = !partial;
}

/**
 * Validates SCTP capabilities (vroom extension: mediasoup 3.8 servers size
 * the SCTP association from them).
 */
export function validateAndNormalizeSctpCapabilities(caps: SctpCapabilities): void {
  const loose = check(caps, 'SCTP capabilities', { numStreams: 'object' });
  check(loose.numStreams, 'caps.numStreams', { OS: 'number', MIS: 'number' });
}

/** Checks what codec capabilities and codec parameters share; returns the kind of the MIME type. */
function codecCommon(
  codec: unknown,
  path: string,
  payloadTypeField: 'payloadType' | 'preferredPayloadType',
): Loose {
  const loose = check(codec, path, {
    mimeType: 'string',
    [payloadTypeField]: 'number',
    clockRate: 'number',
  });
  const kind = MIME_TYPE.exec(loose.mimeType as string)?.[1]?.toLowerCase();
  if (!kind) fail(`${path}.mimeType "${loose.mimeType}" must start with "audio/" or "video/"`);
  // The media type of the MIME type wins over any given kind.
  if (payloadTypeField === 'preferredPayloadType') loose.kind = kind;
  if (kind === 'video') delete loose.channels;
  else if (typeof loose.channels !== 'number') loose.channels = 1;
  if (typeof normalizeParameters(loose, path).apt === 'string') {
    fail(`${path}.parameters.apt must be a number`);
  }
  if (!Array.isArray(loose.rtcpFeedback)) loose.rtcpFeedback = [];
  for (const fb of loose.rtcpFeedback as unknown[]) {
    const f = check(fb, 'rtcpFeedback', { type: 'string' });
    if (!f.parameter || typeof f.parameter !== 'string') f.parameter = '';
  }
  return loose;
}

function validateAndNormalizeRtpCodecCapability(codec: RtpCodecCapability): void {
  codecCommon(codec, 'codec', 'preferredPayloadType');
}

function validateAndNormalizeRtpHeaderExtension(ext: RtpHeaderExtension): void {
  const loose = check(ext, 'ext', {
    uri: 'string',
    preferredId: 'number',
    'preferredEncrypt?': 'boolean',
    'direction?': 'string',
  });
  if (loose.kind !== 'audio' && loose.kind !== 'video') fail('ext.kind must be "audio" or "video"');
  loose.preferredEncrypt ||= false;
  loose.direction ||= 'sendrecv';
}

function validateRtpHeaderExtensionParameters(ext: RtpHeaderExtensionParameters): void {
  const loose = check(ext, 'ext', { uri: 'string', id: 'number', 'encrypt?': 'boolean' });
  loose.encrypt ||= false;
  normalizeParameters(loose, 'ext');
}
