import * as v from 'valibot';
import {
  DEFAULT_MAX_MESSAGE_BYTES,
  parseMessage,
  type RequestMessage,
  type ResponseMessage,
} from './envelope.js';
import { ErrorCode, ProtocolError } from './errors.js';
import type { MethodTable, RequestData, ResponseData } from './methods.js';
import type { NotificationData, NotificationTable } from './notifications.js';
import { describeIssues, validateNotification, validateRequest } from './validate.js';

/** `{ method: 'produce', data: {...} } | { method: 'join', data: {...} } | ...` */
export type RequestUnion<T extends MethodTable> = {
  [M in keyof T & string]: { method: M; data: RequestData<T, M> };
}[keyof T & string];

export type NotificationUnion<T extends NotificationTable> = {
  [M in keyof T & string]: { method: M; data: NotificationData<T, M> };
}[keyof T & string];

export interface EndpointTables<
  Sent extends MethodTable,
  Answered extends MethodTable,
  Received extends NotificationTable,
> {
  /** Requests this end sends: their response schemas check the answers. */
  sent: Sent;
  /** Requests this end answers: their request schemas check what arrives. */
  answered: Answered;
  /** Notifications this end receives. */
  received: Received;
}

export interface EndpointOptions<Answered extends MethodTable, Received extends NotificationTable> {
  /** Puts one text message on the wire. May throw if the wire is gone. */
  send: (text: string) => void;
  /**
   * Answers a valid incoming request. Resolve with the response data; throw a
   * `ProtocolError` to answer with its code (anything else answers INTERNAL).
   */
  onRequest: (request: RequestUnion<Answered>) => Promise<unknown>;
  /** `seq` is there when the sender numbers its notifications (resumable sessions). */
  onNotification?: (notification: NotificationUnion<Received>, seq?: number) => void;
  /** Malformed or unexpected input that could not be answered (for logging). */
  onError?: (error: ProtocolError) => void;
  /** Default 15 s. */
  requestTimeoutMs?: number;
  maxMessageBytes?: number;
}

