// `npm start` runs this: the example video room on the real mediasoup worker.
//   HOST / PORT        where to listen (default 0.0.0.0:3000)
//   RTC_LISTEN_IP      address mediasoup binds for media (default 127.0.0.1)
//   RTC_ANNOUNCED_IP   address given to browsers, when RTC_LISTEN_IP is 0.0.0.0
import { openFilesLimit } from '@vroom/server-adapter';
import { startVideoRoomServer } from './app.js';

const server = await startVideoRoomServer({
  ...(process.env.HOST ? { host: process.env.HOST } : {}),
  port: Number(process.env.PORT ?? 3000),
  ...(process.env.RTC_LISTEN_IP ? { rtcListenIp: process.env.RTC_LISTEN_IP } : {}),
  ...(process.env.RTC_ANNOUNCED_IP ? { rtcAnnouncedIp: process.env.RTC_ANNOUNCED_IP } : {}),
});
console.log(`vroom example running: open ${server.url}?room=lobby in two browser windows`);
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
