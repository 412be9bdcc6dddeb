import { type ChildProcess, spawn } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { types } from 'mediasoup';
import { createLogger } from '../../logger.js';
import { FfmpegProgressParser, type RecordingProgress } from './ffmpegProgress.js';
import { MediaOutError } from './MediaOutError.js';
import { RtpOutput, type RtpOutputCloseReason } from './RtpOutput.js';
import { portsBound } from './udpPorts.js';

const log = createLogger('Recording');

/** How long FFmpeg may take to bind its ports, and to finish the file once asked. */
const READY_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 10_000;
/**
 * How long FFmpeg may take to write the file header: it probes the streams
 * first (up to 10 s, `-analyzeduration`) and needs a VP8 key frame for the size.
 */
const WRITING_TIMEOUT_MS = 20_000;
/** How long FFmpeg gets to finish the file after the BYEs, then between two SIGINTs. */
const BYE_GRACE_MS = 3000;
const SECOND_SIGINT_MS = 1000;
/** Lines of FFmpeg's log kept for error messages. */
const LOG_TAIL_LINES = 20;

export interface RecordingOptions {
  router: types.Router;
  /** At most one audio and one video producer (Opus, VP8), usually one peer's. */
  producers: readonly types.Producer[];
  /** The file to write: `.webm` (WebM) or `.mkv` (Matroska). Must not exist. */
  path: string;
  /** The FFmpeg executable; default `ffmpeg` on PATH. */
  ffmpegPath?: string;
  /** Where mediasoup's plain transports and FFmpeg listen (default 127.0.0.1). */
  listenIp?: string;
}

/** Why the recording ended and how; `finalized` means FFmpeg closed the file itself. */
export interface RecordingExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  finalized: boolean;
  /** What ended it: `stop()`, FFmpeg's own exit, or the RTP output closing. */
  cause: 'stopped' | 'ffmpegExited' | RtpOutputCloseReason;
  progress: RecordingProgress;
}

export interface RecordingEvents {
  /** About twice a second while FFmpeg writes. */
  progress: [progress: RecordingProgress];
  /** FFmpeg exited; the RTP output is closed by now. */
  exit: [exit: RecordingExit];
}

/**
 * Producers recorded to a WebM or Matroska file by FFmpeg, without
 * transcoding: FFmpeg reads the RTP output's SDP on stdin, receives the RTP
 * and copies Opus and VP8 into the file. Clusters are flushed every second,
 * so a file whose FFmpeg was killed still plays up to its last cluster.
 */
export class Recording extends EventEmitter<RecordingEvents> {
  readonly path: string;
  readonly output: RtpOutput;
  readonly #ffmpeg: ChildProcess;
  readonly #exited: Promise<RecordingExit>;
  #cause: RecordingExit['cause'] | undefined;
  #progress: RecordingProgress = { bytes: 0, seconds: 0 };
  readonly #logTail: string[] = [];

