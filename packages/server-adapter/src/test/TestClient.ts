import {
  type ClientEndpoint,
  type ClientRequests,
  createClientEndpoint,
  type NotificationData,
  type NotificationUnion,
  PROTOCOL_VERSION,
  type ProtocolError,
  type RequestData,
  type ResponseData,
  type ServerNotifications,
  type ServerRequests,
} from '@vroom/protocol';
import type { SfuServer } from '../SfuServer.js';
import { createConnectionPair, type MemoryConnection } from './MemoryConnection.js';

type NewConsumer = RequestData<ServerRequests, 'newConsumer'>;
type NewDataConsumer = RequestData<ServerRequests, 'newDataConsumer'>;
type Notification = NotificationUnion<ServerNotifications>;

/**
 * A protocol-level client for adapter tests: the real client endpoint over an
 * in-memory connection, recording what the server sends. It answers server
 * requests OK unless `refuseConsumers` is set.
 */
export class TestClient {
  readonly endpoint: ClientEndpoint;
  readonly connection: MemoryConnection;
  readonly notifications: Notification[] = [];
  /** `seq` of each notification, in arrival order (undefined for unnumbered ones). */
  readonly seqs: (number | undefined)[] = [];
  readonly consumers: NewConsumer[] = [];
  readonly dataConsumers: NewDataConsumer[] = [];
  readonly errors: ProtocolError[] = [];
  refuseConsumers = false;
  /** Never answer server requests (a client that hangs mid-flow). */
  ignoreConsumers = false;
  peerId = '';
  /** From the join response: what `resumeSession` needs. */
  sessionToken = '';

  constructor(server: SfuServer, remoteAddress = '127.0.0.1') {
    const [serverSide, clientSide] = createConnectionPair();
    this.connection = clientSide;
    this.endpoint = createClientEndpoint({
      send: (text) => clientSide.send(text),
      onRequest: async (request) => {
        if (request.method === 'newConsumer') this.consumers.push(request.data);
        else this.dataConsumers.push(request.data);
        if (this.refuseConsumers) throw new Error('this test client refuses consumers');
        if (this.ignoreConsumers) return new Promise(() => undefined);
        return {};
      },
      onNotification: (notification, seq) => {
        this.notifications.push(notification);
        this.seqs.push(seq);
      },
      onError: (error) => this.errors.push(error),
      requestTimeoutMs: 5_000,
    });
    clientSide.onMessage((data) => this.endpoint.receive(data));
    clientSide.onClose(() => this.endpoint.close());
    server.handleConnection(serverSide, { remoteAddress });
  }

  request<M extends keyof ClientRequests & string>(
    method: M,
    data: RequestData<ClientRequests, M>,
  ): Promise<ResponseData<ClientRequests, M>> {
    return this.endpoint.request(method, data);
  }

  async join(
    roomId: string,
    extra: Partial<RequestData<ClientRequests, 'join'>> = {},
  ): Promise<ResponseData<ClientRequests, 'join'>> {
    const response = await this.request('join', {
      protocolVersion: PROTOCOL_VERSION,
      roomId,
      displayName: 'tester',
      device: { name: 'node-test' },
      ...extra,
    });
    this.peerId = response.peerId;
    this.sessionToken = response.sessionToken ?? '';
    return response;
  }

  /** The highest notification number seen: what a resuming client sends as `lastSeq`. */
  get lastSeq(): number {
    return Math.max(0, ...this.seqs.map((seq) => seq ?? 0));
  }

  /** Takes over `sessionToken`'s session on this (new) connection. */
  async resume(
    sessionToken: string,
    lastSeq: number,
  ): Promise<ResponseData<ClientRequests, 'resumeSession'>> {
    const response = await this.request('resumeSession', {
      protocolVersion: PROTOCOL_VERSION,
      sessionToken,
      lastSeq,
    });
    this.peerId = response.peerId;
    this.sessionToken = sessionToken;
    return response;
  }

  /** Notifications of one method, data only. */
  received<M extends keyof ServerNotifications & string>(
    method: M,
  ): NotificationData<ServerNotifications, M>[] {
    return this.notifications
      .filter((n) => n.method === method)
      .map((n) => n.data as NotificationData<ServerNotifications, M>);
  }

  /** Closes the connection; no code is a lost link, 1000/1001 a page that left (see `closeMeaning`). */
  disconnect(code?: number): void {
    this.connection.close(code);
  }
}

/**
 * Waits until `check` returns something other than undefined/false. Not a
 * timing assertion: the deadline only turns a hang into a readable failure.
 */
export async function waitFor<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs = 8_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
