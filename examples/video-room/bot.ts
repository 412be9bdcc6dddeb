// A Node participant for the example room: `pnpm bot -- --url ws://localhost:3000/ws --room lobby`.
// It joins with the Node handler (@roamhq/wrtc), shows colour bars with a frame
// counter, beeps, logs what it receives from the others, and echoes chat.
// See README.md ("The Node bot") and bot/options.ts for the flags.
import { createBotLog } from './bot/BotLog.js';
import { joinFailure } from './bot/joinFailure.js';
import { BotUsageError, parseBotOptions, USAGE } from './bot/options.js';
import { VideoBot } from './bot/VideoBot.js';

let options: ReturnType<typeof parseBotOptions>;
try {
  options = parseBotOptions(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof BotUsageError)) throw error;
  console.error(error.message);
  process.exit(2);
}
if (options.help) {
  console.log(USAGE);
  process.exit(0);
}

const log = createBotLog(options.report);

/**
 * Always an explicit exit: @roamhq/wrtc 0.10 crashes in its native
 * finalizers when Node tears down after a track was sent (SIGSEGV), so the
 * bot never lets Node wind down by itself.
 */
function exit(code: number): never {
  process.exit(code);
}

let shuttingDown = false;
async function shutdown(bot: VideoBot, reason: string, code: number): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  // A second Ctrl-C, or a leave that hangs, still ends the process.
  setTimeout(() => exit(code), 5000).unref();
  await bot.stop(reason);
  exit(code);
}

const bot = new VideoBot(options, log, (reason) => void shutdown(bot, reason, 1));
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (shuttingDown) exit(130);
    void shutdown(bot, signal, 0);
  });
}

try {
  await bot.start();
} catch (error) {
  log({ event: 'error', message: joinFailure(error, options.url) });
  await shutdown(bot, 'join failed', 1);
}
