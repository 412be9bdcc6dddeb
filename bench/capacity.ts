// bench:capacity (issue 13): what one room costs the server, on the real
// mediasoup 3.8.4 worker.
//  1. Per-peer Node cost: --peers protocol-level peers (the real adapter over
//     an in-memory connection, both WebRTC transports made) join one room:
//     Node RSS and heap growth per peer (after a GC) and Node CPU per join.
//     The in-memory clients run in this process, so their share is included.
//  2. Forwarding: one publisher's VP8-shaped RTP (a UDP socket in a child
//     process, --kbps) flows into a plain-transport producer on the room's
//     router (`server.room(id).router`); consumers on plain transports, each
//     connected to a UDP sink in that child that counts packets, are added in
//     steps 0, 50, 100, 200, 400, ... until the worker uses more than 90% of
//     one core, the sink gets under 95% of what was sent, or --max. Per step,
//     over a --window of seconds: worker CPU (from /proc/<pid>/stat), CPU per
//     100 consumers, the sink's receive ratio, this process's CPU and RSS.
// The sender and sink live in a child process so this process's CPU is the
// server's alone. Prints os.loadavg() before and after. Not a test: the
// figures depend on the machine (2 shared cores: the child competes too).
//
// Usage (repo root): pnpm bench:capacity [--peers=50] [--kbps=1000]
//   [--window=3] [--max=1600] [--seconds=150]
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createSfuServer, type SfuServer } from '../packages/server-adapter/src/index.js';
import { type JoinedClient, joinWithMedia } from '../packages/server-adapter/src/test/rooms.js';
import { flag } from './flags.js';
import { load, nodeCpuMs, processCpuMs, sleep } from './server/measure.js';
import { SSRC, UdpSink, VP8_PT, Vp8Sender } from './server/rtp.js';

const PACKET_BYTES = 1200;

// The root package does not install mediasoup: its types come through the adapter's.
type Router = NonNullable<ReturnType<SfuServer['room']>>['router'];
type PlainTransport = Awaited<ReturnType<Router['createPlainTransport']>>;

type ToChild = { start: { port: number; packetsPerTick: number } } | 'counts' | 'stop';
type FromChild = { sinkPort: number } | { sent: number; received: number };

function mediaChild(): void {
  const sink = new UdpSink();
  let sender: Vp8Sender | undefined;
  const reply = (message: FromChild) => process.send?.(message);
  process.on('message', (message: ToChild) => {
    if (message === 'counts') return reply({ sent: sender?.sent ?? 0, received: sink.packets });
    if (message === 'stop') {
      sender?.close();
      sink.close();
      process.disconnect();
      return;
    }
    sender = new Vp8Sender(message.start.port, PACKET_BYTES, message.start.packetsPerTick);
    sender.start();
  });
  void sink.open().then((sinkPort) => reply({ sinkPort }));
}

/** A GC on demand without a command-line flag, so the heap figures hold no garbage. */
function collectGarbage(): void {
  setFlagsFromString('--expose_gc');
  (runInNewContext('gc') as () => void)();
}

async function perPeerCost(server: SfuServer, peers: number): Promise<JoinedClient[]> {
  await joinWithMedia(server, 'warm-up').then(({ client }) => client.disconnect());
  collectGarbage();
  const before = process.memoryUsage();
  const cpuBefore = nodeCpuMs();
  const joined: JoinedClient[] = [];
  // One at a time: the CPU per join, not the queueing of a storm (bench:storm).
  for (let i = 0; i < peers; i++) joined.push(await joinWithMedia(server, 'capacity'));
  const cpuPerJoin = (nodeCpuMs() - cpuBefore) / peers;
  collectGarbage();
  const after = process.memoryUsage();
  const kb = (bytes: number) => (bytes / 1024 / peers).toFixed(1);
  console.log(
    `per peer (${peers} peers joined, both transports, in-memory clients included): ` +
      `RSS +${kb(after.rss - before.rss)} KB  heap +${kb(after.heapUsed - before.heapUsed)} KB  ` +
      `Node CPU ${cpuPerJoin.toFixed(2)} ms per join`,
  );
  return joined;
}

const openFds = (pid: number) => readdirSync(`/proc/${pid}/fd`).length;
const fdLimit = (pid: number) =>
  /^Max open files\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'))?.[1] ?? '?';

interface Step {
  consumers: number;
  workerCpu: number;
  receiveRatio: number;
  nodeCpu: number;
  rssMb: number;
}

