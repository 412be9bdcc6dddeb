import {
  clientRequests,
  ErrorCode,
  type MethodTable,
  parseMessage,
  serverNotifications,
  serverRequests,
  validateNotification,
  validateRequest,
} from '@vroom/protocol';
import type { SfuServer } from '../SfuServer.js';
import { createConnectionPair, type MemoryConnection } from '../test/MemoryConnection.js';
import type { IdPool } from './IdPool.js';
import type { FuzzMessage, ServerRequestAnswer } from './messages.js';
import { type RefResolver, render } from './wire.js';

interface Expected {
  /** Methods sent with this id, in order (an id may be sent more than once). */
  methods: string[];
  /** The last request sent with this id, shortened: what an INTERNAL report shows. */
  sent: string;
  /** Answers owed: more than one when the same id was sent more than once. */
  owed: number;
  answered: number;
}

/** What every fuzzing client tallies, summed over a whole fuzzing session. */
export interface Tally {
  messages: number;
  answers: number;
  /** Answers by error code (`ok` for successes). */
  codes: Record<string, number>;
  /** First few INTERNAL answers: a valid request the server could not classify. */
  internal: string[];
}

export function emptyTally(): Tally {
  return { messages: 0, answers: 0, codes: {}, internal: [] };
}

/** Each method's response schema in the request slot, so `validateRequest` checks answers. */
const answers: MethodTable = Object.fromEntries(
  Object.entries(clientRequests).map(([method, { response }]) => [
    method,
    { request: response, response },
  ]),
);

