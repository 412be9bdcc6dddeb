import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import * as sdpTransform from 'sdp-transform';
import { parseCodecParameters, parseSdp, writeSdp } from './sdpText.js';

// sdp-transform (a devDependency) is the oracle: our parser must read what
// it reads, and what we write must read back, through it, as the input did.

const FIXTURES = new URL('../fixtures/', import.meta.url);

/** Every SDP text recorded in the browser fixtures (Chromium, Firefox, Safari, RN, wrtc). */
function fixtureSdps(): { name: string; sdp: string }[] {
  const found: { name: string; sdp: string }[] = [];
  const walk = (value: unknown, name: string): void => {
    if (typeof value === 'string') {
      if (value.startsWith('v=0')) found.push({ name, sdp: value });
    } else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) walk(inner, `${name}/${key}`);
    }
  };
  for (const file of readdirSync(FIXTURES).filter((f) => f.endsWith('.json'))) {
    walk(JSON.parse(readFileSync(new URL(file, FIXTURES), 'utf8')), file);
  }
  return found;
}

/**
 * The keys parseSdp reads: what the handlers read or change in local SDP.
 * The rest (session header, c=, ICE, candidates, msid, groups...) stays raw;
 * the round trip below shows nothing of it is lost.
 */
const SESSION_KEYS = ['extmapAllowMixed', 'setup', 'fingerprint', 'direction'] as const;
const MEDIA_KEYS = [
  'type',
  'port',
  'protocol',
  'payloads',
  'mid',
  'rtp',
  'fmtp',
  'rtcpFb',
  'ext',
  'extmapAllowMixed',
  'setup',
  'direction',
  'fingerprint',
  'ssrcs',
  'ssrcGroups',
  'rtcpRsize',
  'sctpmap',
  'rids',
  'simulcast',
  'simulcast_03',
  'sctpPort',
  'maxMessageSize',
] as const;

function assertSameFields(sdp: string, label: string): void {
  const ours = parseSdp(sdp) as unknown as Record<string, unknown> & { media: object[] };
  const oracle = sdpTransform.parse(sdp) as unknown as Record<string, unknown> & {
    media: object[];
  };
  for (const key of SESSION_KEYS) assert.deepEqual(ours[key], oracle[key], `${label}: ${key}`);
  assert.equal(ours.media.length, oracle.media.length, `${label}: m-sections`);
  ours.media.forEach((media, i) => {
    const theirs = oracle.media[i] as Record<string, unknown>;
    for (const key of MEDIA_KEYS) {
      assert.deepEqual(
        (media as Record<string, unknown>)[key],
        theirs[key],
        `${label}: m-section ${i} ${key}`,
      );
    }
  });
}

function assertRoundTrip(sdp: string, label: string): void {
  const written = writeSdp(parseSdp(sdp));
  assert.deepEqual(sdpTransform.parse(written), sdpTransform.parse(sdp), label);
  // Writing is stable: a second pass gives the same text.
  assert.equal(writeSdp(parseSdp(written)), written, `${label}: second pass`);
}

describe('parseSdp / writeSdp against sdp-transform, on every fixture SDP', () => {
  const sdps = fixtureSdps();

  it('finds the fixtures of every recorded stack', () => {
    assert.ok(sdps.length >= 50, `only ${sdps.length} fixture SDPs`);
    for (const stack of ['chromium', 'firefox', 'safari', 'react-native', 'node-wrtc']) {
      assert.ok(
        sdps.some((s) => s.name.startsWith(stack)),
        `no fixture SDP of ${stack}`,
      );
    }
  });

  it('reads each field the handlers use exactly as sdp-transform does', () => {
    for (const { name, sdp } of sdps) assertSameFields(sdp, name);
  });

  it('writes back what sdp-transform reads as the same description (nothing lost)', () => {
    for (const { name, sdp } of sdps) assertRoundTrip(sdp, name);
  });

  it('writes a description without raw lines exactly as sdp-transform writes it', () => {
    for (const { name, sdp } of sdps) {
      const parsed = parseSdp(sdp);
      delete parsed.other;
      for (const media of parsed.media) delete media.other;
      // sdp-transform adds the v= and s= lines every SDP needs; ours are raw lines.
      const theirs = sdpTransform
        .write(parsed as unknown as sdpTransform.SessionDescription)
        .replace(/^v=0\r\ns= \r\n/, '');
      assert.equal(writeSdp(parsed), theirs, name);
    }
  });
});

