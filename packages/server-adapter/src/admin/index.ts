export { ADMIN_HTTP_STATUS, AdminError, AdminErrorCode } from './AdminError.js';
export { checkAdminCredential, MIN_SECRET_LENGTH, signAdminToken } from './adminToken.js';
export { type AdminHttpHandler, type AdminHttpOptions, createAdminHandler } from './httpAdmin.js';
export { type AdminInput, type AdminOperation, adminInputs } from './inputs.js';
export {
  Moderation,
  type PeerSummary,
  type ProducerSummary,
  type RoomSummary,
  type StreamStats,
} from './Moderation.js';