async function ramp(
  router: Router,
  workerPid: number,
  producerId: string,
  child: ChildProcess,
  sinkPort: number,
): Promise<Step[]> {
  const windowMs = flag('window', 3) * 1000;
  const max = flag('max', 1600);
  const deadline = Date.now() + flag('seconds', 150) * 1000;
  const counts = async () => {
    child.send('counts');
    const [message] = (await once(child, 'message')) as [{ sent: number; received: number }];
    return message;
  };
  const steps: Step[] = [];
  const transports: PlainTransport[] = [];
  console.log('consumers  worker CPU  per 100 consumers  sink received  Node CPU  Node RSS');
  for (let target = 0; target <= max; target = target === 0 ? 50 : target * 2) {
    try {
      while (transports.length < target) {
        const transport = await router.createPlainTransport({
          listenIp: '127.0.0.1',
          rtcpMux: true,
          comedia: false,
        });
        transports.push(transport);
        await transport.connect({ ip: '127.0.0.1', port: sinkPort });
        await transport.consume({ producerId, rtpCapabilities: router.rtpCapabilities });
      }
    } catch (error) {
      // Seen here past ~400 consumers on a loaded machine: a "Channel request
      // timeout", or an empty reason (mediasoup 3.8.4's word for exhaustion).
      console.log(
        `saturated while adding consumer ${transports.length}: the worker failed a request ` +
          `(${(error as Error).message.trim()}); worker fds ${openFds(workerPid)}, limit ${fdLimit(workerPid)}`,
      );
      break;
    }
    await sleep(1000); // new consumers get their key frame
    const start = { counts: await counts(), worker: processCpuMs(workerPid), node: nodeCpuMs() };
    await sleep(windowMs);
    const end = { counts: await counts(), worker: processCpuMs(workerPid), node: nodeCpuMs() };
    const sent = end.counts.sent - start.counts.sent;
    const received = end.counts.received - start.counts.received;
    const step: Step = {
      consumers: target,
      workerCpu: ((end.worker - start.worker) / windowMs) * 100,
      receiveRatio: target === 0 ? 1 : received / (sent * target),
      nodeCpu: ((end.node - start.node) / windowMs) * 100,
      rssMb: process.memoryUsage().rss / 2 ** 20,
    };
    steps.push(step);
    const per100 = target === 0 ? '-' : `${((step.workerCpu * 100) / target).toFixed(1)} %`;
    console.log(
      `${String(target).padStart(9)}  ${step.workerCpu.toFixed(1).padStart(8)} %  ${per100.padStart(17)}  ` +
        `${(step.receiveRatio * 100).toFixed(1).padStart(11)} %  ${step.nodeCpu.toFixed(1).padStart(6)} %  ` +
        `${step.rssMb.toFixed(0).padStart(5)} MB`,
    );
    if (step.workerCpu > 90 || step.receiveRatio < 0.95) {
      console.log(
        `saturated at ${target} consumers (${step.workerCpu > 90 ? 'worker CPU > 90% of a core' : 'sink under 95%'})`,
      );
      break;
    }
    if (Date.now() > deadline) {
      console.log(`time budget spent at ${target} consumers, not saturated`);
      break;
    }
  }
  for (const transport of transports) transport.close();
  return steps;
}

async function main(): Promise<void> {
  const peers = flag('peers', 50);
  const kbps = flag('kbps', 1000);
  const packetsPerTick = Math.max(1, Math.round((kbps * 1000) / 8 / PACKET_BYTES / 100));
  console.log(`bench:capacity ${new Date().toISOString()} load before ${load()}`);
  const server = await createSfuServer({
    workers: 1,
    workerSettings: { logLevel: 'none' },
    limits: { joinsPerAddressBurst: 10_000, joinsPerAddressPerMinute: 100_000 },
  });
  const child = fork(process.argv[1] as string, ['--media-child'], {
    execArgv: ['--import', 'tsx'],
  });
  let joined: JoinedClient[] = [];
  try {
    const [{ sinkPort }] = (await once(child, 'message')) as [{ sinkPort: number }];
    joined = await perPeerCost(server, peers);
    const room = server.room('capacity');
    const worker = server.pool.workers[0];
    if (!room || !worker) throw new Error('the capacity room has no router');
    const inbound = await room.router.createPlainTransport({
      listenIp: '127.0.0.1',
      rtcpMux: true,
      comedia: true,
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
    child.send({ start: { port: inbound.tuple.localPort, packetsPerTick } });
    console.log(
      `publisher: ${packetsPerTick * 100} packets/s of ${PACKET_BYTES} B (~${(packetsPerTick * 100 * PACKET_BYTES * 8) / 1000} kbps), ` +
        `consumers on plain transports to a UDP sink; worker pid ${worker.pid}`,
    );
    await sleep(1000);
    await ramp(room.router, worker.pid, producer.id, child, sinkPort);
  } finally {
    child.send('stop');
    for (const { client } of joined) client.disconnect();
    server.close();
  }
  console.log(`load after ${load()}`);
}

if (process.argv.includes('--media-child')) mediaChild();
else await main();
