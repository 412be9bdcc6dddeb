/**
 * A scripted stand-in for the vroom server, for the room client's unit
 * tests. The client package must not import @vroom/server-adapter (package
 * boundary, enforced by lint), so this speaks the real protocol through
 * `createServerEndpoint` and answers from a script. The real server and the
 * real mediasoup worker are used in e2e/node/roomClient.test.ts.
 */
import {
  type ClientRequests,
  createServerEndpoint,
  type NotificationData,
  type PeerInfo,
  ProtocolError,
  type RequestData,
  type RequestUnion,
  type ResponseData,
  type ServerEndpoint,
  type ServerNotifications,
  type ServerRequests,
} from '@vroom/protocol';
import { generateRandomNumber } from '../../clone.js';
import * as fake from '../../test/fakeParameters.js';
import { MemoryChannel } from './MemoryChannel.js';

type Method = keyof ClientRequests & string;
type Handler<M extends Method> = (data: RequestData<ClientRequests, M>) => unknown;

export type ReceivedRequest = {
  method: Method;
  data: unknown;
  /** How many times answers had been released when it arrived (0 = before any answer). */
  round: number;
};

export class ScriptedServer {
  readonly received: ReceivedRequest[] = [];
  readonly channels: MemoryChannel[] = [];
  /** Peers announced in the join answer. */
  peers: PeerInfo[] = [];
  /** When true, answers wait for `release()`: each release is one round trip. */
  holdAnswers = false;
  /** When true, `ping` is not answered (a server that hangs without closing). */
  ignorePings = false;
  /** When true, new connections fail to open (the server is down). */
  down = false;
  /** The token the join answer gives; `resumeSession` takes only this one. */
  sessionToken = `scripted-token-${generateRandomNumber()}`;
  /** When false, `resumeSession` is refused with SESSION_EXPIRED (grace over, server restarted). */
  resumable = true;
  /** Numbered notifications sent (or due while the client was away); a resume replays those after its lastSeq. */
  readonly log: { seq: number; method: string; data: unknown }[] = [];
  /** Peer id given by the last join answer. */
  peerId: string | undefined;
  readonly #handlers = new Map<Method, Handler<Method>>();
  readonly #held: (() => void)[] = [];
  readonly #waiters: { check: () => boolean; resolve: () => void }[] = [];
  #rounds = 0;
  #lastSeq = 0;
  #endpoint: ServerEndpoint | undefined;
  #channel: MemoryChannel | undefined;

  constructor() {
    this.on('join', () => {
      const answer = this.joinAnswer();
      this.peerId = answer.peerId;
      this.log.length = 0;
      return answer;
    });
    this.on('resumeSession', (data) => this.resumeAnswer(data));
    this.on('produce', () => ({ producerId: `producer-${generateRandomNumber()}` }));
    this.on('produceData', () => ({ dataProducerId: `dataproducer-${generateRandomNumber()}` }));
    this.on('getConsumerStats', () => ({ stats: [{ type: 'outbound-rtp' }] }));
    this.on('getProducerStats', () => ({ stats: [{ type: 'inbound-rtp' }] }));
    this.on('getTransportStats', () => ({ stats: [{ type: 'webrtc-transport' }] }));
  }

  /** What the default `join` handler answers: a fresh peer id, both transports, `peers`. */
  joinAnswer(): ResponseData<ClientRequests, 'join'> {
    return {
      peerId: `me-${generateRandomNumber()}`,
      routerRtpCapabilities: fake.generateRouterRtpCapabilities() as ResponseData<
        ClientRequests,
        'join'
      >['routerRtpCapabilities'],
      peers: this.peers,
      sendTransport: serverTransport(),
      recvTransport: serverTransport(),
      sessionToken: this.sessionToken,
      resumeWindowMs: 60_000,
    };
  }

