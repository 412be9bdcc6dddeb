import {
  ErrorCode,
  ProtocolError,
  type RequestData,
  type ResponseData,
  type ServerEndpoint,
  type ServerRequests,
} from '@vroom/protocol';

type Method = keyof ServerRequests & string;

interface Entry {
  method: Method;
  data: RequestData<ServerRequests, Method>;
  resolve: (data: unknown) => void;
  reject: (error: ProtocolError) => void;
  /** The endpoint it is in flight on; undefined while it waits for a connection. */
  sentOn: ServerEndpoint | undefined;
  /** The last numbered notification before it: a replay keeps the original order. */
  afterSeq: number;
}

/** A request to (re)send on a resumed connection, placed among the replayed notifications. */
export interface UnsentRequest {
  afterSeq: number;
  send(): void;
}

/**
 * The server's own requests (`newConsumer`, `newDataConsumer`) of one
 * session. They outlive the connection they were sent on: when it dies they
 * wait, and a resumed connection gets them again (the client ignores an id
 * it already has). Only the client's answer, a refusal or a timeout on a
 * live connection settles one; a lost connection never does.
 */
export class ServerRequestOutbox {
  readonly #entries = new Set<Entry>();
  #closed = false;

  /** Sends now on `endpoint`, or later (`unsent`) when there is none. */
  request<M extends Method>(
    method: M,
    data: RequestData<ServerRequests, M>,
    endpoint: ServerEndpoint | undefined,
    afterSeq: number,
  ): Promise<ResponseData<ServerRequests, M>> {
    if (this.#closed) return Promise.reject(ProtocolError.closed('the session ended'));
    return new Promise((resolve, reject) => {
      const entry: Entry = {
        method,
        data,
        resolve: resolve as (data: unknown) => void,
        reject,
        sentOn: undefined,
        afterSeq,
      };
      this.#entries.add(entry);
      if (endpoint) this.#send(entry, endpoint);
    });
  }

  /** The requests not in flight on `endpoint`, in their original order, each ready to send there. */
  unsent(endpoint: ServerEndpoint): UnsentRequest[] {
    return [...this.#entries]
      .filter((entry) => entry.sentOn !== endpoint)
      .map((entry) => ({
        afterSeq: entry.afterSeq,
        send: () => {
          if (this.#entries.has(entry) && entry.sentOn !== endpoint) this.#send(entry, endpoint);
        },
      }));
  }

  /** The object a request announces is gone: never send it again. */
  cancel(objectId: string): void {
    for (const entry of this.#entries) {
      if (entry.data.id !== objectId) continue;
      this.#entries.delete(entry);
      entry.reject(ProtocolError.closed(`"${objectId}" closed before the client answered`));
    }
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The session ended: everything still waiting fails with CLOSED. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const entry of this.#entries) entry.reject(ProtocolError.closed('the session ended'));
    this.#entries.clear();
  }

  #send(entry: Entry, endpoint: ServerEndpoint): void {
    entry.sentOn = endpoint;
    endpoint.request(entry.method, entry.data as never).then(
      (response) => {
        if (!this.#entries.delete(entry)) return;
        entry.resolve(response);
      },
      (error: ProtocolError) => {
        // Superseded by a send on a newer connection: that one decides.
        if (entry.sentOn !== endpoint || !this.#entries.has(entry)) return;
        if (error.code === ErrorCode.Closed && !this.#closed) {
          // The connection died under it: wait for a resumed one.
          entry.sentOn = undefined;
          return;
        }
        this.#entries.delete(entry);
        entry.reject(error);
      },
    );
  }
}
