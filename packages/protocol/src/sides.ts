import { Endpoint, type EndpointOptions } from './Endpoint.js';
import {
  type ClientRequests,
  clientRequests,
  type ServerRequests,
  serverRequests,
} from './methods.js';
import {
  type ClientNotifications,
  clientNotifications,
  type ServerNotifications,
  serverNotifications,
} from './notifications.js';

/** The client's end: sends client requests, answers server requests. */
export type ClientEndpoint = Endpoint<
  ClientRequests,
  ServerRequests,
  ClientNotifications,
  ServerNotifications
>;
/** The server's end: sends server requests and notifications, answers client requests. */
export type ServerEndpoint = Endpoint<
  ServerRequests,
  ClientRequests,
  ServerNotifications,
  ClientNotifications
>;

export function createClientEndpoint(
  options: EndpointOptions<ServerRequests, ServerNotifications>,
): ClientEndpoint {
  return new Endpoint(
    { sent: clientRequests, answered: serverRequests, received: serverNotifications },
    options,
  );
}

export function createServerEndpoint(
  options: EndpointOptions<ClientRequests, ClientNotifications>,
): ServerEndpoint {
  return new Endpoint(
    { sent: serverRequests, answered: clientRequests, received: clientNotifications },
    options,
  );
}
