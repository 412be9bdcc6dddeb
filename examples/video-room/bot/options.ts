// The bot's command line, checked before anything connects: a wrong flag
// gets a message that says what to type instead.
import { parseArgs } from 'node:util';

export interface BotOptions {
  /** The first server's URL (what the logs show). */
  url: string;
  /** Every URL given (`--url a,b`): the bot moves to the next when one is gone. */
  urls: string[];
  room: string;
  name: string;
  width: number;
  height: number;
  fps: number;
  /** Seconds between reception logs. */
  statsEvery: number;
  /** JSON lines on stdout (for tests and scripts) instead of prose. */
  report: boolean;
  help: boolean;
}

export const USAGE = `usage: bot [--url ws://localhost:3000/ws] [--room lobby] [--name bot]
           [--width 640] [--height 360] [--fps 24] [--stats-every 5] [--report]

Joins a vroom room with the Node handler (@roamhq/wrtc), sends colour bars
with a frame counter and a 440 Hz beep, counts the frames it receives from the
others, and answers chat with "bot heard: ...". Ctrl-C leaves the room.
--report prints one JSON object per line instead of prose.`;

/** Thrown for a command line the bot cannot run with; its message says why. */
export class BotUsageError extends Error {
  override name = 'BotUsageError';
}

function number(
  value: string | undefined,
  flag: string,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
    throw new BotUsageError(`--${flag} ${value}: give a whole number from ${min} to ${max}`);
  }
  return parsed;
}

export function parseBotOptions(argv: readonly string[]): BotOptions {
  // `pnpm run bot -- --url ...` passes the `--` along: it is not an argument.
  const args = argv[0] === '--' ? argv.slice(1) : [...argv];
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(args).values;
  } catch (error) {
    throw new BotUsageError(
      `${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`,
    );
  }
  const urls = (values.url ?? 'ws://localhost:3000/ws').split(',');
  for (const url of urls) {
    if (!/^wss?:\/\/[^/]/.test(url)) {
      throw new BotUsageError(
        `--url ${url}: give the server's WebSocket URL, e.g. ws://localhost:3000/ws (several: comma-separated, e.g. the nodes of a cluster)`,
      );
    }
  }
  const url = urls[0] as string;
  const room = values.room ?? 'lobby';
  const name = values.name ?? 'bot';
  if (room.length === 0 || name.length === 0) {
    throw new BotUsageError('--room and --name cannot be empty');
  }
  const width = number(values.width, 'width', 640, 64, 1920);
  const height = number(values.height, 'height', 360, 48, 1080);
  if (width % 2 !== 0 || height % 2 !== 0) {
    throw new BotUsageError(`--width ${width} --height ${height}: both must be even (I420 video)`);
  }
  return {
    url,
    urls,
    room,
    name,
    width,
    height,
    fps: number(values.fps, 'fps', 24, 1, 60),
    statsEvery: number(values['stats-every'], 'stats-every', 5, 1, 3600),
    report: values.report ?? false,
    help: values.help ?? false,
  };
}

function parse(args: string[]) {
  return parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      url: { type: 'string' },
      room: { type: 'string' },
      name: { type: 'string' },
      width: { type: 'string' },
      height: { type: 'string' },
      fps: { type: 'string' },
      'stats-every': { type: 'string' },
      report: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
