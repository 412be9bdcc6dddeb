import type { ServerEventMap, ServerEventName } from '../ServerEvents.js';
import type { SfuServer } from '../SfuServer.js';
import { WebhookSender, type WebhookSenderOptions } from './WebhookSender.js';

/** Webhook type of each server event: the names receivers switch on. */
export const WEBHOOK_TYPES = {
  roomCreated: 'room.started',
  roomClosed: 'room.finished',
  peerJoined: 'peer.joined',
  peerLeft: 'peer.left',
  peerReconnecting: 'peer.reconnecting',
  peerResumed: 'peer.resumed',
  producerCreated: 'producer.published',
  producerPaused: 'producer.paused',
  producerResumed: 'producer.resumed',
  producerClosed: 'producer.unpublished',
  dataProducerCreated: 'dataProducer.published',
  permissionsChanged: 'peer.permissionsChanged',
  workerDied: 'worker.died',
} as const satisfies Record<ServerEventName, string>;

export type WebhookType = (typeof WEBHOOK_TYPES)[ServerEventName];

export interface ServerWebhooksOptions extends WebhookSenderOptions {
  /** Which server events to send; default all of `WEBHOOK_TYPES`. */
  events?: ServerEventName[];
}

export interface ServerWebhooks {
  readonly sender: WebhookSender;
  /** Stops listening and discards what is queued. */
  close(): void;
}

/**
 * Sends the server's events (`server.events`) as signed webhooks. The
 * listeners only queue: a slow or failing receiver never holds up the server.
 */
export function connectWebhooks(server: SfuServer, options: ServerWebhooksOptions): ServerWebhooks {
  const sender = new WebhookSender(options);
  const names = options.events ?? (Object.keys(WEBHOOK_TYPES) as ServerEventName[]);
  const stops = names.map((name) => listen(server, sender, name));
  return {
    sender,
    close() {
      for (const stop of stops) stop();
      sender.close();
    },
  };
}

function listen<E extends ServerEventName>(
  server: SfuServer,
  sender: WebhookSender,
  name: E,
): () => void {
  const listener = (event: ServerEventMap[E]) => {
    sender.send(WEBHOOK_TYPES[name], toJson(event));
  };
  server.events.on(name, listener);
  return () => server.events.off(name, listener);
}

/** Payloads are plain data, except `workerDied`'s Error: send its message. */
function toJson(event: object): object {
  return Object.fromEntries(
    Object.entries(event).map(([key, value]) => [
      key,
      value instanceof Error ? { name: value.name, message: value.message } : value,
    ]),
  );
}