describe('parseSdp on generated SDP (property test, seeded)', () => {
  // A small deterministic PRNG (mulberry32): a failure names its seed.
  const prng = (seed: number) => () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  function generate(random: () => number): string {
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const int = () => pick(['0', '7', '96', '111', '007', '90000', '3790843690179997522']);
    const token = () => pick(['r0', 'a', 'x-y', '0', '12', 'abc_1', 'hi']);
    const attribute = (): string =>
      pick([
        () => `a=rtpmap:${int()} ${pick(['opus', 'VP8', 'H264', 'rtx'])}/${int()}`,
        () => `a=rtpmap:${int()} opus/48000/${pick(['1', '2'])}`,
        () => `a=fmtp:${int()} ${token()}=${int()};profile-level-id=${pick(['42e01f', '420032'])}`,
        () => `a=rtcp-fb:${pick(['*', int()])} ${pick(['nack', 'ccm', 'goog-remb'])}`,
        () => `a=rtcp-fb:${int()} nack ${pick(['pli', 'fir'])}`,
        () => `a=extmap:${int()}${pick(['', '/sendonly'])} urn:x:${token()}`,
        () => `a=ssrc:${int()} cname:${token()}`,
        () => `a=ssrc:${int()} msid:${token()} ${token()}`,
        () => `a=ssrc-group:${pick(['FID', 'SIM'])} ${int()} ${int()}`,
        () => `a=rid:${token()} ${pick(['send', 'recv'])}`,
        () => `a=simulcast:send ${token()};~${token()}`,
        () => `a=simulcast: send rid=${token()};${token()}`,
        () => `a=mid:${token()}`,
        () => `a=msid:${token()} ${token()}`,
        () => `a=setup:${pick(['actpass', 'active', 'passive'])}`,
        () => `a=fingerprint:sha-256 ${pick(['AB:CD', '01:02'])}`,
        () =>
          `a=${pick(['sendrecv', 'recvonly', 'sendonly', 'inactive', 'rtcp-mux', 'rtcp-rsize', 'extmap-allow-mixed', 'end-of-candidates'])}`,
        () => `a=ice-ufrag:${token()}`,
        () => `a=sctp-port:${int()}`,
        () => `a=max-message-size:${int()}`,
        () => `a=sctpmap:${int()} webrtc-datachannel ${int()}`,
        () => `a=candidate:1 1 udp ${int()} 10.0.0.1 ${int()} typ host generation 0`,
        () => `a=rtcp:9 IN IP4 0.0.0.0`,
        () => `a=${token()}:${token()} ${token()}`,
        () => `b=AS:${int()}`,
        () => `c=IN IP4 ${pick(['0.0.0.0', '127.0.0.1'])}`,
      ])();
    const lines = [
      'v=0',
      `o=- ${int()} ${pick(['2', '3'])} IN IP4 127.0.0.1`,
      's=-',
      't=0 0',
      `a=group:BUNDLE ${token()} ${token()}`,
      `a=msid-semantic:${pick(['', ' '])}WMS ${pick(['*', token()])}`,
    ];
    const sections = Math.floor(random() * 4);
    for (let m = 0; m < sections; m++) {
      lines.push(
        `m=${pick(['audio', 'video', 'application'])} 9 UDP/TLS/RTP/SAVPF ${int()} ${int()}`,
      );
      // One line of each kind a section, as browsers do: mixing parsed and raw
      // lines of one kind could only reorder them.
      const seen = new Set<string>();
      for (let i = Math.floor(random() * 12); i > 0; i--) {
        const line = attribute();
        const kind = line.split(/[:\s]/)[0] as string;
        if (!seen.has(kind)) lines.push(line);
        seen.add(kind);
      }
    }
    return `${lines.join(pick(['\r\n', '\n']))}\r\n`;
  }

  it('reads like sdp-transform and round-trips, for 500 generated descriptions', () => {
    for (let seed = 1; seed <= 500; seed++) {
      const sdp = generate(prng(seed));
      assertSameFields(sdp, `seed ${seed}`);
      assertRoundTrip(sdp, `seed ${seed}`);
    }
  });

  it('never throws on garbage: no v= line gives an error and no media', () => {
    const random = prng(42);
    const garbage = [
      '',
      'hello',
      'm=audio',
      '\u0000\u0001=',
      undefined as unknown as string,
      42 as unknown as string,
    ];
    for (let i = 0; i < 200; i++) {
      garbage.push(
        Array.from({ length: Math.floor(random() * 60) }, () =>
          String.fromCharCode(Math.floor(random() * 128)),
        ).join(''),
      );
    }
    for (const text of garbage) {
      const parsed = parseSdp(text);
      if (typeof text === 'string' && /^v=/m.test(text)) continue;
      assert.match(parsed.error ?? '', /not an SDP/);
      assert.deepEqual(parsed.media, []);
    }
  });

  it('keeps a malformed line of a known attribute raw rather than half-reading it', () => {
    const parsed = parseSdp('v=0\r\nm=audio 9 RTP/AVP 0\r\na=rtpmap:zero PCMU\r\na=mid\r\n');
    assert.deepEqual(parsed.media[0]?.rtp, []);
    assert.deepEqual(parsed.media[0]?.other, ['a=rtpmap:zero PCMU', 'a=mid']);
    assert.match(writeSdp(parsed), /a=rtpmap:zero PCMU\r\na=mid\r\n$/);
  });
});

describe('parseCodecParameters', () => {
  it('reads an fmtp config like sdp-transform parseParams, profile-level-id kept as text', () => {
    const config = 'minptime=10;useinbandfec=1; x=a=b;profile-level-id=420032;flag';
    const oracle = sdpTransform.parseParams(config);
    delete oracle.flag;
    assert.deepEqual(parseCodecParameters(config), { ...oracle, 'profile-level-id': '420032' });
  });
});
