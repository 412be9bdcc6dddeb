import type { types } from 'mediasoup';
import { parse, write } from 'sdp-transform';

const SUITES: readonly types.SrtpCryptoSuite[] = [
  'AES_CM_128_HMAC_SHA1_80',
  'AES_CM_128_HMAC_SHA1_32',
];

/** The SDP has no `a=crypto` line with a suite mediasoup 3.8 speaks, or its key is malformed. */
export class SrtpSdpError extends Error {
  override readonly name = 'SrtpSdpError';
}

/**
 * The SRTP parameters of the first `a=crypto` line (any media section) with
 * a suite mediasoup 3.8 offers: what `plainTransport.connect({ srtpParameters })`
 * takes when the endpoint is the SDP offerer (or the answerer, from its answer).
 */
export function srtpParametersFromSdp(sdp: string): types.SrtpParameters {
  for (const media of parse(sdp).media) {
    for (const crypto of media.crypto ?? []) {
      const suite = SUITES.find((s) => s === crypto.suite);
      const key = /^inline:([A-Za-z0-9+/=]+)/.exec(crypto.config)?.[1];
      if (!suite || !key) continue;
      // 16 bytes of key and 14 of salt: 40 characters of base64.
      if (Buffer.from(key, 'base64').length !== 30) {
        throw new SrtpSdpError(`the a=crypto key is not 30 bytes (40 base64 characters): ${key}`);
      }
      return { cryptoSuite: suite, keyBase64: key };
    }
  }
  throw new SrtpSdpError(
    `no a=crypto line with ${SUITES.join(' or ')}: the endpoint must offer SDES-SRTP with one of them`,
  );
}

export interface SrtpSdpMedia {
  kind: 'audio' | 'video';
  port: number;
  payloadType: number;
  /** e.g. `opus/48000/2`, `VP8/90000`. */
  rtpmap: string;
  fmtp?: string;
}

/**
 * An SDP (offer or answer) for our side of a plain transport with SRTP: its
 * address and port, RTCP muxed, and our key in `a=crypto` (`plainTransport.srtpParameters`).
 */
export function srtpSdp(options: {
  ip: string;
  media: SrtpSdpMedia[];
  srtp: types.SrtpParameters;
}): string {
  const { ip, srtp } = options;
  return write({
    version: 0,
    origin: {
      username: '-',
      sessionId: Date.now(),
      sessionVersion: 1,
      netType: 'IN',
      ipVer: 4,
      address: ip,
    },
    name: 'vroom',
    timing: { start: 0, stop: 0 },
    connection: { version: 4, ip },
    media: options.media.map((m) => {
      const [codec = '', rate = '', encoding] = m.rtpmap.split('/');
      return {
        type: m.kind,
        port: m.port,
        protocol: 'RTP/SAVP',
        payloads: String(m.payloadType),
        rtp: [
          {
            payload: m.payloadType,
            codec,
            rate: Number(rate),
            ...(encoding ? { encoding: Number(encoding) } : {}),
          },
        ],
        fmtp: m.fmtp ? [{ payload: m.payloadType, config: m.fmtp }] : [],
        rtcpMux: 'rtcp-mux',
        crypto: [{ id: 1, suite: srtp.cryptoSuite, config: `inline:${srtp.keyBase64}` }],
      };
    }),
  });
}
