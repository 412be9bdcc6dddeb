/**
 * Reading a producer's encodings from a local offer m-section, and making
 * legacy (SSRC) simulcast. Offers are the real Chromium 156 / Firefox 153
 * captures (fixtures/).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MediaDescription } from 'sdp-transform';
import * as sdpTransform from 'sdp-transform';
import type { RtpCodecParameters } from '../../RtpParameters.js';
import { loadFixture } from '../testing/replayHandler.js';
import { addLegacySimulcast, getRtpEncodings, getSendRids } from './rtpEncodings.js';

const media = (fixture: string, scenario: string): MediaDescription => {
  const found = sdpTransform.parse(loadFixture(fixture).scenarios[scenario]?.localSdp ?? '')
    .media[0];
  if (!found) throw new Error(`${fixture} ${scenario} has no m-section`);
  return found;
};
const VP8: RtpCodecParameters = { mimeType: 'video/VP8', payloadType: 96, clockRate: 90000 };
const RTX: RtpCodecParameters = {
  mimeType: 'video/rtx',
  payloadType: 97,
  clockRate: 90000,
  parameters: { apt: 96 },
};

describe('getRtpEncodings', () => {
  it('one SSRC with its RTX from the FID group (Chromium video)', () => {
    assert.deepEqual(getRtpEncodings(media('chromium-156', 'video'), [VP8, RTX]), [
      { ssrc: 1774059862, rtx: { ssrc: 1945328157 } },
    ]);
  });

  it('RTX is dropped when no RTX codec was negotiated', () => {
    assert.deepEqual(getRtpEncodings(media('chromium-156', 'video'), [VP8]), [
      { ssrc: 1774059862 },
    ]);
  });

  it('audio: a single SSRC', () => {
    assert.deepEqual(getRtpEncodings(media('firefox-153', 'audio'), []), [{ ssrc: 3018374804 }]);
  });

  it('RID simulcast: one encoding per a=simulcast stream, in list order (Chromium and Firefox)', () => {
    assert.deepEqual(getRtpEncodings(media('chromium-156', 'simulcast'), [VP8, RTX]), [
      { rid: 'r0' },
      { rid: 'r1' },
      { rid: 'r2' },
    ]);
    // Firefox also lists SSRCs for its RID streams: the RIDs win.
    assert.deepEqual(getRtpEncodings(media('firefox-153', 'simulcast'), [VP8, RTX]), [
      { rid: 'r0' },
      { rid: 'r1' },
      { rid: 'r2' },
    ]);
  });

  it('a section with neither SSRCs nor RIDs is an error naming the mid', () => {
    const bare = { ...media('chromium-156', 'video') };
    delete bare.ssrcs;
    delete bare.ssrcGroups;
    assert.throws(() => getRtpEncodings(bare, [VP8]), /m-section 0 has neither SSRCs nor RIDs/);
  });
});

describe('getSendRids', () => {
  it('follows the a=simulcast order, ignores paused markers and alternatives', () => {
    const m = media('chromium-156', 'simulcast');
    m.simulcast = { dir1: 'send', list1: 'r2;~r1,r9;r0' };
    assert.deepEqual(getSendRids(m), ['r2', 'r1', 'r0']);
  });

  it('falls back to a=rid order without a=simulcast; recv RIDs are not ours', () => {
    const m = { ...media('chromium-156', 'simulcast') };
    delete m.simulcast;
    assert.deepEqual(getSendRids(m), ['r0', 'r1', 'r2']);
    m.rids = [{ id: 'x', direction: 'recv' }];
    assert.deepEqual(getSendRids(m), []);
  });
});

describe('addLegacySimulcast', () => {
  it('adds SSRCs (and RTX SSRCs) in a SIM group, each with the cname and msid', () => {
    const m = media('chromium-156', 'video');
    addLegacySimulcast(m, 3);
    assert.deepEqual(m.ssrcGroups, [
      { semantics: 'SIM', ssrcs: '1774059862 1774059863 1774059864' },
      { semantics: 'FID', ssrcs: '1774059862 1945328157' },
      { semantics: 'FID', ssrcs: '1774059863 1945328158' },
      { semantics: 'FID', ssrcs: '1774059864 1945328159' },
    ]);
    const ids = [...new Set(m.ssrcs?.map((line) => Number(line.id)))];
    assert.deepEqual(ids, [1774059862, 1945328157, 1774059863, 1945328158, 1774059864, 1945328159]);
    assert.ok(
      m.ssrcs?.every((line) => line.attribute !== 'cname' || line.value === '/bsRcTEgQtxcd60j'),
    );
    // What the handler then reads back: three encodings, lowest SSRC first.
    assert.deepEqual(getRtpEncodings(m, [VP8, RTX]), [
      { ssrc: 1774059862, rtx: { ssrc: 1945328157 } },
      { ssrc: 1774059863, rtx: { ssrc: 1945328158 } },
      { ssrc: 1774059864, rtx: { ssrc: 1945328159 } },
    ]);
  });

  it('one stream leaves the section untouched; no SSRC at all is an error', () => {
    const m = media('chromium-156', 'video');
    const before = structuredClone(m);
    addLegacySimulcast(m, 1);
    assert.deepEqual(m, before);
    const bare = { ...m, ssrcs: [] };
    assert.throws(() => addLegacySimulcast(bare, 2), /needs an SSRC/);
  });
});
