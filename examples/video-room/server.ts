// `npm start` runs this: the example video room on the real mediasoup worker.
//   HOST / PORT        where to listen (default 0.0.0.0:3000)
//   RTC_LISTEN_IP      address mediasoup binds for media (default 127.0.0.1)
//   RTC_ANNOUNCED_IP   address given to browsers, when RTC_LISTEN_IP is 0.0.0.0
//   CLUSTER_REDIS      a Redis URL: run as one node of a cluster (README, "A cluster")
//   CLUSTER_NODE_ID    this node's id (default node-PORT)
//   CLUSTER_ADVERTISE  the address other nodes and clients reach this one at (default 127.0.0.1)
import { openFilesLimit, type SfuServerOptions } from '@vroom/server-adapter';
import { startVideoRoomServer } from './app.js';

const port = Number(process.env.PORT ?? 3000);
const advertise = process.env.CLUSTER_ADVERTISE ?? '127.0.0.1';
const cluster: SfuServerOptions['cluster'] = process.env.CLUSTER_REDIS
  ? {
      redis: process.env.CLUSTER_REDIS,
      nodeId: process.env.CLUSTER_NODE_ID ?? `node-${port}`,
      url: `ws://${advertise}:${port}/ws`,
      advertise,
    }
  : undefined;

const server = await startVideoRoomServer({
  ...(process.env.HOST ? { host: process.env.HOST } : {}),
  port,
  ...(cluster ? { sfu: { cluster } } : {}),
  ...(process.env.RTC_LISTEN_IP ? { rtcListenIp: process.env.RTC_LISTEN_IP } : {}),
  ...(process.env.RTC_ANNOUNCED_IP ? { rtcAnnouncedIp: process.env.RTC_ANNOUNCED_IP } : {}),
});
console.log(`vroom example running: open ${server.url}?room=lobby in two browser windows`);
if (cluster) console.log(`cluster node ${cluster.nodeId} on ${cluster.redis}`);
// Connections, peers and transports are sized from it (server-adapter README,
// "Security and limits"); Node cannot raise it, the launcher can.
const files = openFilesLimit();
if (files) {
  const hint = files.soft < 4096 ? `; raise it before starting: ulimit -n ${files.hard}` : '';
  console.log(`open-files limit ${files.soft} (hard ${files.hard})${hint}`);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void server.close().then(() => process.exit(0));
  });
}
