import type { IncomingMessage, ServerResponse } from 'node:http';
import { createLogger } from '../logger.js';
import { BodyTooLargeError, readBody } from '../readBody.js';
import {
  SIGNATURE_HEADER,
  type VerifyOptions,
  verifyWebhookSignature,
  WebhookSignatureError,
} from './signature.js';
import type { WebhookDelivery } from './WebhookSender.js';

const log = createLogger('webhooks:receiver');

export interface WebhookReceiverOptions {
  secret: string;
  /** Called once per verified delivery (retries carry the same `id`). A throw answers 500: the sender retries. */
  onEvent: (delivery: WebhookDelivery) => void | Promise<void>;
  toleranceSeconds?: number;
  /** Default 64 KB. */
  maxBodyBytes?: number;
}

/**
 * Verifies one delivery: the raw body as received, its signature header.
 * Returns the parsed delivery or throws `WebhookSignatureError`.
 */
export function verifyWebhook(
  secret: string,
  rawBody: string,
  signatureHeader: string | undefined,
  options: VerifyOptions = {},
): WebhookDelivery {
  verifyWebhookSignature(secret, rawBody, signatureHeader, options);
  const delivery = JSON.parse(rawBody) as WebhookDelivery;
  if (typeof delivery?.id !== 'string' || typeof delivery.type !== 'string') {
    throw new WebhookSignatureError('MALFORMED', 'a signed body that is not a delivery');
  }
  return delivery;
}

/**
 * An `http` handler for the app that receives webhooks: 204 once `onEvent`
 * ran, 401 on a missing, stale or wrong signature (nothing called), 405,
 * 413 past `maxBodyBytes`, 500 if `onEvent` threw (the sender retries).
 */
export function createWebhookReceiver(
  options: WebhookReceiverOptions,
): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  return async (request, response) => {
    if (request.method !== 'POST') {
      response.writeHead(405, { allow: 'POST' }).end();
      return;
    }
    let delivery: WebhookDelivery;
    try {
      const body = (await readBody(request, options.maxBodyBytes ?? 64 * 1024)).toString('utf8');
      const header = request.headers[SIGNATURE_HEADER];
      delivery = verifyWebhook(
        options.secret,
        body,
        typeof header === 'string' ? header : undefined,
        {
          ...(options.toleranceSeconds !== undefined
            ? { toleranceSeconds: options.toleranceSeconds }
            : {}),
        },
      );
    } catch (error) {
      const status = error instanceof BodyTooLargeError ? 413 : 401;
      log.debug('refused a delivery: %s', error);
      response
        .writeHead(status, { 'content-type': 'text/plain', connection: 'close' })
        .end(`${(error as Error).message}\n`);
      return;
    }
    try {
      await options.onEvent(delivery);
      response.writeHead(204).end();
    } catch (error) {
      log.error('webhook handler failed on %s %s: %s', delivery.type, delivery.id, error);
      response.writeHead(500).end();
    }
  };
}
