import * as v from 'valibot';
import { ProtocolError } from './errors.js';
import { clientRequests } from './methods.js';
import { serverNotifications } from './notifications.js';
import {
  AppMethodName,
  AppPayload,
  PeerPermissions as PermissionsSchema,
} from './schemas/appMessage.js';
import { describeIssues } from './validate.js';

/**
 * Application messages: requests and notifications an app declares with
 * valibot schemas, the way this package declares the built-in ones, and
 * gets typed and validated at both ends. They travel inside the built-in
 * `appRequest` request and `appNotification` notification, so they share
 * every limit of the protocol (message size, rate, the peer's serial queue).
 */

export interface AppRequestSchemas {
  request: v.GenericSchema;
  response: v.GenericSchema;
}

export type AppRequestTable = Record<string, AppRequestSchemas>;
export type AppNotificationTable = Record<string, v.GenericSchema>;

export interface AppProtocol<
  R extends AppRequestTable = AppRequestTable,
  N extends AppNotificationTable = AppNotificationTable,
> {
  /** Client -> server requests, each answered by the app's handler. */
  readonly requests: R;
  /** Server -> client notifications (to one peer or a room). */
  readonly notifications: N;
}

/** `AppRequestData<typeof myApp, 'raiseHand'>`: what the request carries. */
export type AppRequestData<P extends AppProtocol, M extends keyof P['requests']> = v.InferOutput<
  P['requests'][M]['request']
>;
export type AppResponseData<P extends AppProtocol, M extends keyof P['requests']> = v.InferOutput<
  P['requests'][M]['response']
>;
export type AppNotificationData<
  P extends AppProtocol,
  M extends keyof P['notifications'],
> = v.InferOutput<P['notifications'][M]>;

export type PeerPermissions = v.InferOutput<typeof PermissionsSchema>;

/** Everyone may publish, subscribe and send data; nobody is hidden; recording is opt-in. */
export const DEFAULT_PERMISSIONS: Readonly<PeerPermissions> = Object.freeze<PeerPermissions>({
  publish: ['audio', 'video'],
  publishSources: null,
  subscribe: true,
  publishData: true,
  hidden: false,
  record: false,
});

/** Permissions as `patch` changes `base`; INVALID_DATA (ProtocolError) for a patch that is not permissions. */
export function patchPermissions(
  base: Readonly<PeerPermissions>,
  patch: Partial<PeerPermissions>,
): PeerPermissions {
  const result = v.safeParse(PermissionsSchema, { ...base, ...patch });
  if (!result.success) {
    throw ProtocolError.invalidData('permissions', describeIssues(result.issues));
  }
  return result.output;
}

const builtInNames = new Set<string>([
  ...Object.keys(clientRequests),
  ...Object.keys(serverNotifications),
]);

/**
 * Declares an application's messages. Throws a `TypeError` (a programming
 * error, at startup) for a name that is not a valid app method name or that
 * is a built-in method's: app messages cannot shadow the protocol.
 */
export function defineAppProtocol<
  R extends AppRequestTable = Record<never, AppRequestSchemas>,
  N extends AppNotificationTable = Record<never, v.GenericSchema>,
>(protocol: { requests?: R; notifications?: N }): AppProtocol<R, N> {
  const requests = (protocol.requests ?? {}) as R;
  const notifications = (protocol.notifications ?? {}) as N;
  for (const name of [...Object.keys(requests), ...Object.keys(notifications)]) {
    if (!v.is(AppMethodName, name)) {
      throw new TypeError(
        `app method name "${name}" is invalid: use a letter, then up to 63 of [A-Za-z0-9_.:-]`,
      );
    }
    if (builtInNames.has(name)) {
      throw new TypeError(`app method name "${name}" is a built-in method's: pick another name`);
    }
  }
  return Object.freeze({ requests, notifications });
}

export type AppValidation<T> = { ok: true; data: T } | { ok: false; error: ProtocolError };

/**
 * Checks an app request's data against the app's schema (which direction:
 * `request` on the server, `response` on the client). Never throws: an
 * unknown method is UNKNOWN_METHOD, data that does not match is INVALID_DATA.
 */
export function validateAppRequest(
  protocol: AppProtocol,
  method: string,
  part: 'request' | 'response',
  data: unknown,
): AppValidation<unknown> {
  const entry = Object.hasOwn(protocol.requests, method) ? protocol.requests[method] : undefined;
  if (!entry) return { ok: false, error: ProtocolError.unknownMethod(method) };
  return check(entry[part], method, data);
}

/** Same for an app notification's data. */
export function validateAppNotification(
  protocol: AppProtocol,
  method: string,
  data: unknown,
): AppValidation<unknown> {
  const schema = Object.hasOwn(protocol.notifications, method)
    ? protocol.notifications[method]
    : undefined;
  if (!schema) return { ok: false, error: ProtocolError.unknownMethod(method) };
  return check(schema, method, data);
}

function check(schema: v.GenericSchema, method: string, data: unknown): AppValidation<unknown> {
  // The envelope's bounds first, so an app schema never walks a hostile value.
  const bounded = v.safeParse(AppPayload, data);
  if (!bounded.success) {
    return { ok: false, error: ProtocolError.invalidData(method, describeIssues(bounded.issues)) };
  }
  const result = v.safeParse(schema, data);
  return result.success
    ? { ok: true, data: result.output }
    : { ok: false, error: ProtocolError.invalidData(method, describeIssues(result.issues)) };
}