  private constructor(path: string, output: RtpOutput, ffmpeg: ChildProcess) {
    super();
    this.path = path;
    this.output = output;
    this.#ffmpeg = ffmpeg;
    const parser = new FfmpegProgressParser((progress) => {
      this.#progress = progress;
      this.#emit('progress', progress);
    });
    ffmpeg.stdout?.setEncoding('utf8').on('data', (chunk: string) => parser.push(chunk));
    ffmpeg.stderr?.setEncoding('utf8').on('data', (chunk: string) => this.#log(chunk));
    this.#exited = new Promise((resolve) => {
      ffmpeg.once('exit', (code, signal) => resolve(this.#onExit(code, signal)));
    });
    // The producers or the router are gone: finish the file with what came.
    output.once('close', (reason) => {
      if (reason !== 'closed') void this.#finish(reason);
    });
  }

  /**
   * Starts FFmpeg and the RTP output, and resolves once FFmpeg listens, the
   * media (with a key frame) flows and FFmpeg has written the file header:
   * from then on `stop()` leaves a file that plays. Rejects with `MediaOutError`
   * (`FFMPEG_NOT_FOUND`, `FFMPEG_FAILED`, `NO_MEDIA`, `INVALID_OPTIONS`),
   * having closed everything it created.
   */
  static async start(options: RecordingOptions): Promise<Recording> {
    const format = containerOf(options.path);
    if (existsSync(options.path)) {
      throw MediaOutError.invalidOptions(`${options.path} exists; choose a new file`);
    }
    const output = await RtpOutput.create({
      router: options.router,
      producers: options.producers,
      ...(options.listenIp ? { listenIp: options.listenIp } : {}),
    });
    let ffmpeg: ChildProcess | undefined;
    try {
      ffmpeg = await spawnFfmpeg(options.ffmpegPath ?? 'ffmpeg', ffmpegArgs(options.path, format));
      const recording = new Recording(options.path, output, ffmpeg);
      ffmpeg.stdin?.end(output.sdp());
      await recording.#whenListening();
      await output.start();
      await recording.#whenWriting();
      log.debug('recording %s (ffmpeg pid %d)', options.path, ffmpeg.pid);
      return recording;
    } catch (error) {
      output.close();
      if (ffmpeg && ffmpeg.exitCode === null && ffmpeg.signalCode === null) {
        ffmpeg.kill('SIGKILL');
        await once(ffmpeg, 'exit');
      }
      throw error;
    }
  }

  get progress(): RecordingProgress {
    return { ...this.#progress };
  }

  /** FFmpeg's process id (tests, dashboards). */
  get pid(): number | undefined {
    return this.#ffmpeg.pid;
  }

  /** Resolves when FFmpeg has exited (for any reason). */
  get exited(): Promise<RecordingExit> {
    return this.#exited;
  }

  /** Finishes the file (FFmpeg writes its index and duration) and closes the RTP output. */
  stop(): Promise<RecordingExit> {
    return this.#finish('stopped');
  }

  async #finish(cause: RecordingExit['cause']): Promise<RecordingExit> {
    this.#cause ??= cause;
    if (!this.#running()) return this.#exited;
    // The output's RTCP BYEs end FFmpeg's input: it finishes the file and exits.
    this.output.close();
    if (await this.#exitsWithin(BYE_GRACE_MS)) return this.#exited;
    // A lost BYE: SIGINT is FFmpeg's "stop and finish the file", but it is
    // only seen between packets, and no more come. A second SIGINT breaks
    // the wait, but also the writing of the file's index (still playable).
    log.warn('ffmpeg %d ignored the BYEs; interrupting it', this.pid);
    this.#ffmpeg.kill('SIGINT');
    if (await this.#exitsWithin(SECOND_SIGINT_MS)) return this.#exited;
    this.#ffmpeg.kill('SIGINT');
    if (await this.#exitsWithin(STOP_TIMEOUT_MS)) return this.#exited;
    log.warn('ffmpeg %d did not finish %s in time; killing it', this.pid, this.path);
    this.#ffmpeg.kill('SIGKILL');
    return this.#exited;
  }

  #running(): boolean {
    return this.#ffmpeg.exitCode === null && this.#ffmpeg.signalCode === null;
  }

  async #exitsWithin(ms: number): Promise<boolean> {
    const timeout = sleep(ms, false, { ref: false });
    return Promise.race([this.#exited.then(() => true), timeout]);
  }

  #onExit(code: number | null, signal: NodeJS.Signals | null): RecordingExit {
    this.output.close();
    const exit: RecordingExit = {
      code,
      signal,
      finalized: code === 0,
      cause: this.#cause ?? 'ffmpegExited',
      progress: this.progress,
    };
    if (exit.cause === 'ffmpegExited') {
      log.warn('ffmpeg exited by itself (%s): %s', signal ?? code, this.#logTail.join(' | '));
    }
    this.#emit('exit', exit);
    return exit;
  }

  async #whenListening(): Promise<void> {
    const alive = () => this.#running();
    const ports = this.output.tracks.flatMap(({ stream }) => [stream.rtpPort, stream.rtcpPort]);
    if (await portsBound(ports, READY_TIMEOUT_MS, alive)) return;
    const why = alive() ? 'it did not listen on its RTP ports in time' : 'it exited at start';
    throw MediaOutError.ffmpegFailed(`${why}: ${this.#logTail.join(' | ') || 'no output'}`);
  }

  async #whenWriting(): Promise<void> {
    if (this.#progress.bytes > 0) return;
    let onProgress: ((progress: RecordingProgress) => void) | undefined;
    const writing = new Promise<boolean>((resolve) => {
      onProgress = (progress) => {
        if (progress.bytes > 0) resolve(true);
      };
      this.on('progress', onProgress);
      void this.#exited.then(() => resolve(false));
      void sleep(WRITING_TIMEOUT_MS, undefined, { ref: false }).then(() => resolve(false));
    });
    const written = await writing;
    if (onProgress) this.off('progress', onProgress);
    if (written) return;
    throw MediaOutError.ffmpegFailed(
      `it wrote nothing in ${WRITING_TIMEOUT_MS / 1000} s (no key frame or no media?): ${this.#logTail.join(' | ') || 'no output'}`,
    );
  }

  #log(chunk: string): void {
    for (const line of chunk.split('\n')) {
      if (!line.trim()) continue;
      log.debug('ffmpeg %d: %s', this.pid, line);
      this.#logTail.push(line.slice(0, 300));
      if (this.#logTail.length > LOG_TAIL_LINES) this.#logTail.shift();
    }
  }

  #emit<E extends keyof RecordingEvents>(event: E, ...args: RecordingEvents[E]): void {
    try {
      (this.emit as (e: E, ...a: RecordingEvents[E]) => boolean)(event, ...args);
    } catch (error) {
      log.error('a %s listener threw: %o', event, error);
    }
  }
}

/** The arguments of one recording; exported for the docs and tests. */
export function ffmpegArgs(path: string, format: 'webm' | 'matroska'): string[] {
  return [
    ...['-hide_banner', '-loglevel', 'warning', '-nostats'],
    ...['-protocol_whitelist', 'pipe,udp,rtp', '-f', 'sdp'],
    // RTCP (receiver reports, FIR) goes back to where mediasoup sends it from.
    ...['-sdp_flags', 'rtcp_to_source'],
    // Probing ends as soon as every stream is known; a VP8 stream is known at
    // its first key frame, which a loaded encoder may send late: wait 10 s.
    ...['-analyzeduration', '10000000'],
    // A larger socket buffer (up to net.core.rmem_max) rides out a busy CPU
    // while FFmpeg probes the streams: a 720p key frame is ~100 KB of RTP.
    ...['-buffer_size', String(4 * 1024 * 1024), '-i', 'pipe:0'],
    ...['-map', '0', '-c', 'copy'],
    // A cluster a second, written at once: a killed FFmpeg leaves a playable file.
    ...['-cluster_time_limit', '1000', '-flush_packets', '1'],
    ...['-progress', 'pipe:1', '-stats_period', '0.5'],
    ...['-f', format, '-n', path],
  ];
}

function containerOf(path: string): 'webm' | 'matroska' {
  const extension = extname(path).toLowerCase();
  if (extension === '.webm') return 'webm';
  if (extension === '.mkv') return 'matroska';
  throw MediaOutError.invalidOptions(`record to a .webm or .mkv file, not '${path}'`);
}

/** Resolves once the process runs; a missing executable is a typed error, not a crash. */
async function spawnFfmpeg(path: string, args: string[]): Promise<ChildProcess> {
  const child = spawn(path, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  // An FFmpeg that exits before reading all the SDP must not crash us with EPIPE.
  child.stdin.on('error', (error) => log.debug('ffmpeg stdin: %s', error.message));
  try {
    await once(child, 'spawn');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES') throw MediaOutError.ffmpegNotFound(path);
    throw MediaOutError.ffmpegFailed((error as Error).message);
  }
  child.on('error', (error) => log.warn('ffmpeg %d: %s', child.pid, error.message));
  return child;
}
