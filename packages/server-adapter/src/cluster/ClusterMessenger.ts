import { EventEmitter } from 'node:events';
import * as v from 'valibot';
import { createLogger } from '../logger.js';
import type { Bus } from './Bus.js';
import type { ClusterKeys } from './keys.js';
import { NODE_ID } from './NodeRegistry.js';

const log = createLogger('cluster:ClusterMessenger');

/** Largest bus message accepted or sent, in bytes of JSON. */
export const MAX_BUS_MESSAGE_BYTES = 64 * 1024;

const EnvelopeSchema = v.strictObject({
  v: v.literal(1),
  from: NODE_ID,
  type: v.pipe(v.string(), v.regex(/^[A-Za-z][A-Za-z0-9.]{0,63}$/)),
  roomId: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(128))),
  epoch: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
  body: v.unknown(),
});

export type Envelope = v.InferOutput<typeof EnvelopeSchema>;

/** A message type: the schema its body must match, and what to do with it. */
export interface BusHandler<S extends v.GenericSchema = v.GenericSchema> {
  schema: S;
  handle(body: v.InferOutput<S>, envelope: Envelope): void;
}

export type DropReason =
  | 'too large'
  | 'malformed'
  | 'unknown type'
  | 'unknown node'
  | 'stale epoch'
  | 'bad body';

export interface ClusterMessengerOptions {
  bus: Bus;
  keys: ClusterKeys;
  nodeId: string;
  /** Whether a node is alive now (the registry's view): others are not listened to. */
  isAlive: (nodeId: string) => boolean;
  /** The highest epoch this node has seen for a room; older ones are stale. */
  epochOf: (roomId: string) => number | undefined;
}

export interface ClusterMessengerEvents {
  dropped: [DropReason, string];
}

/**
 * Typed, validated messages between nodes over a `Bus`. Every message is
 * checked before any handler sees it: size, shape, a live sender, a current
 * epoch and the body's own schema. Anything else is dropped with a log line
 * and a `dropped` event; nothing changes.
 */
export class ClusterMessenger extends EventEmitter<ClusterMessengerEvents> {
  readonly #options: ClusterMessengerOptions;
  readonly #handlers = new Map<string, BusHandler>();

  constructor(options: ClusterMessengerOptions) {
    super();
    this.#options = options;
  }

  /** Registers what a message type carries and who handles it. */
  handle<S extends v.GenericSchema>(type: string, handler: BusHandler<S>): void {
    this.#handlers.set(type, handler as unknown as BusHandler);
  }

  /** Listens to this node's own channel. */
  async start(): Promise<void> {
    const { bus, keys, nodeId } = this.#options;
    await bus.subscribe(keys.nodeChannel(nodeId), (payload) => void this.receive(payload));
  }

  async joinRoom(roomId: string): Promise<void> {
    const { bus, keys } = this.#options;
    await bus.subscribe(keys.roomChannel(roomId), (payload) => void this.receive(payload));
  }

  async leaveRoom(roomId: string): Promise<void> {
    const { bus, keys } = this.#options;
    await bus.unsubscribe(keys.roomChannel(roomId));
  }

  async toNode(
    nodeId: string,
    type: string,
    body: unknown,
    scope: { roomId?: string; epoch?: number } = {},
  ): Promise<void> {
    await this.#publish(this.#options.keys.nodeChannel(nodeId), type, body, scope);
  }

  async toRoom(roomId: string, type: string, body: unknown, epoch?: number): Promise<void> {
    await this.#publish(this.#options.keys.roomChannel(roomId), type, body, {
      roomId,
      ...(epoch !== undefined ? { epoch } : {}),
    });
  }

  /** Validates one payload from the bus and hands it to its handler; false if dropped. */
  receive(payload: string): boolean {
    if (payload.length > MAX_BUS_MESSAGE_BYTES) return this.#drop('too large', '');
    let json: unknown;
    try {
      json = JSON.parse(payload);
    } catch {
      return this.#drop('malformed', 'not JSON');
    }
    const parsed = v.safeParse(EnvelopeSchema, json);
    if (!parsed.success) return this.#drop('malformed', parsed.issues[0]?.message ?? '');
    const envelope = parsed.output;
    // Room channels echo our own messages back.
    if (envelope.from === this.#options.nodeId) return false;
    const handler = this.#handlers.get(envelope.type);
    if (!handler) return this.#drop('unknown type', envelope.type);
    if (!this.#options.isAlive(envelope.from)) return this.#drop('unknown node', envelope.from);
    if (envelope.roomId !== undefined && envelope.epoch !== undefined) {
      const known = this.#options.epochOf(envelope.roomId);
      if (known !== undefined && envelope.epoch < known) {
        return this.#drop('stale epoch', `${envelope.from} at ${envelope.epoch} < ${known}`);
      }
    }
    const body = v.safeParse(handler.schema, envelope.body);
    if (!body.success)
      return this.#drop('bad body', `${envelope.type}: ${body.issues[0]?.message}`);
    try {
      handler.handle(body.output, envelope);
    } catch (error) {
      log.error('handler of %s failed: %s', envelope.type, error);
    }
    return true;
  }

  async #publish(
    channel: string,
    type: string,
    body: unknown,
    scope: { roomId?: string; epoch?: number },
  ): Promise<void> {
    const envelope: Envelope = { v: 1, from: this.#options.nodeId, type, ...scope, body };
    const payload = JSON.stringify(envelope);
    if (payload.length > MAX_BUS_MESSAGE_BYTES) {
      throw new RangeError(
        `bus message ${type} is ${payload.length} bytes (max ${MAX_BUS_MESSAGE_BYTES})`,
      );
    }
    await this.#options.bus.publish(channel, payload);
  }

  #drop(reason: DropReason, detail: string): false {
    log.warn('dropped a bus message (%s) %s', reason, detail.slice(0, 200));
    this.emit('dropped', reason, detail);
    return false;
  }
}
