import type { ProducerOptions } from './Producer.js';
import type { RtpEncodingParameters } from './RtpParameters.js';
import type { ProduceRequest } from './transportBatches.js';

/**
 * produce() options with defaults applied (stopTracks and
 * disableTrackOnPause on, zeroRtpOnPause off) and encodings reduced to what a
 * sender understands. Throws TypeError on malformed options; the transport
 * checks its own state (closed, direction, listeners) before.
 */
export function normalizeProduceOptions(
  track: MediaStreamTrack,
  options: ProducerOptions,
): ProduceRequest['options'] {
  const {
    streamId,
    encodings,
    codecOptions,
    codec,
    stopTracks = true,
    disableTrackOnPause = true,
    zeroRtpOnPause = false,
    onRtpSender,
    appData = {},
  } = options;
  if (typeof appData !== 'object' || appData === null)
    throw new TypeError('appData must be an object');
  if (encodings !== undefined && !Array.isArray(encodings)) {
    throw new TypeError('encodings must be an array');
  }
  const normalized =
    encodings && encodings.length > 0 ? encodings.map(normalizeEncoding) : undefined;
  return {
    send: {
      track,
      ...(streamId !== undefined && { streamId }),
      ...(normalized && { encodings: normalized }),
      ...(codecOptions && { codecOptions }),
      ...(codec && { codec }),
      ...(onRtpSender && { onRtpSender }),
    },
    stopTracks,
    disableTrackOnPause,
    zeroRtpOnPause,
    appData,
  };
}

/** The encoding fields a sender understands, and the type each must have. */
const ENCODING_FIELDS = {
  dtx: 'boolean',
  scalabilityMode: 'string',
  scaleResolutionDownBy: 'number',
  maxBitrate: 'number',
  maxFramerate: 'number',
  adaptivePtime: 'boolean',
  priority: 'string',
  networkPriority: 'string',
} as const;

/** Keeps the encoding fields a sender understands; encodings are active unless told otherwise. */
function normalizeEncoding(encoding: RtpEncodingParameters): RtpEncodingParameters {
  const normalized: Record<string, unknown> = { active: encoding.active !== false };
  for (const [field, type] of Object.entries(ENCODING_FIELDS)) {
    const value = encoding[field as keyof typeof ENCODING_FIELDS];
    if (typeof value === type) normalized[field] = value;
  }
  return normalized as RtpEncodingParameters;
}
