import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures: `vroom-signature: t=<unix seconds>,v1=<hex>`, where
 * the hex is HMAC-SHA256(secret, `${t}.${body}`). The timestamp is signed
 * with the body, so a captured delivery cannot be replayed later than the
 * receiver's tolerance.
 */
export const SIGNATURE_HEADER = 'vroom-signature';

/** Default: a delivery older (or newer) than 5 minutes is refused. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

export const WebhookSignatureErrorCode = {
  /** No signature header. */
  Missing: 'MISSING',
  /** The header is not `t=<digits>,v1=<hex>`. */
  Malformed: 'MALFORMED',
  /** The timestamp is outside the tolerance: an old capture, or clocks apart. */
  Stale: 'STALE',
  /** No `v1` signature matches the body with this secret. */
  Mismatch: 'MISMATCH',
} as const;

export type WebhookSignatureErrorCode =
  (typeof WebhookSignatureErrorCode)[keyof typeof WebhookSignatureErrorCode];

export class WebhookSignatureError extends Error {
  readonly code: WebhookSignatureErrorCode;

  constructor(code: WebhookSignatureErrorCode, message: string) {
    super(message);
    this.name = 'WebhookSignatureError';
    this.code = code;
  }
}

/** The header value for `body` sent at `timestampSeconds` (default now). */
export function signWebhook(
  secret: string,
  body: string,
  timestampSeconds = Math.floor(Date.now() / 1000),
): string {
  return `t=${timestampSeconds},v1=${mac(secret, timestampSeconds, body)}`;
}

export interface VerifyOptions {
  toleranceSeconds?: number;
  /** ms since the epoch; default `Date.now()`. */
  now?: number;
}

/**
 * Checks a delivery: the header's timestamp within the tolerance and one of
 * its `v1` signatures (several during a secret rotation) matching, compared
 * in constant time. Throws `WebhookSignatureError`; the caller answers 401.
 */
export function verifyWebhookSignature(
  secret: string,
  body: string,
  header: string | undefined,
  options: VerifyOptions = {},
): void {
  if (!header) {
    throw new WebhookSignatureError(
      'MISSING',
      `no ${SIGNATURE_HEADER} header: not from the server`,
    );
  }
  const parts = header.split(',').map((part) => part.trim().split('='));
  const timestamp = parts.find(([key]) => key === 't')?.[1];
  const signatures = parts
    .filter(([key, value]) => key === 'v1' && /^[0-9a-f]{64}$/.test(value ?? ''))
    .map(([, value]) => Buffer.from(value as string, 'hex'));
  if (!timestamp || !/^\d{1,12}$/.test(timestamp) || signatures.length === 0 || parts.length > 8) {
    throw new WebhookSignatureError(
      'MALFORMED',
      `${SIGNATURE_HEADER} must be "t=<seconds>,v1=<hex>"`,
    );
  }
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const age = (options.now ?? Date.now()) / 1000 - Number(timestamp);
  if (Math.abs(age) > tolerance) {
    throw new WebhookSignatureError(
      'STALE',
      `signed ${Math.round(age)} s ago, outside ${tolerance} s: a replay, or the clocks disagree`,
    );
  }
  const expected = Buffer.from(mac(secret, Number(timestamp), body), 'hex');
  if (!signatures.some((signature) => timingSafeEqual(signature, expected))) {
    throw new WebhookSignatureError(
      'MISMATCH',
      'the signature does not match: wrong secret or altered body',
    );
  }
}

function mac(secret: string, timestampSeconds: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex');
}
