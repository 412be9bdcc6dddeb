import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { after, before, describe, it } from 'node:test';
import type { types } from 'mediasoup';
import * as mediasoup from 'mediasoup';
import {
  keyFrameRequestDelay,
  SENDER_KEY_FRAME_INTERVAL_MS,
  trackKeyFrameRequests,
  whenKeyFrameWouldBeHonoured,
} from './keyFramePacing.js';
import { waitFor } from './test/TestClient.js';

// The worker is real; the sender is a UDP socket that speaks VP8 over RTP and
// follows libwebrtc's rule for key frame requests (at most one honoured per
// 300 ms, the others dropped), since a real encoder cannot be steered into
// the collision on demand.

const SSRC = 1111;
const VP8_PT = 101;

class RuleFollowingSender {
  readonly socket: Socket = createSocket('udp4');
  honoured = 0;
  ignored = 0;
  #lastHonouredAt = Number.NEGATIVE_INFINITY;
  #seq = 0;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(readonly port: number) {
    this.socket.on('message', (packet) => {
      if (!isPli(packet)) return;
      const now = Date.now();
      if (now - this.#lastHonouredAt < SENDER_KEY_FRAME_INTERVAL_MS) {
        this.ignored++;
        return;
      }
      this.#lastHonouredAt = now;
      this.honoured++;
      this.send(true);
    });
  }

  /** Delta frames at 30 fps; key frames only when asked. */
  start(): void {
    this.#timer = setInterval(() => this.send(false), 33);
  }

  send(keyFrame: boolean): void {
    const header = Buffer.alloc(12);
    header[0] = 0x80;
    header[1] = 0x80 | VP8_PT; // marker: one packet per frame
    header.writeUInt16BE(this.#seq++ & 0xffff, 2);
    header.writeUInt32BE((this.#seq * 3000) >>> 0, 4);
    header.writeUInt32BE(SSRC, 8);
    // VP8 payload descriptor as browsers send it (X=1, S=1, partition 0, a
    // 7-bit picture id), then the payload header's P bit: 0 for a key frame.
    const pictureId = this.#seq & 0x7f;
    const descriptor = [0x90, 0x80, pictureId];
    const payload = Buffer.from([...descriptor, keyFrame ? 0x00 : 0x01, 0, 0, 0, 0, 0, 0, 0]);
    this.socket.send(Buffer.concat([header, payload]), this.port, '127.0.0.1');
  }

  close(): void {
    clearInterval(this.#timer);
    this.socket.close();
  }
}

/** Walks a compound RTCP packet for a PLI (PT 206, FMT 1). */
function isPli(packet: Buffer): boolean {
  let offset = 0;
  while (offset + 4 <= packet.length) {
    const version = packet[offset]! >> 6;
    const pt = packet[offset + 1]!;
    if (version !== 2) return false;
    if (pt === 206 && (packet[offset]! & 0x1f) === 1) return true;
    offset += (packet.readUInt16BE(offset + 2) + 1) * 4;
  }
  return false;
}

describe('key frame pacing', () => {
  let worker: types.Worker;
  let router: types.Router;

  before(async () => {
    worker = await mediasoup.createWorker({ logLevel: 'none' });
    router = await worker.createRouter({
      mediaCodecs: [{ kind: 'video', mimeType: 'video/VP8', clockRate: 90000 }],
    });
  });
  after(() => worker.close());

  /** A producer fed by the rule-following sender, which has just honoured a request. */
  async function freshProducer() {
    const inbound = await router.createPlainTransport({
      listenIp: '127.0.0.1',
      comedia: true,
      rtcpMux: true,
    });
    const producer = await inbound.produce({
      kind: 'video',
      rtpParameters: {
        codecs: [
          {
            mimeType: 'video/VP8',
            payloadType: VP8_PT,
            clockRate: 90000,
            rtcpFeedback: [{ type: 'nack', parameter: 'pli' }],
          },
        ],
        encodings: [{ ssrc: SSRC }],
      },
    });
    trackKeyFrameRequests(producer);
    const sender = new RuleFollowingSender(inbound.tuple.localPort);
    sender.start(); // the stream's first packet is no key frame: the worker asks for one
    await waitFor(() => sender.honoured === 1, 'the worker asks the new stream for a key frame');
    await waitFor(() => keyFrameRequestDelay(producer.id) > 0, 'the key frame is seen');
    const outbound = await router.createPlainTransport({ listenIp: '127.0.0.1', rtcpMux: true });
    await outbound.connect({ ip: '127.0.0.1', port: 9 }); // discard: only the trace matters
    const consumer = await outbound.consume({
      producerId: producer.id,
      rtpCapabilities: router.rtpCapabilities,
      paused: true,
    });
    let keyFrames = 0;
    await consumer.enableTraceEvent(['keyframe']);
    consumer.on('trace', (event) => {
      if (event.type === 'keyframe') keyFrames++;
    });
    const cleanup = () => {
      sender.close();
      inbound.close();
      outbound.close();
    };
    return { producer, consumer, sender, keyFrames: () => keyFrames, cleanup };
  }

  it('resumes a consumer of a brand-new producer only when its sender would honour the request', async () => {
    const { consumer, sender, keyFrames, cleanup } = await freshProducer();
    try {
      // Started right after the sender's first key frame: resuming now would
      // ask inside its 300 ms window and be dropped (then mediasoup waits 1 s).
      await whenKeyFrameWouldBeHonoured(consumer, () => consumer.resume());
      await waitFor(() => keyFrames() > 0, 'the consumer forwards a key frame');
      assert.equal(sender.ignored, 0, 'no key frame request fell inside the sender window');
      assert.equal(sender.honoured, 2, "the resume's own request brought the key frame");
    } finally {
      cleanup();
    }
  });

  it('a resume at once would have been dropped by such a sender (what the pacing avoids)', async () => {
    const { consumer, sender, keyFrames, cleanup } = await freshProducer();
    try {
      await consumer.resume();
      await waitFor(() => keyFrames() > 0, 'the key frame comes from the worker retry');
      assert.ok(sender.ignored >= 1, 'the first request fell inside the sender window');
    } finally {
      cleanup();
    }
  });

  it('a consumer closed while waiting is never resumed', async () => {
    const { consumer, cleanup } = await freshProducer();
    try {
      let asked = false;
      const waiting = whenKeyFrameWouldBeHonoured(consumer, async () => {
        asked = true;
      });
      consumer.close();
      await waiting;
      assert.equal(asked, false);
    } finally {
      cleanup();
    }
  });
});
