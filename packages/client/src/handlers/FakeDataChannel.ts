/**
 * An RTCDataChannel stand-in for FakeHandler: opens at once, records what is
 * sent, and can play an incoming message (`receive()`) or the remote side
 * closing it (`remoteClose()`).
 */
export class FakeDataChannel extends EventTarget {
  readonly id: number;
  readonly ordered: boolean;
  readonly maxPacketLifeTime: number | null;
  readonly maxRetransmits: number | null;
  readonly label: string;
  readonly protocol: string;
  readonly negotiated = true;
  binaryType: BinaryType = 'arraybuffer';
  bufferedAmount = 0;
  bufferedAmountLowThreshold = 0;
  readyState: RTCDataChannelState = 'open';
  /** Messages given to send(), in order. */
  readonly sent: unknown[] = [];

  constructor(options: {
    id: number;
    ordered?: boolean | undefined;
    maxPacketLifeTime?: number | undefined;
    maxRetransmits?: number | undefined;
    label?: string | undefined;
    protocol?: string | undefined;
  }) {
    super();
    this.id = options.id;
    this.ordered = options.ordered ?? true;
    this.maxPacketLifeTime = options.maxPacketLifeTime ?? null;
    this.maxRetransmits = options.maxRetransmits ?? null;
    this.label = options.label ?? '';
    this.protocol = options.protocol ?? '';
  }

  send(data: unknown): void {
    if (this.readyState !== 'open')
      throw new Error(`data channel is ${this.readyState}: cannot send`);
    this.sent.push(data);
  }

  close(): void {
    if (this.readyState === 'closed') return;
    this.readyState = 'closed';
    this.dispatchEvent(new Event('close'));
  }

  /** Plays a message arriving from the remote side. */
  receive(data: unknown): void {
    this.dispatchEvent(new MessageEvent('message', { data }));
  }

  /** Plays the remote side closing the channel. */
  remoteClose(): void {
    this.close();
  }

  asDataChannel(): RTCDataChannel {
    return this as unknown as RTCDataChannel;
  }
}
