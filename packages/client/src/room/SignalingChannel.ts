/**
 * Any duplex text channel to the server: a WebSocket (`WebSocketChannel`), a
 * WebTransport stream, an in-memory pair in tests... The room sets the two
 * callbacks, then calls `open()`.
 *
 * A channel carries ONE connection: once closed it stays closed. The room
 * never assumes a channel lives as long as the room; give it a factory
 * (`channel: () => new MyChannel()`) and every `join()` (and, with issue #7,
 * every resume) opens a fresh one.
 */
export interface SignalingChannel {
  /** Resolves once messages can be sent; rejects if the channel cannot open. */
  open(): Promise<void>;
  /** Puts one text message on the wire; throws if the channel is not open. */
  send(text: string): void;
  /**
   * Closes the channel; `onclose` is NOT called for a close asked this way.
   * `code` (a WebSocket close code) tells the server why: 1000 a leave (the
   * page closed), 4100 a page that may reload; none, a connection the room
   * dropped and may resume.
   */
  close(code?: number): void;
  /** Set by the room: each incoming text message. */
  onmessage: ((text: string) => void) | null;
  /** Set by the room: the channel closed by itself (network, server...). Called at most once. */
  onclose: ((reason: string) => void) | null;
}

/** A channel, or a way to get a fresh one per connection. */
export type SignalingChannelSource = SignalingChannel | (() => SignalingChannel);
