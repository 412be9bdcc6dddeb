import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Admin credentials: the shared secret itself, or a short-lived token signed
 * with it (`v1.<expiresAt seconds>.<HMAC-SHA256 hex>`), so a dashboard can
 * be handed a token that dies instead of the secret.
 */
const PREFIX = 'v1';

/** The secret must be long enough that guessing is hopeless. */
export const MIN_SECRET_LENGTH = 32;

/** A token valid for `ttlSeconds` (default 5 minutes) from `now` (ms). */
export function signAdminToken(secret: string, ttlSeconds = 300, now = Date.now()): string {
  const expiresAt = Math.floor(now / 1000) + Math.max(1, Math.floor(ttlSeconds));
  return `${PREFIX}.${expiresAt}.${mac(secret, `${PREFIX}.${expiresAt}`)}`;
}

/**
 * Whether `credential` is the secret, or an unexpired token signed with it.
 * Compared in constant time: digests of equal length, so neither the
 * length nor the first differing byte of the secret leaks.
 */
export function checkAdminCredential(
  secret: string,
  credential: string,
  now = Date.now(),
): boolean {
  if (sameText(secret, credential)) return true;
  const parts = credential.split('.');
  if (parts.length !== 3 || parts[0] !== PREFIX) return false;
  const [, expires = '', signature = ''] = parts;
  if (!/^\d{1,12}$/.test(expires) || Number(expires) * 1000 < now) return false;
  return sameText(mac(secret, `${PREFIX}.${expires}`), signature);
}

function mac(secret: string, text: string): string {
  return createHmac('sha256', secret).update(text).digest('hex');
}

function sameText(a: string, b: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(a), digest(b));
}
