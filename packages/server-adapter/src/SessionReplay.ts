import type {
  NotificationData,
  RequestData,
  ResponseData,
  ServerEndpoint,
  ServerNotifications,
  ServerRequests,
} from '@vroom/protocol';
import { NotificationLog } from './NotificationLog.js';
import { ServerRequestOutbox } from './ServerRequestOutbox.js';

/**
 * High-rate, superseded-at-once notifications: never numbered, never
 * replayed, dropped while the peer has no connection. The others carry
 * state and are numbered for replay.
 */
const EPHEMERAL_NOTIFICATIONS: ReadonlySet<string> = new Set([
  'audioLevels',
  'activeSpeaker',
  'producerScore',
  'consumerScore',
]);

/** What the resume's replay tells the peer. */
export interface ReplayOutcome {
  /** The log overflowed during the hand-over itself: the client cannot catch up. */
  tooFarBehind(): void;
  /** Everything missed went out on the new connection. */
  replayed(count: number): void;
}

/**
 * The session's way to its client: the endpoint of the bound connection (if
 * any), the numbered notifications logged for a replay, and the server's own
 * requests kept until answered. A resume replays both on the new endpoint, in
 * the order they were first made; meanwhile new ones wait in the log and the
 * outbox, so nothing overtakes the replay.
 */
export class SessionReplay {
  readonly #log: NotificationLog;
  readonly #outbox = new ServerRequestOutbox();
  #endpoint: ServerEndpoint | undefined;
  /** Between a resume's answer and the replay: new messages wait in the log and outbox. */
  #replaying = false;

  /** `logSize` 0: nothing is kept (resume is off). */
  constructor(logSize: number) {
    this.#log = new NotificationLog(logSize);
  }

  get endpoint(): ServerEndpoint | undefined {
    return this.#endpoint;
  }

  /** A new connection's endpoint; the old one was unbound first. */
  bind(endpoint: ServerEndpoint): void {
    this.#endpoint = endpoint;
  }

  /** The connection is gone: server requests in flight on it wait for the next one. */
  unbind(): void {
    const endpoint = this.#endpoint;
    this.#endpoint = undefined;
    this.#replaying = false;
    endpoint?.close();
  }

  /** The `seq` of the last numbered notification (0 before any). */
  get lastSeq(): number {
    return this.#log.seq;
  }

  /** The resume can replay everything after `lastSeq` (the log reaches back that far). */
  canReplay(lastSeq: number): boolean {
    return this.#log.after(lastSeq) !== undefined;
  }

  /**
   * Sends the bound endpoint what came after `lastSeq`, right after the
   * caller's answer to the resume request is written (setImmediate runs
   * after it: see consumeRoomAfterReply).
   */
  replayAfter(lastSeq: number, outcome: ReplayOutcome): void {
    const endpoint = this.#endpoint;
    if (!endpoint) return;
    this.#replaying = true;
    setImmediate(() => {
      if (this.#endpoint !== endpoint) return;
      this.#replaying = false;
      const missed = this.#log.after(lastSeq);
      if (!missed) {
        outcome.tooFarBehind();
        return;
      }
      const requests = this.#outbox.unsent(endpoint);
      for (const notification of missed) {
        while (requests[0] && requests[0].afterSeq < notification.seq) requests.shift()?.send();
        endpoint.notify(notification.method as never, notification.data as never, notification.seq);
      }
      for (const request of requests) request.send();
      outcome.replayed(missed.length);
    });
  }

  /** State notifications are numbered and logged for replay, even with no connection. */
  notify<M extends keyof ServerNotifications & string>(
    method: M,
    data: NotificationData<ServerNotifications, M>,
  ): void {
    const endpoint = this.#replaying ? undefined : this.#endpoint;
    if (EPHEMERAL_NOTIFICATIONS.has(method)) {
      endpoint?.notify(method, data);
      return;
    }
    const { seq } = this.#log.append(method, data);
    endpoint?.notify(method, data, seq);
  }

  /** A server request that survives connection loss: re-sent on resume until answered. */
  request<M extends keyof ServerRequests & string>(
    method: M,
    data: RequestData<ServerRequests, M>,
  ): Promise<ResponseData<ServerRequests, M>> {
    const endpoint = this.#replaying ? undefined : this.#endpoint;
    return this.#outbox.request(method, data, endpoint, this.#log.seq);
  }

  /** The object a server request announces is gone: never send it again. */
  cancel(objectId: string): void {
    this.#outbox.cancel(objectId);
  }

  /** The membership ended: the next one starts a new log. */
  clearLog(): void {
    this.#log.clear();
  }

  /** No server request will be answered any more: the waiting ones fail with CLOSED. */
  closeRequests(): void {
    this.#outbox.close();
  }

  /** The session ended: waiting server requests fail with CLOSED, the endpoint closes. */
  close(): void {
    this.#outbox.close();
    this.#endpoint?.close();
    this.#endpoint = undefined;
  }
}
