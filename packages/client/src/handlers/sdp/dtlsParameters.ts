import type { MediaDescription, SessionDescription } from 'sdp-transform';
import type { DtlsParameters, DtlsRole, FingerprintAlgorithm } from '../../TransportParameters.js';

const FINGERPRINT_ALGORITHMS: ReadonlySet<string> = new Set([
  'sha-1',
  'sha-224',
  'sha-256',
  'sha-384',
  'sha-512',
]);

function roleForSetup(setup: string): DtlsRole {
  switch (setup) {
    case 'active':
      return 'client';
    case 'passive':
      return 'server';
    case 'actpass':
      return 'auto';
    default:
      throw new Error(`unknown a=setup value "${setup}" in local SDP`);
  }
}

/** Our DTLS role and certificate fingerprint, read from the local description. */
export function extractDtlsParameters(sdp: SessionDescription): DtlsParameters {
  // Browsers put these per m-section; some put them at session level.
  const live = sdp.media.find((media) => media.port !== 0);
  const setup = sdp.setup ?? live?.setup;
  const fingerprint = sdp.fingerprint ?? live?.fingerprint;
  if (!setup) throw new Error('local SDP has no a=setup');
  if (!fingerprint) throw new Error('local SDP has no a=fingerprint');
  const algorithm = fingerprint.type.toLowerCase();
  if (!FINGERPRINT_ALGORITHMS.has(algorithm)) {
    throw new Error(`unsupported DTLS fingerprint algorithm "${fingerprint.type}" in local SDP`);
  }
  return {
    role: roleForSetup(setup),
    fingerprints: [{ algorithm: algorithm as FingerprintAlgorithm, value: fingerprint.hash }],
  };
}

/** The RTCP CNAME the browser chose for a sending m-section ('' when absent). */
export function getCname(media: MediaDescription): string {
  return media.ssrcs?.find((line) => line.attribute === 'cname')?.value ?? '';
}
