import { type ErrorPayload, isErrorCode, ProtocolError } from './errors.js';

/**
 * The three envelopes every message travels in:
 *  - request       `{ id, method, data }`
 *  - response      `{ id, ok: true, data }` or `{ id, ok: false, error: { code, message } }`
 *  - notification  `{ method, data }`, or `{ method, data, seq }` when the
 *    sender numbers them so a resumed session can replay what was missed.
 * A response's `id` is null only when it answers a message whose id could not
 * be read (as in JSON-RPC).
 */
export interface RequestMessage {
  id: number;
  method: string;
  data: unknown;
}
export type ResponseMessage =
  | { id: number | null; ok: true; data: unknown }
  | { id: number | null; ok: false; error: ErrorPayload };
export interface NotificationMessage {
  method: string;
  data: unknown;
  seq?: number;
}
export type Message =
  | ({ kind: 'request' } & RequestMessage)
  | ({ kind: 'response' } & ResponseMessage)
  | ({ kind: 'notification' } & NotificationMessage);

export type ParseResult =
  | { ok: true; message: Message }
  | {
      ok: false;
      error: ProtocolError /** The request id, when it could be read. */;
      id: number | null;
    };

/** Default largest message, in bytes: room for big RTP capabilities, too small for abuse. */
export const DEFAULT_MAX_MESSAGE_BYTES = 128 * 1024;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** A JSON escape of a UTF-16 surrogate (`\ud800`): the only way one gets into UTF-8 text. */
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;
/** A surrogate code unit without its other half. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * True when a string (value or key) anywhere in `value` holds a lone
 * surrogate. Such a string is not Unicode: passed on, it cannot be written
 * as UTF-8 or read by strict JSON parsers (mediasoup's worker drops the whole
 * request and its caller waits 15 s for the channel timeout). Walked without
 * recursion: the message may be deeply nested.
 */
function hasLoneSurrogate(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const top = stack.pop();
    if (typeof top === 'string') {
      if (LONE_SURROGATE.test(top)) return true;
    } else if (typeof top === 'object' && top !== null) {
      for (const [key, child] of Object.entries(top)) stack.push(key, child);
    }
  }
  return false;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isMethod(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 64;
}

/**
 * Parses one raw message. Never throws: whatever bytes arrive, the caller gets
 * a message or a typed error (with the request id when one could be read, so
 * the error can be answered).
 */
export function parseMessage(
  raw: string | ArrayBuffer | Uint8Array,
  maxBytes: number = DEFAULT_MAX_MESSAGE_BYTES,
): ParseResult {
  let text: string;
  if (typeof raw === 'string') {
    // UTF-8 takes 1 to 3 bytes per UTF-16 unit: encode only when the bounds disagree.
    if (raw.length > maxBytes) return fail(ProtocolError.tooLarge(raw.length, maxBytes));
    if (raw.length * 3 > maxBytes) {
      const bytes = encoder.encode(raw).byteLength;
      if (bytes > maxBytes) return fail(ProtocolError.tooLarge(bytes, maxBytes));
    }
    text = raw;
  } else {
    const bytes = raw instanceof Uint8Array ? raw : new Uint8Array(raw);
    if (bytes.byteLength > maxBytes)
      return fail(ProtocolError.tooLarge(bytes.byteLength, maxBytes));
    try {
      text = decoder.decode(bytes);
    } catch {
      return fail(ProtocolError.badMessage('not UTF-8 text'));
    }
  }

  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fail(ProtocolError.badMessage('not JSON'));
  }
  if (!isRecord(value)) return fail(ProtocolError.badMessage('not a JSON object'));

  const { id, method } = value;
  // Only text that spells a surrogate (escaped, or raw in a JS string) can hold a lone one.
  const mayHaveSurrogates =
    SURROGATE_ESCAPE.test(text) || (typeof raw === 'string' && LONE_SURROGATE.test(text));
  if (mayHaveSurrogates && hasLoneSurrogate(value)) {
    return fail(
      ProtocolError.badMessage('a string holds a lone UTF-16 surrogate (not Unicode text)'),
      isId(id) ? id : null,
    );
  }
  if ('method' in value) {
    if (!isMethod(method)) {
      return fail(
        ProtocolError.badMessage('"method" must be a non-empty string'),
        isId(id) ? id : null,
      );
    }
    if ('id' in value) {
      if (!isId(id)) return fail(ProtocolError.badMessage('"id" must be a non-negative integer'));
      return { ok: true, message: { kind: 'request', id, method, data: value.data } };
    }
    if ('seq' in value) {
      if (!isId(value.seq))
        return fail(ProtocolError.badMessage('"seq" must be a non-negative integer'));
      return {
        ok: true,
        message: { kind: 'notification', method, data: value.data, seq: value.seq },
      };
    }
    return { ok: true, message: { kind: 'notification', method, data: value.data } };
  }

  if ('ok' in value) {
    if (id !== null && !isId(id))
      return fail(ProtocolError.badMessage('response "id" is not valid'));
    if (value.ok === true)
      return { ok: true, message: { kind: 'response', id, ok: true, data: value.data } };
    const error = value.error;
    if (
      value.ok === false &&
      isRecord(error) &&
      isErrorCode(error.code) &&
      typeof error.message === 'string'
    ) {
      return {
        ok: true,
        message: {
          kind: 'response',
          id,
          ok: false,
          error: { code: error.code, message: error.message },
        },
      };
    }
    return fail(
      ProtocolError.badMessage('response needs ok: true with data, or ok: false with an error'),
      id,
    );
  }

  return fail(ProtocolError.badMessage('neither a request, a response nor a notification'));
}

function fail(error: ProtocolError, id: number | null = null): ParseResult {
  return { ok: false, error, id };
}
