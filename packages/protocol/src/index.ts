export {
  type AppNotificationData,
  type AppNotificationTable,
  type AppProtocol,
  type AppRequestData,
  type AppRequestSchemas,
  type AppRequestTable,
  type AppResponseData,
  type AppValidation,
  DEFAULT_PERMISSIONS,
  defineAppProtocol,
  type PeerPermissions,
  patchPermissions,
  validateAppNotification,
  validateAppRequest,
} from './app.js';
export {
  RTP_CAPABILITIES_DIGEST_LENGTH,
  rtpCapabilitiesDigest,
} from './capabilitiesDigest.js';
export {
  Endpoint,
  type EndpointOptions,
  type EndpointTables,
  type NotificationUnion,
  type RequestUnion,
} from './Endpoint.js';
export {
  DEFAULT_MAX_MESSAGE_BYTES,
  type Message,
  type NotificationMessage,
  type ParseResult,
  parseMessage,
  type RequestMessage,
  type ResponseMessage,
} from './envelope.js';
export { ErrorCode, type ErrorPayload, isErrorCode, ProtocolError } from './errors.js';
export { MAX_DISPLAY_NAME_LENGTH, MAX_ROOM_ID_LENGTH } from './joinLimits.js';
export {
  type ClientRequests,
  clientRequests,
  JOIN_SEND_TRANSPORT,
  type MethodTable,
  type PeerDevice,
  type PeerInfo,
  type RequestData,
  type ResponseData,
  type ServerRequests,
  serverRequests,
} from './methods.js';
export { ModerationReason, moderationNotifications } from './moderation.js';
export {
  type ClientNotifications,
  clientNotifications,
  type NotificationData,
  type NotificationTable,
  type ServerNotifications,
  serverNotifications,
} from './notifications.js';
export {
  AppData as AppDataSchema,
  appDataProblem,
  MAX_APP_DATA_BYTES,
  MAX_APP_DATA_DEPTH,
} from './schemas/appData.js';
export { MAX_APP_MESSAGE_DEPTH } from './schemas/appMessage.js';
export { codecOfOtherKind } from './schemas/rtp.js';
export type * from './schemas/types.js';
export {
  type ClientEndpoint,
  createClientEndpoint,
  createServerEndpoint,
  type ServerEndpoint,
} from './sides.js';
export { describeIssues, validateNotification, validateRequest } from './validate.js';
export { PROTOCOL_VERSION } from './version.js';
