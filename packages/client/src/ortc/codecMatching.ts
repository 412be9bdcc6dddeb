import { generateProfileLevelIdStringForAnswer, isSameProfile } from 'h264-profile-level-id';
import type { RtcpFeedback, RtpCodecCapability, RtpCodecParameters } from '../RtpParameters.js';

// When two codec descriptions name the same codec. Loose matching compares
// MIME type, clock rate and channels; strict matching also compares what
// makes two configurations incompatible on the wire (H264 profile and
// packetization mode, VP9 profile).

type CodecLike = Pick<
  RtpCodecParameters,
  'mimeType' | 'clockRate' | 'channels' | 'parameters' | 'rtcpFeedback'
>;

export function isRtxCodec(codec: { mimeType: string } | undefined): boolean {
  return codec !== undefined && /.+\/rtx$/i.test(codec.mimeType);
}

export type MatchOptions = {
  strict?: boolean;
  /**
   * With H264, write the negotiated `profile-level-id` into both codecs'
   * parameters (or remove it when the answer omits it).
   */
  modify?: boolean;
};

/**
 * Whether `a` and `b` describe the same codec. For H264 `a` is the local
 * (answering) side and `b` the remote (offering) one.
 */
export function matchCodecs(
  a: CodecLike,
  b: CodecLike,
  { strict = false, modify = false }: MatchOptions = {},
): boolean {
  const mimeType = a.mimeType.toLowerCase();
  if (mimeType !== b.mimeType.toLowerCase()) return false;
  if (a.clockRate !== b.clockRate) return false;
  if (a.channels !== b.channels) return false;
  if (!strict) return true;
  const aParams = a.parameters ?? {};
  const bParams = b.parameters ?? {};
  if (mimeType === 'video/h264') return matchH264(aParams, bParams, modify);
  if (mimeType === 'video/vp9')
    return (aParams['profile-id'] ?? 0) === (bParams['profile-id'] ?? 0);
  return true;
}

function matchH264(
  aParams: Record<string, unknown>,
  bParams: Record<string, unknown>,
  modify: boolean,
): boolean {
  if ((aParams['packetization-mode'] ?? 0) !== (bParams['packetization-mode'] ?? 0)) return false;
  if (!isSameProfile(aParams, bParams)) return false;
  let answered: string | undefined;
  try {
    answered = generateProfileLevelIdStringForAnswer(aParams, bParams);
  } catch {
    // Incompatible levels or malformed ids: these codecs do not match.
    return false;
  }
  if (modify) {
    if (answered) {
      aParams['profile-level-id'] = answered;
      bParams['profile-level-id'] = answered;
    } else {
      delete aParams['profile-level-id'];
      delete bParams['profile-level-id'];
    }
  }
  return true;
}

/** The RTCP feedback both sides support, as `b` spells it. */
export function reduceRtcpFeedback(a: CodecLike, b: CodecLike): RtcpFeedback[] {
  const reduced: RtcpFeedback[] = [];
  for (const aFb of a.rtcpFeedback ?? []) {
    const match = (b.rtcpFeedback ?? []).find(
      (bFb) =>
        bFb.type === aFb.type &&
        (bFb.parameter === aFb.parameter || (!bFb.parameter && !aFb.parameter)),
    );
    if (match) reduced.push(match);
  }
  return reduced;
}

/**
 * The codecs to send: the first codec compatible with `capCodec` (or simply
 * the first codec) followed by its RTX codec when there is one. `codecs` must
 * come from getSendingRtpParameters() or getSendingRemoteRtpParameters(),
 * which place each RTX codec right after its media codec.
 */
export function reduceCodecs(
  codecs: RtpCodecParameters[],
  capCodec?: RtpCodecCapability,
): RtpCodecParameters[] {
  const index = capCodec
    ? codecs.findIndex((codec) => matchCodecs(codec, capCodec, { strict: true }))
    : 0;
  const chosen = codecs[index];
  if (index === -1 || !chosen) {
    throw new TypeError(
      capCodec
        ? `no codec matches ${capCodec.mimeType}: pick one of device.sendRtpCapabilities.codecs`
        : 'the router has no codec this device can send',
    );
  }
  const next = codecs[index + 1];
  return next && isRtxCodec(next) ? [chosen, next] : [chosen];
}
