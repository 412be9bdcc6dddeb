import type { MediaDescription } from 'sdp-transform';
import { isRtxCodec } from '../../ortc/codecMatching.js';
import type { RtpCodecParameters, RtpEncodingParameters } from '../../RtpParameters.js';

/**
 * The streams a local offer m-section will send, as mediasoup encodings.
 *
 * - RID simulcast (RFC 8853): one encoding per `a=simulcast` send stream, in
 *   the order of that list (lowest resolution first in Chrome and Firefox).
 * - SSRC signalling: one encoding per primary SSRC; a `SIM` group gives the
 *   spatial order (legacy simulcast), `FID` groups pair each primary SSRC
 *   with its RTX SSRC. RTX is dropped when no RTX codec was negotiated.
 */
export function getRtpEncodings(
  media: MediaDescription,
  codecs: readonly RtpCodecParameters[],
): RtpEncodingParameters[] {
  const rids = getSendRids(media);
  if (rids.length > 0) return rids.map((rid) => ({ rid }));

  // FID groups pair a primary SSRC with its RTX SSRC.
  const rtxOf = new Map<number, number>();
  for (const group of media.ssrcGroups ?? []) {
    const [primary, rtx] = group.ssrcs.split(' ').map(Number);
    if (group.semantics === 'FID' && primary !== undefined && rtx !== undefined) {
      rtxOf.set(primary, rtx);
    }
  }
  // A SIM group gives the primaries in spatial order; else every SSRC but the RTX ones.
  const sim = media.ssrcGroups?.find((group) => group.semantics === 'SIM');
  const rtxSsrcs = new Set(rtxOf.values());
  const primaries = sim
    ? sim.ssrcs.split(' ').map(Number)
    : [...new Set((media.ssrcs ?? []).map((line) => Number(line.id)))].filter(
        (ssrc) => !rtxSsrcs.has(ssrc),
      );
  if (primaries.length === 0) {
    throw new Error(`local offer m-section ${String(media.mid)} has neither SSRCs nor RIDs`);
  }
  const withRtx = codecs.some(isRtxCodec);
  return primaries.map((ssrc) => {
    const rtx = rtxOf.get(ssrc);
    return withRtx && rtx !== undefined ? { ssrc, rtx: { ssrc: rtx } } : { ssrc };
  });
}

/** RIDs the offer sends, in `a=simulcast` order (falls back to `a=rid` order). */
export function getSendRids(media: MediaDescription): string[] {
  const declared = (media.rids ?? [])
    .filter((rid) => rid.direction === 'send')
    .map((rid) => String(rid.id));
  if (declared.length === 0) return [];
  const list = media.simulcast?.dir1 === 'send' ? media.simulcast.list1 : undefined;
  if (!list) return declared;
  // "r0;r1;~r2" or alternatives "r0,r1;r2": take each stream's first rid, unpaused or not.
  const ordered = list
    .split(';')
    .map((alternatives) => (alternatives.split(',')[0] ?? '').replace(/^~/, ''))
    .filter((rid) => declared.includes(rid));
  return ordered.length > 0 ? ordered : declared;
}

/**
 * Turns a single-SSRC offer m-section into legacy (SSRC) simulcast by adding
 * `streams - 1` more SSRCs (with RTX when the first has it) and a SIM group:
 * how Safari and older libwebrtc were asked for simulcast or VP9 SVC layers.
 */
export function addLegacySimulcast(media: MediaDescription, streams: number): void {
  if (streams <= 1) return;
  const lines = media.ssrcs ?? [];
  const firstSsrc = lines[0]?.id;
  if (firstSsrc === undefined) throw new Error('legacy simulcast needs an SSRC in the offer');
  const fid = media.ssrcGroups?.find((g) => g.semantics === 'FID');
  const [primary, rtx] = fid ? fid.ssrcs.split(' ').map(Number) : [Number(firstSsrc), undefined];
  if (primary === undefined) throw new Error('legacy simulcast: malformed FID group');
  const attrs = (ssrc: number) => lines.filter((line) => Number(line.id) === ssrc);
  const cname = attrs(primary).find((l) => l.attribute === 'cname')?.value;
  const msid = attrs(primary).find((l) => l.attribute === 'msid')?.value;
  const primaries = [primary];
  const rtxs = rtx === undefined ? [] : [rtx];
  for (let i = 1; i < streams; ++i) {
    primaries.push(primary + i);
    if (rtx !== undefined) rtxs.push(rtx + i);
  }
  media.ssrcs = [];
  media.ssrcGroups = [{ semantics: 'SIM', ssrcs: primaries.join(' ') }];
  const describe = (ssrc: number) => {
    if (cname) media.ssrcs?.push({ id: ssrc, attribute: 'cname', value: cname });
    if (msid) media.ssrcs?.push({ id: ssrc, attribute: 'msid', value: msid });
  };
  primaries.forEach((ssrc, i) => {
    describe(ssrc);
    const pair = rtxs[i];
    if (pair !== undefined) {
      describe(pair);
      media.ssrcGroups?.push({ semantics: 'FID', ssrcs: `${ssrc} ${pair}` });
    }
  });
}
