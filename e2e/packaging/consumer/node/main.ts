// The Node ESM app: the server and the bot in one process. Prints
// "listening <url>", then one line per event; ends on SIGTERM or stdin's end.
import { startBot } from './bot.js';
import { startServer } from './server.js';

const webRoot = process.argv[2];
if (!webRoot) throw new TypeError('usage: node out/main.js <dir of the built pages>');
const server = await startServer(webRoot);
console.log(`listening ${server.httpUrl}`);
await startBot(server.wsUrl, (line) => console.log(line));
console.log('bot joined');

// @roamhq/wrtc 0.10 can crash in its native finalizers when Node winds down
// by itself after sending a track: always leave through process.exit().
const exit = () => process.exit(0);
process.on('SIGTERM', exit);
process.stdin.on('end', exit);
process.stdin.resume();
