import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { types } from 'mediasoup';
import * as mediasoup from 'mediasoup';
import { defaultMediaCodecs } from '../../codecs.js';
import { MediaOutError } from './MediaOutError.js';
import { Recording, type RecordingExit } from './Recording.js';
import { type LavfiSource, startLavfiSource } from './test/lavfiSource.js';
import { decodeErrors, lastPacketTime, probe, processAlive } from './test/mediaFile.js';

// Real worker, real FFmpeg both ways: an FFmpeg lavfi source stands in for a
// browser peer (VP8 + Opus over plain RTP), the recorder is the real thing.

const dir = mkdtempSync(join(tmpdir(), 'vroom-recording-'));
let worker: types.Worker;
const sources: LavfiSource[] = [];
const recordings: Recording[] = [];
afterEach(async () => {
  // A failed assertion must not leave FFmpeg processes behind.
  await Promise.all(recordings.splice(0).map((r) => r.stop()));
  await Promise.all(sources.splice(0).map((s) => s.close()));
});
after(() => {
  worker?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Counts {
  transports: number;
  consumers: number;
}

async function counts(router: types.Router): Promise<Counts> {
  const dump = (await router.dump()) as {
    transportIds: string[];
    mapConsumerIdProducerId: Record<string, unknown>;
  };
  return {
    transports: dump.transportIds.length,
    consumers: Object.keys(dump.mapConsumerIdProducerId).length,
  };
}

async function room(): Promise<{ router: types.Router; source: LavfiSource; before: Counts }> {
  if (!worker || worker.closed) worker = await mediasoup.createWorker({ logLevel: 'none' });
  const router = await worker.createRouter({ mediaCodecs: defaultMediaCodecs() });
  const source = await startLavfiSource(router);
  sources.push(source);
  return { router, source, before: await counts(router) };
}

let n = 0;
const file = (ext = 'webm') => join(dir, `rec-${++n}.${ext}`);

/** Recording.start, remembered so a failed test still stops it. */
async function record(options: Parameters<typeof Recording.start>[0]): Promise<Recording> {
  const recording = await Recording.start(options);
  recordings.push(recording);
  return recording;
}

describe('Recording (real worker, real FFmpeg)', () => {
  before(async () => {
    worker = await mediasoup.createWorker({ logLevel: 'none' });
  });

  it('writes a WebM of VP8 + Opus that plays, with progress and a finalized exit', {
    timeout: 60_000,
  }, async () => {
    const { router, source, before } = await room();
    const path = file();
    const startedAt = Date.now();
    const recording = await record({
      router,
      producers: [source.audio, source.video],
      path,
    });
    const resolvedAt = Date.now();
    const progress: number[] = [];
    recording.on('progress', (p) => progress.push(p.bytes));
    const exitEvent = new Promise<RecordingExit>((resolve) => recording.once('exit', resolve));
    assert.equal((await counts(router)).consumers, before.consumers + 2);
    await sleep(4000);
    const exit = await recording.stop();
    // The file starts with the first packet FFmpeg got, after start() was
    // called and before it resolved: it covers the wait, not more than the call.
    const waited = (Date.now() - resolvedAt) / 1000;
    const elapsed = (Date.now() - startedAt) / 1000;
    assert.deepEqual(await exitEvent, exit);
    assert.equal(exit.finalized, true, JSON.stringify(exit));
    assert.equal(exit.cause, 'stopped');
    assert.ok(progress.length >= 3, `progress events: ${progress.length}`);
    assert.ok(exit.progress.bytes > 10_000, `bytes ${exit.progress.bytes}`);
    assert.ok(exit.progress.seconds > 2, `seconds ${exit.progress.seconds}`);

    const probed = await probe(path);
    const video = probed.streams.find((s) => s.codec === 'vp8');
    assert.deepEqual([video?.width, video?.height], [320, 240]);
    assert.ok((video?.frames ?? 0) >= 30, `video frames ${video?.frames}`);
    assert.ok(probed.streams.some((s) => s.codec === 'opus' && s.frames >= 50));
    const { duration } = probed;
    assert.ok(
      duration > waited - 0.5 && duration < elapsed + 0.5,
      `${duration} s of ${waited}-${elapsed} s`,
    );
    assert.equal(await decodeErrors(path), '');
    assert.deepEqual(await counts(router), before);
    assert.equal(processAlive(recording.pid), false);
  });

  it('survives the producer pausing, resuming and closing, and ends when all closed', {
    timeout: 60_000,
  }, async () => {
    const { router, source, before } = await room();
    const path = file('mkv');
    const recording = await record({
      router,
      producers: [source.audio, source.video],
      path,
    });
    await sleep(1500);
    await source.video.pause();
    await source.audio.pause();
    await sleep(1000);
    await source.video.resume();
    await source.audio.resume();
    await sleep(1500);
    source.video.close();
    await sleep(500);
    assert.equal(recording.output.tracks.length, 1, 'the audio track goes on');
    source.audio.close();
    const exit = await recording.exited;
    assert.equal(exit.cause, 'producersClosed');
    assert.equal(exit.finalized, true, JSON.stringify(exit));
    assert.equal(await decodeErrors(path), '');
    const probed = await probe(path);
    assert.ok(probed.duration > 2.5, `duration ${probed.duration}`);
    assert.deepEqual(await counts(router), before);
  });

  it('records two sources at once to two files', { timeout: 60_000 }, async () => {
    const a = await room();
    const b = await room();
    const paths = [file(), file()];
    const recordings = await Promise.all(
      [a, b].map((r, i) =>
        record({
          router: r.router,
          producers: [r.source.audio, r.source.video],
          path: paths[i] as string,
        }),
      ),
    );
    await sleep(3000);
    const exits = await Promise.all(recordings.map((r) => r.stop()));
    assert.deepEqual(
      exits.map((e) => e.finalized),
      [true, true],
      JSON.stringify(exits),
    );
    for (const path of paths) {
      assert.equal(await decodeErrors(path), '');
      assert.ok((await probe(path)).streams.length === 2);
    }
    assert.deepEqual(await counts(a.router), a.before);
    assert.deepEqual(await counts(b.router), b.before);
  });

  it('FFmpeg missing: a typed FFMPEG_NOT_FOUND at start, nothing left behind', {
    timeout: 60_000,
  }, async () => {
    const { router, source, before } = await room();
    await assert.rejects(
      Recording.start({
        router,
        producers: [source.audio, source.video],
        path: file(),
        ffmpegPath: join(dir, 'no-such-ffmpeg'),
      }),
      (error: unknown) => error instanceof MediaOutError && error.code === 'FFMPEG_NOT_FOUND',
    );
    assert.deepEqual(await counts(router), before);
  });

  it('bad input: a wrong extension, an existing file, no usable producer', {
    timeout: 60_000,
  }, async () => {
    const { router, source, before } = await room();
    const code = (expected: string) => (error: unknown) =>
      error instanceof MediaOutError && error.code === expected;
    const producers = [source.audio, source.video];
    await assert.rejects(
      Recording.start({ router, producers, path: join(dir, 'x.mp4') }),
      code('INVALID_OPTIONS'),
    );
    await assert.rejects(
      Recording.start({ router, producers, path: dir }),
      code('INVALID_OPTIONS'),
    );
    await assert.rejects(
      Recording.start({ router, producers: [], path: file() }),
      code('NO_MEDIA'),
    );
    assert.deepEqual(await counts(router), before);
  });

  it('FFmpeg killed mid-recording: the file so far plays; transports and consumers closed', {
    timeout: 60_000,
  }, async () => {
    const { router, source, before } = await room();
    const path = file();
    const recording = await record({
      router,
      producers: [source.audio, source.video],
      path,
    });
    await sleep(3000);
    process.kill(recording.pid as number, 'SIGKILL');
    const exit = await recording.exited;
    assert.equal(exit.signal, 'SIGKILL');
    assert.equal(exit.finalized, false);
    assert.equal(exit.cause, 'ffmpegExited');
    assert.equal(recording.output.closed, true);
    assert.deepEqual(await counts(router), before);
    assert.equal(await decodeErrors(path), '');
    // Clusters are flushed every second: at most about one is lost.
    const last = await lastPacketTime(path);
    assert.ok(last > 1, `last packet at ${last} s`);
  });

  it('the worker dies under a recording: the file is finished, FFmpeg exits', {
    timeout: 60_000,
  }, async () => {
    const { router, source } = await room();
    const path = file();
    const recording = await record({
      router,
      producers: [source.audio, source.video],
      path,
    });
    await sleep(2500);
    const dying = worker;
    process.kill(dying.pid, 'SIGKILL');
    const exit = await recording.exited;
    assert.equal(exit.cause, 'routerClosed');
    assert.equal(exit.finalized, true, JSON.stringify(exit));
    assert.equal(processAlive(recording.pid), false);
    assert.equal(await decodeErrors(path), '');
    assert.ok((await probe(path)).duration > 1);
    assert.equal(dying.closed, true);
  });
});
