import type { IncomingMessage, ServerResponse } from 'node:http';
import { createLogger } from '../logger.js';
import { BodyTooLargeError, readBody } from '../readBody.js';
import { ADMIN_HTTP_STATUS, AdminError, AdminErrorCode } from './AdminError.js';
import { checkAdminCredential, MIN_SECRET_LENGTH } from './adminToken.js';
import { type AdminOperation, adminInputs } from './inputs.js';
import type { Moderation } from './Moderation.js';

const log = createLogger('admin:http');

export interface AdminHttpOptions {
  /** Shared secret, at least 32 characters (`Authorization: Bearer <secret>` or a signed token). */
  secret: string;
  /** Where the routes live; default `/admin`. */
  basePath?: string;
  /** Largest request body; default 16 KB (the largest input, app data, is 4 KB). */
  maxBodyBytes?: number;
}

/** Answers one request; false when the path is not under `basePath` (the app's to answer). */
export type AdminHttpHandler = (
  request: IncomingMessage,
  response: ServerResponse,
) => Promise<boolean>;

/**
 * The admin API over HTTP, for an app to mount on its own `http` server:
 *
 * - `GET  {base}/rooms`: every room with its peers and producers;
 * - `POST {base}/{operation}` with the operation's JSON input: `room`,
 *   `muteProducer`, `closeProducer`, `removePeer`, `closeRoom`,
 *   `updatePeer`, `sendMessage` (see `adminInputs`).
 *
 * Every request needs `Authorization: Bearer <secret or signAdminToken()>`
 * (401 otherwise, checked before the body is read). Answers are JSON:
 * `{ result }`, or `{ error: { code, message } }` with 400 (bad JSON or
 * input), 404 (unknown route or target), 405, 409 (a bound), 413 (body
 * over `maxBodyBytes`), 500.
 */
export function createAdminHandler(
  moderation: Moderation,
  options: AdminHttpOptions,
): AdminHttpHandler {
  if (typeof options.secret !== 'string' || options.secret.length < MIN_SECRET_LENGTH) {
    throw new TypeError(
      `the admin secret must be a string of at least ${MIN_SECRET_LENGTH} characters (e.g. randomBytes(32).toString('hex'))`,
    );
  }
  const base = (options.basePath ?? '/admin').replace(/\/+$/, '');
  const maxBodyBytes = options.maxBodyBytes ?? 16 * 1024;
  return async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://admin.invalid').pathname;
    if (path !== base && !path.startsWith(`${base}/`)) return false;
    try {
      const result = await answer(request, path.slice(base.length + 1));
      send(response, 200, { result: result ?? null });
    } catch (error) {
      fail(response, error);
    }
    return true;
  };

  async function answer(request: IncomingMessage, route: string): Promise<unknown> {
    if (!authorized(request)) throw AdminError.unauthorized();
    if (route === 'rooms') {
      if (request.method !== 'GET') throw methodNotAllowed('GET');
      return moderation.listRooms();
    }
    if (!Object.hasOwn(adminInputs, route)) {
      throw new AdminError(AdminErrorCode.NotFound, `no admin route "${route}"`);
    }
    if (request.method !== 'POST') throw methodNotAllowed('POST');
    const input = parseJson(await readBody(request, maxBodyBytes));
    return run(moderation, route as AdminOperation, input);
  }

  function authorized(request: IncomingMessage): boolean {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer ([\x21-\x7e]{1,512})$/.exec(header);
    return match?.[1] !== undefined && checkAdminCredential(options.secret, match[1]);
  }
}

/** The operation by name; each method validates its own input. */
function run(moderation: Moderation, operation: AdminOperation, input: unknown): unknown {
  switch (operation) {
    case 'room':
      return moderation.room(input as never);
    case 'muteProducer':
      return moderation.muteProducer(input as never);
    case 'closeProducer':
      return moderation.closeProducer(input as never);
    case 'removePeer':
      return moderation.removePeer(input as never);
    case 'closeRoom':
      return moderation.closeRoom(input as never);
    case 'updatePeer':
      return moderation.updatePeer(input as never);
    case 'sendMessage':
      return moderation.sendMessage(input as never);
  }
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw AdminError.invalidInput('request body', 'not JSON');
  }
}

class MethodNotAllowed extends Error {
  constructor(readonly allowed: string) {
    super(`use ${allowed} for this route`);
  }
}

function methodNotAllowed(allowed: string): MethodNotAllowed {
  return new MethodNotAllowed(allowed);
}

function fail(response: ServerResponse, error: unknown): void {
  if (error instanceof AdminError) {
    send(response, ADMIN_HTTP_STATUS[error.code], {
      error: { code: error.code, message: error.message },
    });
  } else if (error instanceof BodyTooLargeError) {
    response.setHeader('connection', 'close');
    send(response, 413, { error: { code: 'BODY_TOO_LARGE', message: error.message } });
  } else if (error instanceof MethodNotAllowed) {
    response.setHeader('allow', error.allowed);
    send(response, 405, { error: { code: 'METHOD_NOT_ALLOWED', message: error.message } });
  } else {
    log.error('admin request failed: %s', error);
    send(response, 500, {
      error: { code: AdminErrorCode.Failed, message: 'internal error; see the server log' },
    });
  }
}

function send(response: ServerResponse, status: number, body: unknown): void {
  if (response.headersSent) return;
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  response.end(text);
}
