/** Reason codes of `AdminError`: apps and the HTTP endpoint switch on them. */
export const AdminErrorCode = {
  /** The input does not match the operation's schema. */
  InvalidInput: 'INVALID_INPUT',
  /** No such room, peer or producer (now). */
  NotFound: 'NOT_FOUND',
  /** The change would pass a configured bound (e.g. a room's peer list bytes). */
  LimitExceeded: 'LIMIT_EXCEEDED',
  /** Missing or wrong admin secret / token (HTTP only). */
  Unauthorized: 'UNAUTHORIZED',
  /** The media server refused the operation. */
  Failed: 'FAILED',
} as const;

export type AdminErrorCode = (typeof AdminErrorCode)[keyof typeof AdminErrorCode];

/** The HTTP status each code is answered with. */
export const ADMIN_HTTP_STATUS: Record<AdminErrorCode, number> = {
  INVALID_INPUT: 400,
  NOT_FOUND: 404,
  LIMIT_EXCEEDED: 409,
  UNAUTHORIZED: 401,
  FAILED: 500,
};

/** The one error of the admin API, in-process and over HTTP. */
export class AdminError extends Error {
  readonly code: AdminErrorCode;

  constructor(code: AdminErrorCode, message: string) {
    super(message);
    this.name = 'AdminError';
    this.code = code;
  }

  static invalidInput(operation: string, why: string): AdminError {
    return new AdminError(
      AdminErrorCode.InvalidInput,
      `invalid input for "${operation}": ${why}; fix it and retry`,
    );
  }

  static notFound(what: string, id: string): AdminError {
    return new AdminError(
      AdminErrorCode.NotFound,
      `${what} "${id}" not found (it may have left or closed); list the rooms again`,
    );
  }

  static unauthorized(): AdminError {
    return new AdminError(
      AdminErrorCode.Unauthorized,
      'missing or wrong admin credentials: send "Authorization: Bearer <secret or signed token>"',
    );
  }
}
