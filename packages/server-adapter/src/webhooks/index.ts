export {
  createWebhookReceiver,
  verifyWebhook,
  type WebhookReceiverOptions,
} from './receiver.js';
export {
  connectWebhooks,
  type ServerWebhooks,
  type ServerWebhooksOptions,
  WEBHOOK_TYPES,
  type WebhookType,
} from './serverWebhooks.js';
export {
  DEFAULT_TOLERANCE_SECONDS,
  SIGNATURE_HEADER,
  signWebhook,
  type VerifyOptions,
  verifyWebhookSignature,
  WebhookSignatureError,
  WebhookSignatureErrorCode,
} from './signature.js';
export {
  type WebhookDelivery,
  WebhookSender,
  type WebhookSenderOptions,
  type WebhookStats,
} from './WebhookSender.js';