  /**
   * What the default `resumeSession` handler does, as the real server: the
   * answer first, then the logged notifications after `lastSeq`; refuses
   * with SESSION_EXPIRED when `resumable` is off or the token is wrong.
   */
  resumeAnswer(
    data: RequestData<ClientRequests, 'resumeSession'>,
  ): ResponseData<ClientRequests, 'resumeSession'> {
    if (!this.resumable || data.sessionToken !== this.sessionToken || !this.peerId) {
      throw new ProtocolError('SESSION_EXPIRED', 'no such session: join again');
    }
    const endpoint = this.endpoint;
    setImmediate(() => {
      for (const entry of this.log) {
        if (entry.seq > data.lastSeq)
          endpoint.notify(entry.method as never, entry.data as never, entry.seq);
      }
    });
    return { peerId: this.peerId, peers: this.peers };
  }

  /** Scripts the answer to `method` (default: `{}`); throw a ProtocolError to refuse. */
  on<M extends Method>(
    method: M,
    handler: (
      data: RequestData<ClientRequests, M>,
    ) => ResponseData<ClientRequests, M> | Promise<ResponseData<ClientRequests, M>>,
  ): void {
    this.#handlers.set(method, handler as Handler<Method>);
  }

  /** A fresh channel for a client (the RoomClient's `channel` factory). */
  readonly channel = (): MemoryChannel => {
    const channel = new MemoryChannel();
    channel.refuseOpen = this.down;
    const endpoint = createServerEndpoint({
      send: (text) => channel.push(text),
      onRequest: (request) => this.#answer(request),
    });
    channel.deliverToServer = (text) => endpoint.receive(text);
    channel.onClientClose = () => endpoint.close();
    this.#endpoint = endpoint;
    this.#channel = channel;
    this.channels.push(channel);
    return channel;
  };

  get endpoint(): ServerEndpoint {
    if (!this.#endpoint) throw new Error('no client connected yet');
    return this.#endpoint;
  }

  get current(): MemoryChannel {
    if (!this.#channel) throw new Error('no client connected yet');
    return this.#channel;
  }

  /**
   * A numbered notification, logged for replay; sent now if the client is
   * connected. `numbered: false` for the ones a real server does not number.
   */
  notify<M extends keyof ServerNotifications & string>(
    method: M,
    data: NotificationData<ServerNotifications, M>,
    { numbered = true } = {},
  ): void {
    const seq = numbered ? ++this.#lastSeq : undefined;
    if (seq !== undefined) this.log.push({ seq, method, data });
    if (this.#channel?.isOpen) this.endpoint.notify(method, data, seq);
  }

  request<M extends keyof ServerRequests & string>(
    method: M,
    data: RequestData<ServerRequests, M>,
  ): Promise<unknown> {
    return this.endpoint.request(method, data);
  }

  /** Requests of `method` received so far, with their data typed. */
  requests<M extends Method>(method: M): { data: RequestData<ClientRequests, M>; round: number }[] {
    return this.received.filter((request) => request.method === method) as {
      data: RequestData<ClientRequests, M>;
      round: number;
    }[];
  }

  /** Answers everything held so far: one round trip ends. */
  release(): void {
    this.#rounds++;
    for (const answer of this.#held.splice(0)) answer();
  }

  /** Resolves once `count` requests of `method` have arrived. */
  waitFor(method: Method, count = 1): Promise<void> {
    return this.#until(() => this.requests(method).length >= count);
  }

  #until(check: () => boolean): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ check, resolve }));
  }

  async #answer(request: RequestUnion<ClientRequests>): Promise<unknown> {
    this.received.push({ method: request.method, data: request.data, round: this.#rounds });
    for (const waiter of [...this.#waiters]) {
      if (waiter.check()) {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
    if (request.method === 'ping' && this.ignorePings) return new Promise(() => undefined);
    const handler = this.#handlers.get(request.method);
    if (this.holdAnswers) await new Promise<void>((resolve) => this.#held.push(resolve));
    return handler ? handler(request.data as never) : {};
  }
}

type WireTransport = NonNullable<ResponseData<ClientRequests, 'join'>['sendTransport']>;

/** Fake transport parameters as they travel on the wire (the client's type is looser). */
function serverTransport(): WireTransport {
  return fake.generateTransportRemoteParameters() as unknown as WireTransport;
}
