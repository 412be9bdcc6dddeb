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

/** Keeps the encoding fields a sender understands; encodings are active unless told otherwise. */
function normalizeEncoding(encoding: RtpEncodingParameters): RtpEncodingParameters {
  const normalized: RtpEncodingParameters = { active: encoding.active !== false };
  if (typeof encoding.dtx === 'boolean') normalized.dtx = encoding.dtx;
  if (typeof encoding.scalabilityMode === 'string')
    normalized.scalabilityMode = encoding.scalabilityMode;
  if (typeof encoding.scaleResolutionDownBy === 'number') {
    normalized.scaleResolutionDownBy = encoding.scaleResolutionDownBy;
  }
  if (typeof encoding.maxBitrate === 'number') normalized.maxBitrate = encoding.maxBitrate;
  if (typeof encoding.maxFramerate === 'number') normalized.maxFramerate = encoding.maxFramerate;
  if (typeof encoding.adaptivePtime === 'boolean')
    normalized.adaptivePtime = encoding.adaptivePtime;
  if (typeof encoding.priority === 'string') normalized.priority = encoding.priority;
  if (typeof encoding.networkPriority === 'string')
    normalized.networkPriority = encoding.networkPriority;
  return normalized;
}
