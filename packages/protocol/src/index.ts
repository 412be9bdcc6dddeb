export { PROTOCOL_VERSION } from './version.js';
export { ErrorCode, isErrorCode, ProtocolError, type ErrorPayload } from './errors.js';
export {
  DEFAULT_MAX_MESSAGE_BYTES,
  parseMessage,
  type Message,
  type NotificationMessage,
  type ParseResult,
  type RequestMessage,
  type ResponseMessage,
} from './envelope.js';
export {
  clientRequests,
  serverRequests,
  type ClientRequests,
  type MethodTable,
  type PeerDevice,
  type PeerInfo,
  type RequestData,
  type ResponseData,
  type ServerRequests,
} from './methods.js';
export {
  clientNotifications,
  serverNotifications,
  type ClientNotifications,
  type NotificationData,
  type NotificationTable,
  type ServerNotifications,
} from './notifications.js';
export { describeIssues, validateNotification, validateRequest } from './validate.js';
export {
  Endpoint,
  type EndpointOptions,
  type EndpointTables,
  type NotificationUnion,
  type RequestUnion,
} from './Endpoint.js';
export { createClientEndpoint, createServerEndpoint, type ClientEndpoint, type ServerEndpoint } from './sides.js';
export type * from './schemas/types.js';
