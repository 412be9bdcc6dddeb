import {
  type AppNotificationData,
  type AppProtocol,
  type AppRequestData,
  type AppResponseData,
  validateAppNotification,
  validateAppRequest,
} from '@vroom/protocol';
import { Logger } from '../Logger.js';
import { RoomError } from './errors.js';
import type { RoomClient } from './RoomClient.js';

const logger = new Logger('room:AppMessages');

/**
 * The room client's end of an application protocol (`defineAppProtocol`,
 * shared with the server): typed requests whose data is checked before it
 * leaves and whose answers are checked when they come back, and typed
 * notifications (those that do not match the app's schema are dropped and
 * reported as an `error` event). Kept out of `RoomClient` so apps without
 * app messages do not carry it.
 */
export interface AppMessages<P extends AppProtocol> {
  /** Fails with a `RoomError` whose `protocolCode` says why (INVALID_DATA, UNKNOWN_METHOD, FORBIDDEN...). */
  request<M extends keyof P['requests'] & string>(
    method: M,
    data: AppRequestData<P, M>,
  ): Promise<AppResponseData<P, M>>;
  /** Listens to one app notification; returns the function that stops listening. */
  on<M extends keyof P['notifications'] & string>(
    method: M,
    listener: (data: AppNotificationData<P, M>) => void,
  ): () => void;
}

export function appMessages<P extends AppProtocol>(room: RoomClient, protocol: P): AppMessages<P> {
  return {
    async request(method, data) {
      const outgoing = validateAppRequest(protocol, method, 'request', data);
      if (!outgoing.ok) throw RoomError.requestFailed(method, outgoing.error);
      const answer = await room.appRequest(method, outgoing.data);
      const incoming = validateAppRequest(protocol, method, 'response', answer);
      if (!incoming.ok) throw RoomError.requestFailed(method, incoming.error);
      return incoming.data as AppResponseData<P, typeof method>;
    },
    on(method, listener) {
      const onNotification = (message: { method: string; data: unknown }) => {
        if (message.method !== method) return;
        const checked = validateAppNotification(protocol, method, message.data);
        if (!checked.ok) {
          logger.warn('app notification "%s" dropped: %s', method, checked.error.message);
          room.safeEmit('error', RoomError.requestFailed(method, checked.error));
          return;
        }
        listener(checked.data as AppNotificationData<P, typeof method>);
      };
      room.on('appnotification', onNotification);
      return () => room.off('appnotification', onNotification);
    },
  };
}
