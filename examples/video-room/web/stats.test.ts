import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatBitrate, rates, readStats, type StatsReading } from './stats.js';

// getStats() reports as the browser gives them, trimmed to the fields read:
// an RTCStatsReport is a read-only Map of id -> stats dictionary.
function report(...entries: Record<string, unknown>[]): RTCStatsReport {
  return new Map(entries.map((e, i) => [String(i), e])) as unknown as RTCStatsReport;
}

const reading = (over: Partial<StatsReading>): StatsReading => ({
  kind: 'video',
  timestamp: 0,
  bytes: 0,
  packets: 0,
  lost: 0,
  width: undefined,
  height: undefined,
  fps: undefined,
  ...over,
});

describe('readStats', () => {
  it('reads a received video stream: bytes, packets, loss, size and frame rate', () => {
    const got = readStats(
      report(
        { type: 'transport', timestamp: 1, bytesReceived: 999 },
        {
          type: 'inbound-rtp',
          kind: 'video',
          timestamp: 5000,
          bytesReceived: 125_000,
          packetsReceived: 200,
          packetsLost: 3,
          frameWidth: 640,
          frameHeight: 360,
          framesPerSecond: 29.7,
        },
      ),
      'inbound',
    );
    assert.deepEqual(got, {
      kind: 'video',
      timestamp: 5000,
      bytes: 125_000,
      packets: 200,
      lost: 3,
      width: 640,
      height: 360,
      fps: 29.7,
    });
  });

  it('sums the simulcast layers we send, takes size and rate of the largest, loss from the receiver', () => {
    const layer = (rid: string, width: number, bytesSent: number) => ({
      type: 'outbound-rtp',
      kind: 'video',
      rid,
      timestamp: 7000,
      bytesSent,
      packetsSent: 100,
      frameWidth: width,
      frameHeight: (width * 9) / 16,
      framesPerSecond: width / 40,
    });
    const got = readStats(
      report(
        layer('r0', 320, 1000),
        layer('r2', 1280, 30_000),
        layer('r1', 640, 9000),
        { type: 'remote-inbound-rtp', kind: 'video', timestamp: 7000, packetsLost: 2 },
        { type: 'remote-inbound-rtp', kind: 'video', timestamp: 7000, packetsLost: 1 },
      ),
      'outbound',
    );
    assert.equal(got?.bytes, 40_000);
    assert.equal(got?.packets, 300);
    assert.equal(got?.lost, 3);
    assert.equal(got?.width, 1280);
    assert.equal(got?.height, 720);
    assert.equal(got?.fps, 32);
  });

  it('falls back to audio when the report has no video, and to nothing when it has no RTP', () => {
    const audio = readStats(
      report({ type: 'inbound-rtp', kind: 'audio', timestamp: 1, bytesReceived: 10 }),
      'inbound',
    );
    assert.equal(audio?.kind, 'audio');
    assert.equal(audio?.width, undefined);
    assert.equal(readStats(report({ type: 'transport', timestamp: 1 }), 'inbound'), undefined);
  });
});

describe('rates', () => {
  it('gives bits per second and the share of packets lost over the interval', () => {
    const figures = rates(
      reading({ timestamp: 1000, bytes: 10_000, packets: 100, lost: 0 }),
      reading({ timestamp: 3000, bytes: 260_000, packets: 290, lost: 10 }),
    );
    assert.deepEqual(figures, { bitsPerSecond: 1_000_000, loss: 0.05 });
  });

  it('cannot compare readings out of order, with counters gone back, or of another kind', () => {
    assert.equal(rates(reading({ timestamp: 2 }), reading({ timestamp: 1 })), undefined);
    assert.equal(
      rates(reading({ timestamp: 1, bytes: 500 }), reading({ timestamp: 2, bytes: 100 })),
      undefined,
    );
    assert.equal(
      rates(reading({ timestamp: 1 }), reading({ timestamp: 2, kind: 'audio' })),
      undefined,
    );
  });

  it('counts no loss when no packet moved', () => {
    assert.equal(rates(reading({ timestamp: 1 }), reading({ timestamp: 2 }))?.loss, 0);
  });
});

describe('formatBitrate', () => {
  it('uses kb/s below a megabit and Mb/s with two decimals above', () => {
    assert.equal(formatBitrate(0), '0 kb/s');
    assert.equal(formatBitrate(149_600), '150 kb/s');
    assert.equal(formatBitrate(1_234_567), '1.23 Mb/s');
  });
});
