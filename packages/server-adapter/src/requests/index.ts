import type { ClientRequests, RequestUnion } from '@vroom/protocol';
import type { Peer } from '../Peer.js';
import { appHandlers } from './app.js';
import { consumerHandlers } from './consumers.js';
import { dataHandlers } from './data.js';
import { joinHandlers } from './join.js';
import { producerHandlers } from './producers.js';
import { sessionHandlers } from './session.js';
import { statsHandlers } from './stats.js';
import { transportHandlers } from './transports.js';
import type { Handler, HandlerTable, ServerContext } from './types.js';

/** Every client request, checked by the compiler to be complete. */
export const handlers: HandlerTable = {
  ...joinHandlers,
  ...sessionHandlers,
  ...transportHandlers,
  ...producerHandlers,
  ...consumerHandlers,
  ...dataHandlers,
  ...statsHandlers,
  ...appHandlers,
};

export function dispatch(
  peer: Peer,
  request: RequestUnion<ClientRequests>,
  server: ServerContext,
): Promise<unknown> {
  // The union of (method, data) pairs loses its correlation through indexing;
  // the Endpoint validated `data` against this very method's schema.
  const handler = handlers[request.method] as Handler<typeof request.method>;
  return handler(peer, request.data as never, server);
}

export type {
  AuthorizeHook,
  HandlerTable,
  JoinRequest,
  ServerContext,
  WebRtcTransportSettings,
} from './types.js';
