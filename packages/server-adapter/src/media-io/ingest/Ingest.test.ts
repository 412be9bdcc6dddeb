import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { createSfuServer, type SfuServer } from '../../index.js';
import { liveObjects } from '../../test/liveObjects.js';
import { joinWithMedia } from '../../test/rooms.js';
import { waitFor } from '../../test/TestClient.js';
import { Ingest } from './Ingest.js';
import { IngestError } from './IngestError.js';

let server: SfuServer;
before(async () => {
  server = await createSfuServer({ workers: 1, workerSettings: { logLevel: 'none' } });
});
after(() => server.close());

/** The tool runs until the test ends it; `stopTool` waits for its exit, so no child outlives a test. */
function startTool(command: string, args: string[]): ChildProcess {
  return spawn(command, args, { stdio: ['ignore', 'ignore', 'inherit'] });
}

async function stopTool(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

/** Bytes the worker accepted into the ingest's producer of that kind. */
async function producerBytes(ingest: Ingest, kind: 'audio' | 'video'): Promise<number> {
  const stats = (await ingest.producer(kind)?.getStats()) ?? [];
  return stats.reduce((sum, s) => sum + s.byteCount, 0);
}

async function bothKindsFlow(ingest: Ingest): Promise<void> {
  await waitFor(
    async () =>
      (await producerBytes(ingest, 'audio')) > 2_000 &&
      (await producerBytes(ingest, 'video')) > 20_000,
    'audio and video bytes accepted by the producers',
    15_000,
  );
}

describe('Ingest: RTP in from real encoders', () => {
  it('FFmpeg test sources (Opus + VP8): peers are offered both, the worker accepts the packets, stop cleans up', async () => {
    const roomId = 'ingest-ffmpeg';
    const { client } = await joinWithMedia(server, roomId);
    const counts = await liveObjects(server);
    const ingest = await Ingest.create(server, { roomId, displayName: 'FFmpeg' });
    assert.deepEqual(
      ingest.endpoints.map((e) => [e.kind, e.stream.mimeType, e.rtcpMux, e.rtcpPort !== e.rtpPort]),
      [
        ['audio', 'audio/opus', false, true],
        ['video', 'video/VP8', false, true],
      ],
    );
    await waitFor(
      () => client.consumers.filter((c) => c.peerId === ingest.participant.id).length === 2,
      'newConsumer for the ingest audio and video',
    );
    const ffmpeg = startTool('ffmpeg', ingest.ffmpegArgs());
    try {
      await bothKindsFlow(ingest);
    } finally {
      await stopTool(ffmpeg);
    }
    const closed = once(ingest, 'closed');
    ingest.stop();
    assert.deepEqual(await closed, ['stopped']);
    await waitFor(
      () => client.received('peerLeft').some((p) => p.peerId === ingest.participant.id),
      'peerLeft',
    );
    assert.deepEqual(await liveObjects(server), counts);
    client.disconnect();
  });

  it('GStreamer test sources, RTCP muxed', async () => {
    const ingest = await Ingest.create(server, { roomId: 'ingest-gst', rtcpMux: true });
    assert.ok(ingest.endpoints.every((e) => e.rtcpPort === e.rtpPort));
    const gst = startTool('gst-launch-1.0', ingest.gstreamerArgs());
    try {
      await bothKindsFlow(ingest);
    } finally {
      await stopTool(gst);
      ingest.stop();
    }
  });

  it('FFmpeg with H264', async () => {
    const ingest = await Ingest.create(server, {
      roomId: 'ingest-h264',
      audio: false,
      video: 'h264',
    });
    assert.equal(ingest.endpoints[0]?.stream.mimeType, 'video/H264');
    const ffmpeg = startTool('ffmpeg', ingest.ffmpegArgs());
    try {
      await waitFor(
        async () => (await producerBytes(ingest, 'video')) > 20_000,
        'H264 bytes',
        15_000,
      );
    } finally {
      await stopTool(ffmpeg);
      ingest.stop();
    }
  });

  for (const suite of ['AES_CM_128_HMAC_SHA1_80', 'AES_CM_128_HMAC_SHA1_32'] as const) {
    it(`SRTP (${suite}) from FFmpeg: accepted with the key, a mismatch with another key`, async () => {
      const ingest = await Ingest.create(server, { roomId: `ingest-srtp-${suite}`, srtp: suite });
      const key = ingest.endpoints[0]?.srtp?.keyBase64;
      assert.ok(key && Buffer.from(key, 'base64').length === 30);
      const ffmpeg = startTool('ffmpeg', ingest.ffmpegArgs());
      try {
        await bothKindsFlow(ingest);
      } finally {
        await stopTool(ffmpeg);
        ingest.stop();
      }
      const wrong = await Ingest.create(server, {
        roomId: `ingest-srtp-wrong-${suite}`,
        srtp: suite,
        audio: false,
        mismatchAfterMs: 1_000,
      });
      const mismatch = once(wrong, 'mismatch');
      const otherKey = Buffer.alloc(30, 7).toString('base64');
      const args = wrong
        .ffmpegArgs()
        .map((a) => (a === wrong.endpoints[0]?.srtp?.keyBase64 ? otherKey : a));
      const bad = startTool('ffmpeg', args);
      try {
        const [event] = await mismatch;
        assert.equal(event.kind, 'video');
        assert.equal(event.expected.srtp, true);
        assert.equal(await producerBytes(wrong, 'video'), 0);
      } finally {
        await stopTool(bad);
        wrong.stop();
      }
    });
  }
});

describe('Ingest: bad input and faults', () => {
  it('an encoder sending the wrong SSRC gets a mismatch event, not silence', async () => {
    const ingest = await Ingest.create(server, {
      roomId: 'ingest-ssrc',
      audio: false,
      mismatchAfterMs: 1_000,
    });
    const ssrc = String(ingest.endpoints[0]?.stream.ssrc);
    const args = ingest.ffmpegArgs().map((a) => (a === ssrc ? '12345' : a));
    const mismatch = once(ingest, 'mismatch');
    const ffmpeg = startTool('ffmpeg', args);
    try {
      const [event] = await mismatch;
      assert.match(event.message, new RegExp(`send SSRC ${ssrc}`));
      assert.ok(event.bytesReceived > 0);
    } finally {
      await stopTool(ffmpeg);
      ingest.stop();
    }
  });

  it('an encoder sending the wrong payload type gets a mismatch event', async () => {
    const ingest = await Ingest.create(server, {
      roomId: 'ingest-pt',
      video: false,
      mismatchAfterMs: 1_000,
    });
    const pt = String(ingest.endpoints[0]?.stream.payloadType);
    const args = ingest
      .ffmpegArgs()
      .map((a, i, all) => (all[i - 1] === '-payload_type' && a === pt ? '127' : a));
    const mismatch = once(ingest, 'mismatch');
    const ffmpeg = startTool('ffmpeg', args);
    try {
      const [event] = await mismatch;
      assert.equal(event.kind, 'audio');
    } finally {
      await stopTool(ffmpeg);
      ingest.stop();
    }
  });

  it('an encoder that stops (or never starts) closes the ingest after silenceTimeoutMs', async () => {
    const before = await liveObjects(server);
    const ingest = await Ingest.create(server, { roomId: 'ingest-silent', silenceTimeoutMs: 600 });
    const [reason] = await once(ingest, 'closed');
    assert.equal(reason, 'silence');
    assert.equal(server.room('ingest-silent'), undefined);
    assert.deepEqual(await liveObjects(server), before);
  });

  it('wrong or missing codecs are typed errors, and leave nothing behind', async () => {
    const before = await liveObjects(server);
    const codes: string[] = [];
    const attempts = [
      { video: 'av1' as never },
      { audio: 'pcmu' as never },
      { audio: false as const, video: false as const },
    ];
    for (const extra of attempts) {
      await Ingest.create(server, { roomId: 'ingest-codec', ...extra }).catch((error: unknown) => {
        assert.ok(error instanceof IngestError);
        codes.push(error.code);
      });
    }
    assert.deepEqual(codes, ['codecUnknown', 'codecUnknown', 'nothingToSend']);
    const vp8Only = await createSfuServer({
      workers: 1,
      workerSettings: { logLevel: 'none' },
      mediaCodecs: [
        { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 },
        { kind: 'video', mimeType: 'video/VP8', clockRate: 90000 },
      ],
    });
    try {
      await assert.rejects(
        Ingest.create(vp8Only, { roomId: 'r', video: 'h264' }),
        (error: unknown) => error instanceof IngestError && error.code === 'codecNotInRoom',
      );
      assert.equal(vp8Only.room('r'), undefined);
    } finally {
      vp8Only.close();
    }
    assert.deepEqual(await liveObjects(server), before);
  });

  it('a port already in use is a typed error', async () => {
    const before = await liveObjects(server);
    const socket = createSocket('udp4');
    socket.bind(0, '127.0.0.1');
    await once(socket, 'listening');
    const port = socket.address().port;
    try {
      await assert.rejects(
        Ingest.create(server, { roomId: 'ingest-port', ports: { video: port } }),
        (error: unknown) => error instanceof IngestError && error.code === 'portUnavailable',
      );
    } finally {
      socket.close();
    }
    assert.equal(server.room('ingest-port'), undefined);
    assert.deepEqual(await liveObjects(server), before);
  });

  it('the room closing (server closing) and the worker dying close the ingest', async () => {
    for (const fault of ['roomClosed', 'workerDied'] as const) {
      const own = await createSfuServer({ workers: 1, workerSettings: { logLevel: 'none' } });
      try {
        const ingest = await Ingest.create(own, { roomId: 'r' });
        const ffmpeg = startTool('ffmpeg', ingest.ffmpegArgs());
        const closed = once(ingest, 'closed');
        if (fault === 'roomClosed') own.close();
        else process.kill(own.room('r')?.worker.pid ?? 0, 'SIGKILL');
        assert.deepEqual(await closed, [fault]);
        assert.equal(ingest.participant.closed, true);
        await stopTool(ffmpeg);
      } finally {
        own.close();
      }
    }
  });
});
