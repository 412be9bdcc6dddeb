// The capacity bench's media: a UDP socket that sends VP8-shaped RTP into a
// plain-transport producer at a fixed packet rate (key frames every second
// and when the worker asks with a PLI, so new consumers start at once), and
// a UDP sink that counts what the consumers forward to it.
import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';

export const VP8_PT = 101;
export const SSRC = 2222;
const KEY_FRAME_EVERY = 100;

export class Vp8Sender {
  readonly #socket: Socket = createSocket('udp4');
  readonly #payload: Buffer;
  #seq = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  sent = 0;

  /** `packetsPerTick` packets of `packetBytes` every 10 ms. */
  constructor(
    readonly port: number,
    readonly packetBytes: number,
    readonly packetsPerTick: number,
  ) {
    this.#payload = Buffer.alloc(packetBytes - 12 - 4);
    this.#socket.on('message', (packet) => {
      // Any RTCP PLI (PT 206, FMT 1) from the worker: a key frame now.
      if (packet.length >= 8 && packet[1] === 206 && ((packet[0] ?? 0) & 0x1f) === 1)
        this.#send(true);
    });
  }

  start(): void {
    this.#timer = setInterval(() => {
      for (let i = 0; i < this.packetsPerTick; i++) this.#send(this.#seq % KEY_FRAME_EVERY === 0);
    }, 10);
  }

  #send(keyFrame: boolean): void {
    const header = Buffer.alloc(16);
    header[0] = 0x80;
    header[1] = 0x80 | VP8_PT; // marker: one packet per frame
    header.writeUInt16BE(this.#seq & 0xffff, 2);
    header.writeUInt32BE((this.#seq * 900) >>> 0, 4);
    header.writeUInt32BE(SSRC, 8);
    // VP8 payload descriptor (X=1, S=1, partition 0, 7-bit picture id), then
    // the payload header whose P bit is 0 on a key frame.
    header[12] = 0x90;
    header[13] = 0x80;
    header[14] = this.#seq & 0x7f;
    header[15] = keyFrame ? 0x00 : 0x01;
    this.#seq++;
    this.sent++;
    this.#socket.send(Buffer.concat([header, this.#payload]), this.port, '127.0.0.1');
  }

  close(): void {
    clearInterval(this.#timer);
    this.#socket.close();
  }
}

/** Counts forwarded RTP packets (not RTCP, not probation) arriving on 127.0.0.1. */
export class UdpSink {
  readonly #socket: Socket = createSocket('udp4');
  packets = 0;
  bytes = 0;

  async open(): Promise<number> {
    this.#socket.on('message', (packet) => {
      const pt = packet[1] ?? 0;
      if (pt >= 192 && pt <= 223) return; // RTCP (SR, RR, feedback)
      // Seen at this sink: the worker also sends bandwidth probation packets
      // (payload type 127) on plain transports; they are not forwarded media.
      if ((pt & 0x7f) === 127) return;
      this.packets++;
      this.bytes += packet.length;
    });
    await new Promise<void>((resolve) => this.#socket.bind(0, '127.0.0.1', resolve));
    // Hundreds of consumers write here at once: a big receive buffer keeps
    // the kernel from dropping what this process reads a moment later.
    this.#socket.setRecvBufferSize(8 * 2 ** 20);
    return (this.#socket.address() as AddressInfo).port;
  }

  close(): void {
    this.#socket.close();
  }
}