interface Pending {
  method: string;
  resolve: (data: unknown) => void;
  reject: (error: ProtocolError) => void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * One end of a signaling channel: sends typed requests and notifications,
 * validates everything that arrives, matches responses to requests and
 * answers incoming requests. The same class serves client and server; it
 * knows nothing of sockets, only a `send` function and `receive()`.
 */
export class Endpoint<
  Sent extends MethodTable,
  Answered extends MethodTable,
  Emitted extends NotificationTable,
  Received extends NotificationTable,
> {
  readonly #tables: EndpointTables<Sent, Answered, Received>;
  readonly #options: EndpointOptions<Answered, Received>;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #closed = false;

  constructor(
    tables: EndpointTables<Sent, Answered, Received>,
    options: EndpointOptions<Answered, Received>,
  ) {
    this.#tables = tables;
    this.#options = options;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Requests sent and not yet answered. */
  get pendingCount(): number {
    return this.#pending.size;
  }

  request<M extends keyof Sent & string>(
    method: M,
    data: RequestData<Sent, M>,
    timeoutMs: number = this.#options.requestTimeoutMs ?? 15_000,
  ): Promise<ResponseData<Sent, M>> {
    if (this.#closed) return Promise.reject(ProtocolError.closed());
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(ProtocolError.timeout(method, timeoutMs));
      }, timeoutMs);
      this.#pending.set(id, {
        method,
        resolve: resolve as (data: unknown) => void,
        reject,
        timer,
      });
      if (this.#write({ id, method, data }) !== true) {
        this.#settle(id, ProtocolError.closed('the channel refused the message'));
      }
    });
  }

  /** Sends a notification, numbered with `seq` when the session replays them. */
  notify<M extends keyof Emitted & string>(
    method: M,
    data: NotificationData<Emitted, M>,
    seq?: number,
  ): boolean {
    if (this.#closed) return false;
    return this.#write(seq === undefined ? { method, data } : { method, data, seq }) === true;
  }

  /** Feeds one raw incoming message. Never throws, whatever the bytes. */
  receive(raw: string | ArrayBuffer | Uint8Array): void {
    if (this.#closed) return;
    const parsed = parseMessage(raw, this.#options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES);
    if (!parsed.ok) {
      this.#report(parsed.error);
      // Answer what we can: the sender should learn why it got nothing back.
      this.#respond(parsed.id, parsed.error);
      return;
    }
    const message = parsed.message;
    switch (message.kind) {
      case 'request':
        void this.#answer(message);
        break;
      case 'response':
        this.#onResponse(message);
        break;
      case 'notification':
        this.#onNotification(message.method, message.data, message.seq);
        break;
    }
  }

  /** Rejects every pending request with CLOSED; later calls are refused. */
  close(reason: ProtocolError = ProtocolError.closed()): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const id of [...this.#pending.keys()]) this.#settle(id, reason);
  }

  async #answer(message: RequestMessage): Promise<void> {
    const checked = validateRequest(this.#tables.answered, message.method, message.data ?? {});
    if (!checked.ok) {
      this.#respond(message.id, checked.error);
      return;
    }
    let response: unknown;
    try {
      response = await this.#options.onRequest({
        method: message.method,
        data: checked.data,
      } as RequestUnion<Answered>);
    } catch (error) {
      this.#respond(message.id, toProtocolError(error));
      return;
    }
    this.#respond(message.id, undefined, response ?? {});
  }

  #onResponse(message: ResponseMessage): void {
    const pending = message.id === null ? undefined : this.#pending.get(message.id);
    if (!pending || message.id === null) {
      if (!message.ok) this.#report(ProtocolError.fromPayload(message.error));
      return;
    }
    if (!message.ok) {
      this.#settle(message.id, ProtocolError.fromPayload(message.error));
      return;
    }
    const schema = this.#tables.sent[pending.method];
    const result = schema ? v.safeParse(schema.response, message.data ?? {}) : undefined;
    if (!result?.success) {
      const why = result ? describeIssues(result.issues) : 'no schema';
      this.#settle(message.id, ProtocolError.invalidData(`${pending.method} response`, why));
      return;
    }
    clearTimeout(pending.timer);
    this.#pending.delete(message.id);
    pending.resolve(result.output);
  }

  #onNotification(method: string, data: unknown, seq: number | undefined): void {
    // Unknown or invalid notifications are reported and skipped, so a newer
    // server can add some without breaking older clients.
    const checked = validateNotification(this.#tables.received, method, data ?? {});
    if (!checked.ok) {
      this.#report(checked.error);
      return;
    }
    try {
      this.#options.onNotification?.(
        { method, data: checked.data } as NotificationUnion<Received>,
        seq,
      );
    } catch (error) {
      this.#report(toProtocolError(error));
    }
  }

  #settle(id: number, error: ProtocolError): void {
    const pending = this.#pending.get(id);
    if (!pending) return;
    clearTimeout(pending.timer);
    this.#pending.delete(id);
    pending.reject(error);
  }

  #respond(id: number | null, error?: ProtocolError, data?: unknown): void {
    if (this.#closed) return;
    const written = this.#write(
      error ? { id, ok: false, error: error.toPayload() } : { id, ok: true, data },
    );
    // An answer that cannot be written as JSON (a cycle, nesting too deep for
    // JSON.stringify) must not leave the requester waiting for nothing.
    if (written === 'unserialisable' && !error) {
      const failure = new ProtocolError(
        ErrorCode.Internal,
        'the answer could not be serialised as JSON; the request may have taken effect',
      );
      this.#write({ id, ok: false, error: failure.toPayload() });
    }
  }

  /** Puts one message on the wire; says what went wrong when it could not. */
  #write(message: object): true | 'unserialisable' | 'unsent' {
    let text: string;
    try {
      text = JSON.stringify(message);
    } catch (error) {
      this.#report(
        new ProtocolError(ErrorCode.Internal, `cannot serialise message: ${String(error)}`),
      );
      return 'unserialisable';
    }
    try {
      this.#options.send(text);
      return true;
    } catch {
      return 'unsent';
    }
  }

  #report(error: ProtocolError): void {
    try {
      this.#options.onError?.(error);
    } catch {
      // A failing logger must not break the channel.
    }
  }
}

function toProtocolError(error: unknown): ProtocolError {
  if (error instanceof ProtocolError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ProtocolError(ErrorCode.Internal, message);
}
