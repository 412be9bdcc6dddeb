// `npm start` runs this: the example video room on the real mediasoup worker.
//   HOST / PORT        where to listen (default 0.0.0.0:3000)
//   RTC_LISTEN_IP      address mediasoup binds for media (default 127.0.0.1)
//   RTC_ANNOUNCED_IP   address given to browsers, when RTC_LISTEN_IP is 0.0.0.0
import { startVideoRoomServer } from './app.js';

const server = await startVideoRoomServer({
  ...(process.env.HOST ? { host: process.env.HOST } : {}),
  port: Number(process.env.PORT ?? 3000),
  ...(process.env.RTC_LISTEN_IP ? { rtcListenIp: process.env.RTC_LISTEN_IP } : {}),
  ...(process.env.RTC_ANNOUNCED_IP ? { rtcAnnouncedIp: process.env.RTC_ANNOUNCED_IP } : {}),
});
console.log(`vroom example running: open ${server.url}?room=lobby in two browser windows`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void server.close().then(() => process.exit(0));
  });
}
