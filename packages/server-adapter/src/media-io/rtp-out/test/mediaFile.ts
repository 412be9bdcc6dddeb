import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ProbedStream {
  codec: string;
  width?: number;
  height?: number;
  /** Frames (video) or packets (audio) ffprobe decoded. */
  frames: number;
}

export interface ProbedFile {
  /** Container duration in seconds (NaN when the file has none, e.g. not finalized). */
  duration: number;
  streams: ProbedStream[];
}

/** What `ffprobe` reads from a file, counting every frame (so it reads it all). */
export async function probe(path: string): Promise<ProbedFile> {
  const { stdout } = await run('ffprobe', [
    ...['-v', 'error', '-count_frames', '-of', 'json'],
    ...['-show_entries', 'format=duration:stream=codec_name,width,height,nb_read_frames', path],
  ]);
  const json = JSON.parse(stdout) as {
    format?: { duration?: string };
    streams?: { codec_name: string; width?: number; height?: number; nb_read_frames?: string }[];
  };
  return {
    duration: Number(json.format?.duration ?? Number.NaN),
    streams: (json.streams ?? []).map((s) => ({
      codec: s.codec_name,
      ...(s.width ? { width: s.width } : {}),
      ...(s.height ? { height: s.height } : {}),
      frames: Number(s.nb_read_frames ?? 0),
    })),
  };
}

/**
 * Decodes the whole file; resolves to FFmpeg's complaints ('' when it plays
 * to the end). Equal timestamps of consecutive packets are not a complaint:
 * FFmpeg's RTP input re-syncs a stream to the first RTCP sender report, and
 * a few audio packets from before it can share one millisecond timestamp,
 * which players play (the null muxer used here merely notes it).
 */
export async function decodeErrors(path: string): Promise<string> {
  try {
    const { stderr } = await run('ffmpeg', [
      ...['-nostdin', '-v', 'error', '-i', path, '-f', 'null', '-'],
    ]);
    return stderr
      .split('\n')
      .filter(
        (line) =>
          line.trim() && !/non monotonically increasing dts|Last message repeated/.test(line),
      )
      .join('\n');
  } catch (error) {
    return String((error as { stderr?: string }).stderr ?? error);
  }
}

/** The last media time in the file (seconds), from its packets: works without a duration. */
export async function lastPacketTime(path: string): Promise<number> {
  const { stdout } = await run('ffprobe', [
    ...['-v', 'error', '-show_entries', 'packet=pts_time', '-of', 'csv=p=0', path],
  ]);
  const times = stdout
    .split('\n')
    .map(Number)
    .filter((t) => Number.isFinite(t));
  return times.length ? Math.max(...times) : 0;
}

/** True while a process with this pid exists. */
export function processAlive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
