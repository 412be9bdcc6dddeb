import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import type { RtpCapabilities, RtpParameters } from '../RtpParameters.js';
import * as fake from '../test/fakeParameters.js';
import * as ortc from './index.js';

// Differential specification: for the same inputs, our ortc must compute what
// mediasoup-client 3.24.1 (a devDependency, used here only as the oracle)
// computes. Inputs are a real mediasoup 3.8.4 router's capabilities (fixture
// written by the real worker) and Chrome-like native capabilities.

type OracleOrtc = typeof ortc;
const require = createRequire(import.meta.url);
const oracle = (require('mediasoup-client') as { ortc: OracleOrtc }).ortc;

const realRouterCaps: RtpCapabilities = JSON.parse(
  readFileSync(
    new URL('./fixtures/mediasoup-3.8.4-router-rtp-capabilities.json', import.meta.url),
    'utf8',
  ),
);

/** JSON round trip: drops undefined-valued keys, which both sides may or may not write. */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function normalized(caps: RtpCapabilities): RtpCapabilities {
  const copy = plain(caps);
  ortc.validateAndNormalizeRtpCapabilities(copy);
  return copy;
}

const ROUTERS: [string, () => RtpCapabilities][] = [
  ['mediasoup 3.8.4 router', () => plain(realRouterCaps)],
  ['fake router', fake.generateRouterRtpCapabilities],
];

describe('ortc.validateAndNormalizeRtpCapabilities()', () => {
  it('fills the same defaults as mediasoup-client', () => {
    const input = {
      codecs: [
        { kind: 'video', mimeType: 'audio/opus', preferredPayloadType: 100, clockRate: 48000 },
        {
          kind: 'video',
          mimeType: 'video/VP8',
          preferredPayloadType: 101,
          clockRate: 90000,
          channels: 2,
          parameters: { a: undefined, b: 1 },
        },
      ],
      headerExtensions: [{ kind: 'audio', uri: 'urn:x', preferredId: 1 }],
    } as unknown as RtpCapabilities;
    // structuredClone keeps the undefined parameter, which must become ''.
    const ours = structuredClone(input);
    const theirs = structuredClone(input);
    ortc.validateAndNormalizeRtpCapabilities(ours);
    oracle.validateAndNormalizeRtpCapabilities(theirs);
    assert.deepEqual(ours, theirs);
    assert.equal(ours.codecs?.[0]?.kind, 'audio', 'the MIME type decides the kind');
    assert.equal(ours.codecs?.[0]?.channels, 1);
    assert.equal(ours.codecs?.[1]?.channels, undefined, 'video has no channels');
    assert.deepEqual(ours.codecs?.[1]?.parameters, { a: '', b: 1 });
    assert.deepEqual(ours.headerExtensions?.[0], {
      kind: 'audio',
      uri: 'urn:x',
      preferredId: 1,
      preferredEncrypt: false,
      direction: 'sendrecv',
    });
  });

  const invalid: [string, unknown][] = [
    ['not an object', 'caps'],
    ['codecs not an array', { codecs: {} }],
    ['codec without mimeType', { codecs: [{ preferredPayloadType: 1, clockRate: 1 }] }],
    [
      'bad mimeType',
      { codecs: [{ mimeType: 'text/plain', preferredPayloadType: 1, clockRate: 1 }] },
    ],
    ['no preferredPayloadType', { codecs: [{ mimeType: 'audio/opus', clockRate: 48000 }] }],
    ['no clockRate', { codecs: [{ mimeType: 'audio/opus', preferredPayloadType: 100 }] }],
    [
      'apt not a number',
      {
        codecs: [
          {
            mimeType: 'video/rtx',
            preferredPayloadType: 1,
            clockRate: 1,
            parameters: { apt: '1' },
          },
        ],
      },
    ],
    [
      'object parameter',
      {
        codecs: [
          { mimeType: 'video/VP8', preferredPayloadType: 1, clockRate: 1, parameters: { x: {} } },
        ],
      },
    ],
    [
      'feedback without type',
      {
        codecs: [
          { mimeType: 'video/VP8', preferredPayloadType: 1, clockRate: 1, rtcpFeedback: [{}] },
        ],
      },
    ],
    ['extension with bad kind', { headerExtensions: [{ kind: 'data', uri: 'u', preferredId: 1 }] }],
    ['extension without uri', { headerExtensions: [{ kind: 'audio', preferredId: 1 }] }],
    ['extension without id', { headerExtensions: [{ kind: 'audio', uri: 'u' }] }],
  ];
  for (const [what, caps] of invalid) {
    it(`throws TypeError (as mediasoup-client does) for ${what}`, () => {
      assert.throws(
        () => oracle.validateAndNormalizeRtpCapabilities(plain(caps) as RtpCapabilities),
        TypeError,
      );
      assert.throws(
        () => ortc.validateAndNormalizeRtpCapabilities(plain(caps) as RtpCapabilities),
        TypeError,
      );
    });
  }

  it('rejects null, which mediasoup-client would crash on', () => {
    assert.throws(
      () => ortc.validateAndNormalizeRtpCapabilities(null as unknown as RtpCapabilities),
      TypeError,
    );
  });
});

