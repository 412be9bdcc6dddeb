import * as v from 'valibot';
import { RtpCapabilities } from './schemas/rtp.js';

/**
 * A short stable digest of a router's RTP capabilities (issue 13). A client
 * that knows them already (cached from an earlier join, or given by the app)
 * loads its device before `join` and sends its own capabilities in it with
 * this digest of the router capabilities it used; the server compares it
 * with its router's and ignores stale capabilities. Both ends read the
 * capabilities through the protocol schema first (unknown fields dropped)
 * and hash a canonical JSON (keys sorted), so key order and extra fields
 * do not matter. Not a security check: 64-bit FNV-1a, 16 hex characters.
 * Returns `undefined` for something that is not RTP capabilities.
 */
export function rtpCapabilitiesDigest(capabilities: unknown): string | undefined {
  const parsed = v.safeParse(RtpCapabilities, capabilities);
  if (!parsed.success) return undefined;
  return fnv1a64(canonicalJson(parsed.output));
}

/** Digests are 16 lowercase hex characters. */
export const RTP_CAPABILITIES_DIGEST_LENGTH = 16;

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK_64 = 0xffffffffffffffffn;

function fnv1a64(text: string): string {
  let hash = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) {
    hash ^= BigInt(text.charCodeAt(i));
    hash = (hash * FNV_PRIME) & MASK_64;
  }
  return hash.toString(16).padStart(RTP_CAPABILITIES_DIGEST_LENGTH, '0');
}
