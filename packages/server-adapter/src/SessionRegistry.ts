import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 32 random bytes: 256 bits, far past guessing. */
const TOKEN_BYTES = 32;

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/**
 * The secret that lets a session be resumed on a new connection. Only a
 * SHA-256 digest of each token is kept: sessions are found by digest, so the
 * lookup time depends on a hash the caller cannot steer toward a real token,
 * and the final comparison is constant-time. A token names exactly one
 * session and dies with it (leave, expiry, room closed).
 */
export class SessionRegistry<S> {
  readonly #byDigest = new Map<string, { digest: Buffer; session: S }>();
  readonly #digestOf = new Map<S, string>();

  /** A fresh token for `session`; any earlier token of it stops working. */
  issue(session: S): string {
    this.revoke(session);
    const token = randomBytes(TOKEN_BYTES).toString('base64url');
    const hash = digest(token);
    const key = hash.toString('hex');
    this.#byDigest.set(key, { digest: hash, session });
    this.#digestOf.set(session, key);
    return token;
  }

  /** The session the token belongs to, or undefined (unknown, revoked, malformed alike). */
  find(token: string): S | undefined {
    const hash = digest(token);
    const entry = this.#byDigest.get(hash.toString('hex'));
    if (!entry || !timingSafeEqual(entry.digest, hash)) return undefined;
    return entry.session;
  }

  revoke(session: S): void {
    const key = this.#digestOf.get(session);
    if (key === undefined) return;
    this.#digestOf.delete(session);
    this.#byDigest.delete(key);
  }

  get size(): number {
    return this.#byDigest.size;
  }
}