describe('ortc.validateAndNormalizeRtpParameters()', () => {
  it('fills the same defaults as mediasoup-client', () => {
    const input = {
      codecs: [
        {
          mimeType: 'audio/opus',
          payloadType: 100,
          clockRate: 48000,
          rtcpFeedback: [{ type: 'nack' }],
        },
      ],
      headerExtensions: [{ uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', id: 1 }],
      encodings: [{ ssrc: 1111 }],
      rtcp: { cname: 'x', reducedSize: false },
    } as RtpParameters;
    const ours = plain(input);
    const theirs = plain(input);
    ortc.validateAndNormalizeRtpParameters(ours);
    oracle.validateAndNormalizeRtpParameters(theirs);
    assert.deepEqual(ours, theirs);
    assert.deepEqual(ours.encodings, [{ ssrc: 1111, dtx: false }]);
    assert.deepEqual(ours.codecs[0]?.rtcpFeedback, [{ type: 'nack', parameter: '' }]);
    assert.equal(ours.rtcp?.reducedSize, true);
  });

  const invalid: [string, unknown][] = [
    ['no codecs', {}],
    ['codec without payloadType', { codecs: [{ mimeType: 'audio/opus', clockRate: 48000 }] }],
    ['headerExtensions not an array', { codecs: [], headerExtensions: {} }],
    ['extension without id', { codecs: [], headerExtensions: [{ uri: 'u' }] }],
    ['encodings not an array', { codecs: [], encodings: 1 }],
    ['ssrc not a number', { codecs: [], encodings: [{ ssrc: '1' }] }],
    ['rtx without ssrc', { codecs: [], encodings: [{ ssrc: 1, rtx: {} }] }],
    ['rtcp not an object', { codecs: [], rtcp: 'x' }],
  ];
  for (const [what, params] of invalid) {
    it(`throws TypeError for ${what}`, () => {
      assert.throws(
        () => oracle.validateAndNormalizeRtpParameters(plain(params) as RtpParameters),
        TypeError,
      );
      assert.throws(
        () => ortc.validateAndNormalizeRtpParameters(plain(params) as RtpParameters),
        TypeError,
      );
    });
  }
});

describe('ortc.validateAndNormalizeSctpStreamParameters()', () => {
  it('defaults to ordered, and to unordered when a lifetime or retransmit limit is given', () => {
    for (const input of [
      { streamId: 1 },
      { streamId: 2, maxPacketLifeTime: 5000 },
      { streamId: 3, maxRetransmits: 2 },
    ]) {
      const ours = plain(input);
      const theirs = plain(input);
      ortc.validateAndNormalizeSctpStreamParameters(ours);
      oracle.validateAndNormalizeSctpStreamParameters(theirs);
      assert.deepEqual(ours, theirs);
    }
    const unordered = { streamId: 2, maxPacketLifeTime: 5000 };
    ortc.validateAndNormalizeSctpStreamParameters(unordered);
    assert.equal((unordered as { ordered?: boolean }).ordered, false);
  });

  for (const [what, params] of [
    ['no streamId', {}],
    ['both limits', { streamId: 1, maxPacketLifeTime: 1, maxRetransmits: 1 }],
    ['ordered with a limit', { streamId: 1, ordered: true, maxRetransmits: 1 }],
    ['label not a string', { streamId: 1, label: 5 }],
  ] as const) {
    it(`throws TypeError for ${what}`, () => {
      assert.throws(
        () => ortc.validateAndNormalizeSctpStreamParameters(plain(params) as never),
        TypeError,
      );
      assert.throws(
        () => oracle.validateAndNormalizeSctpStreamParameters(plain(params) as never),
        TypeError,
      );
    });
  }
});

describe('capability matching against a router', () => {
  for (const [routerName, router] of ROUTERS) {
    for (const preferLocal of [false, true]) {
      it(`extended, recv and send capabilities equal mediasoup-client's (${routerName}, preferLocalCodecsOrder=${preferLocal})`, () => {
        const compute = (impl: OracleOrtc) => {
          const local = normalized(fake.generateNativeRtpCapabilities());
          const remote = normalized(router());
          const extended = impl.getExtendedRtpCapabilities(local, remote, preferLocal);
          return plain({
            extended,
            recv: impl.getRecvRtpCapabilities(extended),
            send: impl.getSendRtpCapabilities(extended),
            sendingAudio: impl.getSendingRtpParameters('audio', extended),
            sendingVideo: impl.getSendingRtpParameters('video', extended),
            remoteAudio: impl.getSendingRemoteRtpParameters('audio', extended),
            remoteVideo: impl.getSendingRemoteRtpParameters('video', extended),
            local,
            remote,
          });
        };
        const ours = compute(ortc);
        const theirs = compute(oracle);
        assert.deepEqual(ours, theirs);
        assert.ok(ours.extended.codecs.length >= 3, 'opus, VP8 and more match');
      });
    }
  }

  it('matches H264 by profile and packetization mode and writes the answered profile-level-id', () => {
    const local = normalized(fake.generateNativeRtpCapabilities());
    const remote = normalized(plain(realRouterCaps));
    const extended = ortc.getExtendedRtpCapabilities(local, remote, false);
    const h264 = extended.codecs.filter((c) => c.mimeType.toLowerCase() === 'video/h264');
    // The router offers 4d0032 (Main) and 42e01f (constrained baseline);
    // the native side has no Main profile, so only the baseline matches.
    assert.equal(h264.length, 1);
    assert.equal(h264[0]?.remoteParameters['profile-level-id'], '42e01f');
    assert.equal(h264[0]?.localParameters['packetization-mode'], 1);
  });

  it('matches VP9 only with the same profile-id', () => {
    const local = normalized(fake.generateNativeRtpCapabilities());
    const remote = normalized(plain(realRouterCaps)); // VP9 profile-id 2
    const vp9 = ortc
      .getExtendedRtpCapabilities(local, remote, false)
      .codecs.filter((c) => c.mimeType === 'video/VP9');
    assert.equal(vp9.length, 1);
    assert.equal(vp9[0]?.localPayloadType, 100, 'the native profile 2 codec, not profile 0 (98)');
  });

  it('mirrors the router header extension directions', () => {
    const extended = ortc.getExtendedRtpCapabilities(
      normalized(fake.generateNativeRtpCapabilities()),
      normalized(fake.generateRouterRtpCapabilities()),
      false,
    );
    const rid = extended.headerExtensions.find(
      (e) => e.uri === 'urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id',
    );
    assert.equal(rid?.direction, 'sendonly', 'router recvonly means we only send it');
    assert.equal(rid?.sendId, 10);
    assert.equal(rid?.recvId, 2);
  });

  it('keeps the local codec order with preferLocalCodecsOrder', () => {
    const router = normalized(fake.generateRouterRtpCapabilities());
    const local = normalized(fake.generateNativeRtpCapabilities());
    const byRouter = ortc
      .getExtendedRtpCapabilities(plain(local), plain(router), false)
      .codecs.map((c) => c.mimeType);
    const byLocal = ortc
      .getExtendedRtpCapabilities(plain(local), plain(router), true)
      .codecs.map((c) => c.mimeType);
    assert.deepEqual(byRouter, ['audio/opus', 'video/VP8', 'video/H264', 'video/VP9']);
    assert.deepEqual(byLocal, ['audio/opus', 'video/VP8', 'video/VP9', 'video/H264']);
  });
});

describe('ortc.reduceCodecs()', () => {
  const extended = ortc.getExtendedRtpCapabilities(
    normalized(fake.generateNativeRtpCapabilities()),
    normalized(fake.generateRouterRtpCapabilities()),
    false,
  );
  const codecs = ortc.getSendingRtpParameters('video', extended).codecs;

  it('takes the first codec and its RTX when no codec is asked for', () => {
    assert.deepEqual(
      ortc.reduceCodecs(codecs).map((c) => c.mimeType),
      ['video/VP8', 'video/rtx'],
    );
    assert.deepEqual(
      plain(ortc.reduceCodecs(plain(codecs))),
      plain(oracle.reduceCodecs(plain(codecs))),
    );
  });

  it('takes the asked codec and its RTX', () => {
    const vp9 =
      fake.generateNativeRtpCapabilities().codecs?.find((c) => c.mimeType === 'video/VP9') ??
      assert.fail();
    const reduced = ortc.reduceCodecs(codecs, vp9);
    assert.deepEqual(
      reduced.map((c) => [c.mimeType, c.payloadType]),
      [
        ['video/VP9', 98],
        ['video/rtx', 99],
      ],
    );
    assert.deepEqual(plain(reduced), plain(oracle.reduceCodecs(plain(codecs), vp9)));
  });

  it('throws TypeError when no codec matches', () => {
    const av1 = {
      kind: 'video',
      mimeType: 'video/AV1',
      preferredPayloadType: 45,
      clockRate: 90000,
    } as const;
    assert.throws(() => ortc.reduceCodecs(codecs, av1), TypeError);
  });
});

describe('ortc.canSend() / canReceive() / generateProbatorRtpParameters()', () => {
  const recv = ortc.getRecvRtpCapabilities(
    ortc.getExtendedRtpCapabilities(
      normalized(fake.generateNativeRtpCapabilities()),
      normalized(fake.generateRouterRtpCapabilities()),
      false,
    ),
  );

  it('canSend() is true only for kinds with a codec', () => {
    assert.equal(ortc.canSend('audio', recv), true);
    assert.equal(ortc.canSend('video', { codecs: [] }), false);
  });

  it('canReceive() accepts parameters whose first codec payload type we know', () => {
    const params = fake.generateConsumerRemoteParameters({
      codecMimeType: 'video/VP8',
    }).rtpParameters;
    assert.equal(ortc.canReceive(plain(params), recv), true);
    assert.equal(oracle.canReceive(plain(params), recv), true);
    const unknown = plain(params);
    (unknown.codecs[0] as { payloadType: number }).payloadType = 42;
    assert.equal(ortc.canReceive(unknown, recv), false);
    assert.equal(ortc.canReceive({ codecs: [] }, recv), false);
    assert.throws(() => ortc.canReceive({} as RtpParameters, recv), TypeError);
  });

  it('builds probator parameters from a video consumer like mediasoup-client', () => {
    const params = fake.generateConsumerRemoteParameters({
      codecMimeType: 'video/VP8',
    }).rtpParameters;
    const ours = ortc.generateProbatorRtpParameters(plain(params));
    assert.deepEqual(plain(ours), plain(oracle.generateProbatorRtpParameters(plain(params))));
    assert.equal(ours.mid, 'probator');
    assert.deepEqual(ours.encodings, [{ ssrc: 1234 }]);
    assert.equal(ours.codecs[0]?.payloadType, 127);
  });
});
