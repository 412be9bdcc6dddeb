import * as v from 'valibot';
import { ProtocolError } from './errors.js';
import type { MethodTable, RequestData } from './methods.js';
import type { NotificationTable } from './notifications.js';

/** "rtpParameters.codecs.0.payloadType: Invalid type: Expected number but received "x"" */
export function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string {
  return issues
    .slice(0, 3)
    .map((issue) => {
      const path = v.getDotPath(issue);
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

/** valibot's `object()` takes arrays (they are objects); the protocol's data never is one. */
function notAnObject(method: string): ProtocolError {
  return ProtocolError.invalidData(method, '"data" must be a JSON object, not an array');
}

/**
 * Checks one request's data against its table. Returns the parsed data
 * (unknown keys dropped) or a typed error; never throws.
 */
export function validateRequest<T extends MethodTable, M extends keyof T & string>(
  table: T,
  method: M,
  data: unknown,
): { ok: true; data: RequestData<T, M> } | { ok: false; error: ProtocolError } {
  const entry = Object.hasOwn(table, method) ? table[method] : undefined;
  if (!entry) return { ok: false, error: ProtocolError.unknownMethod(method) };
  if (Array.isArray(data)) return { ok: false, error: notAnObject(method) };
  const result = v.safeParse(entry.request, data);
  return result.success
    ? { ok: true, data: result.output as RequestData<T, M> }
    : { ok: false, error: ProtocolError.invalidData(method, describeIssues(result.issues)) };
}

export function validateNotification<T extends NotificationTable, M extends keyof T & string>(
  table: T,
  method: M,
  data: unknown,
): { ok: true; data: v.InferOutput<T[M]> } | { ok: false; error: ProtocolError } {
  const schema = Object.hasOwn(table, method) ? table[method] : undefined;
  if (!schema) return { ok: false, error: ProtocolError.unknownMethod(method) };
  if (Array.isArray(data)) return { ok: false, error: notAnObject(method) };
  const result = v.safeParse(schema, data);
  return result.success
    ? { ok: true, data: result.output as v.InferOutput<T[M]> }
    : { ok: false, error: ProtocolError.invalidData(method, describeIssues(result.issues)) };
}