const shorten = (raw: string | Uint8Array, max = 1500): string => {
  const text = typeof raw === 'string' ? raw : `<${raw.byteLength} bytes>`;
  return text.length > max ? `${text.slice(0, max)}...` : text;
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A client that sends generated messages over an in-memory connection and
 * holds the server to the protocol: it works out, with the protocol's own
 * envelope parser, which messages owe an answer (by id, or with a null id
 * when no id could be read), counts the answers, and checks everything the
 * server sends against the tables. Violations are collected, not thrown: the
 * runner reports them all after the run.
 */
export class FuzzClient {
  readonly violations: string[] = [];
  readonly #connection: MemoryConnection;
  readonly #expected = new Map<number, Expected>();
  readonly #pool: IdPool;
  readonly #tally: Tally;
  readonly #maxBytes: number;
  #nullOwed = 0;
  #nullAnswered = 0;
  #nextId = 1;
  #lastId = 0;
  #closedByUs = false;
  #answerPolicy: ServerRequestAnswer = 'ok';
  #waiters: (() => void)[] = [];
  /** The last messages both ways, shortened: what a failure report shows. */
  readonly #recent: string[] = [];

  constructor(server: SfuServer, pool: IdPool, tally: Tally, remoteAddress: string) {
    const [serverSide, clientSide] = createConnectionPair();
    this.#connection = clientSide;
    this.#pool = pool;
    this.#tally = tally;
    this.#maxBytes = server.limits.maxMessageBytes;
    clientSide.onMessage((data) => {
      this.#onMessage(data);
      this.#wake();
    });
    clientSide.onClose(() => this.#wake());
    server.handleConnection(serverSide, { remoteAddress });
  }

  set answerPolicy(policy: ServerRequestAnswer) {
    this.#answerPolicy = policy;
  }

  /** Closed by the server (not by `close()`): unanswered requests are then not owed. */
  get closedByServer(): { code: number | undefined; reason: string | undefined } | undefined {
    const { closed, closeCode, closeReason } = this.#connection;
    return closed && !this.#closedByUs ? { code: closeCode, reason: closeReason } : undefined;
  }

  send(message: FuzzMessage): void {
    if (this.#connection.closed) return;
    const raw = this.#encode(message);
    this.#owe(raw);
    this.#tally.messages++;
    this.#remember('>', raw);
    this.#connection.sendRaw(raw);
  }

  /** True once every answer owed has arrived (or the server closed the connection). */
  get settled(): boolean {
    if (this.#connection.closed) return true;
    if (this.#nullAnswered < this.#nullOwed) return false;
    for (const entry of this.#expected.values()) if (entry.answered < entry.owed) return false;
    return true;
  }

  /** Resolves true once settled, false if `timeoutMs` passes first. */
  whenSettled(timeoutMs: number): Promise<boolean> {
    if (this.settled) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((waiter) => waiter !== done);
        resolve(false);
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.#waiters.push(done);
    });
  }

  #wake(): void {
    if (this.#waiters.length === 0 || !this.settled) return;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) waiter();
  }

  /** What is still owed, for the failure report. */
  unanswered(): string[] {
    const missing = [...this.#expected]
      .filter(([, entry]) => entry.answered < entry.owed)
      .map(([id, entry]) => `id ${id} (${entry.methods}): ${entry.answered}/${entry.owed} answers`);
    if (this.#nullAnswered < this.#nullOwed)
      missing.push(`${this.#nullOwed - this.#nullAnswered} answers with a null id`);
    if (missing.length > 0) missing.push(`last messages:\n    ${this.#recent.join('\n    ')}`);
    return missing;
  }

  /** Checks answer counts once settled; answering twice is a violation at once. */
  finish(): void {
    if (this.#nullAnswered > this.#nullOwed)
      this.violations.push(`${this.#nullAnswered} null-id answers for ${this.#nullOwed} owed`);
  }

  close(): void {
    this.#closedByUs = !this.#connection.closed;
    this.#connection.close();
  }

  #encode(message: FuzzMessage): string | Uint8Array {
    const resolve: RefResolver = (kind, index) => {
      if (kind !== 'requestId') return this.#pool.pick(kind, index);
      if (index === 1 && this.#lastId > 0) return this.#lastId;
      this.#lastId = this.#nextId++;
      return this.#lastId;
    };
    switch (message.kind) {
      case 'value':
        return render(message.value, resolve);
      case 'truncated': {
        const text = render(message.value, resolve);
        return text.slice(0, message.keep % Math.max(1, text.length));
      }
      case 'text':
        return message.text;
      case 'bytes':
        return message.bytes;
    }
  }

  /** The server parses with the same function: what it can read as a request id, it must answer. */
  #owe(raw: string | Uint8Array): void {
    const parsed = parseMessage(raw, this.#maxBytes);
    let id: number | null;
    let method = '?';
    if (parsed.ok) {
      if (parsed.message.kind !== 'request') return;
      id = parsed.message.id;
      method = parsed.message.method;
    } else {
      id = parsed.id;
    }
    if (id === null) {
      this.#nullOwed++;
      return;
    }
    const entry = this.#expected.get(id);
    if (entry) {
      entry.owed++;
      entry.methods.push(method);
      entry.sent = shorten(raw);
    } else this.#expected.set(id, { methods: [method], sent: shorten(raw), owed: 1, answered: 0 });
  }

  #remember(direction: string, raw: string | ArrayBuffer | Uint8Array): void {
    const text = typeof raw === 'string' ? raw : `<${raw.byteLength} bytes>`;
    this.#recent.push(`${direction} ${text.length > 160 ? `${text.slice(0, 160)}...` : text}`);
    if (this.#recent.length > 16) this.#recent.shift();
  }

  #onMessage(data: string | ArrayBuffer | Uint8Array): void {
    this.#remember('<', data);
    const parsed = parseMessage(data, Number.MAX_SAFE_INTEGER);
    if (!parsed.ok) {
      this.violations.push(`the server sent a malformed message: ${parsed.error.message}`);
      return;
    }
    const message = parsed.message;
    if (message.kind === 'response') this.#onResponse(message);
    else if (message.kind === 'request')
      this.#onServerRequest(message.id, message.method, message.data);
    else {
      const checked = validateNotification(
        serverNotifications,
        message.method as never,
        message.data,
      );
      if (!checked.ok)
        this.violations.push(`notification from the server: ${checked.error.message}`);
    }
  }

  #onResponse(message: Extract<ReturnType<typeof parseMessage>, { ok: true }>['message']): void {
    if (message.kind !== 'response') return;
    this.#tally.answers++;
    const code = message.ok ? 'ok' : message.error.code;
    this.#tally.codes[code] = (this.#tally.codes[code] ?? 0) + 1;
    if (message.id === null) {
      this.#nullAnswered++;
      return;
    }
    const entry = this.#expected.get(message.id);
    if (!entry) {
      this.violations.push(`an answer to id ${message.id}, which was never sent`);
      return;
    }
    entry.answered++;
    if (entry.answered > entry.owed)
      this.violations.push(`id ${message.id} (${entry.methods}) answered ${entry.answered} times`);
    if (!message.ok) {
      if (code === ErrorCode.Internal && this.#tally.internal.length < 20)
        this.#tally.internal.push(`${message.error.message}\n    for ${entry.sent}`);
      return;
    }
    // With an id sent twice, the answer must fit one of the methods sent with it.
    const checks = entry.methods.map((method) => validateRequest(answers, method, message.data));
    const failed = checks.find((check) => !check.ok);
    if (failed && !failed.ok && !checks.some((check) => check.ok))
      this.violations.push(`ok answer of id ${message.id}: ${failed.error.message}`);
    this.#learn(message.data);
  }

  /** Ids in answers become references later messages can name. */
  #learn(data: unknown): void {
    if (!isRecord(data)) return;
    this.#pool.add('peer', data.peerId);
    this.#pool.add('token', data.sessionToken);
    this.#pool.add('producer', data.producerId);
    this.#pool.add('dataProducer', data.dataProducerId);
    for (const transport of [data.sendTransport, data.recvTransport, data])
      if (isRecord(transport) && isRecord(transport.iceParameters))
        this.#pool.add('transport', transport.id);
  }

  #onServerRequest(id: number, method: string, data: unknown): void {
    const checked = validateRequest(serverRequests, method as never, data);
    if (!checked.ok) this.violations.push(`server request: ${checked.error.message}`);
    if (isRecord(data) && method === 'newConsumer') this.#pool.add('consumer', data.id);
    if (this.#connection.closed) return;
    switch (this.#answerPolicy) {
      case 'ok':
        this.#connection.sendRaw(JSON.stringify({ id, ok: true, data: {} }));
        return;
      case 'error':
        this.#connection.sendRaw(
          JSON.stringify({ id, ok: false, error: { code: 'INTERNAL', message: 'refused' } }),
        );
        return;
      case 'garbage':
        // A response the envelope takes but the method's schema does not.
        this.#connection.sendRaw(JSON.stringify({ id, ok: true, data: [id] }));
        return;
      case 'never':
        return;
    }
  }
}
