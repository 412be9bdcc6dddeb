import { createSocket, type Socket } from 'node:dgram';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

export interface PortPair {
  rtpPort: number;
  rtcpPort: number;
}

/**
 * Finds `count` free UDP port pairs (even RTP port, RTCP port + 1: FFmpeg's
 * SDP input binds RTCP next to RTP) on `ip`. The ports are released before
 * the receiver binds them, so another process could take one meanwhile: the
 * receiver then fails to bind, which the caller sees as its exit.
 */
export async function freePortPairs(ip: string, count: number): Promise<PortPair[]> {
  const held: Socket[] = [];
  const pairs: PortPair[] = [];
  try {
    for (let attempt = 0; pairs.length < count && attempt < 50 * count; attempt++) {
      const rtp = await bind(ip, 0);
      if (!rtp) continue;
      held.push(rtp);
      const rtpPort = rtp.address().port;
      if (rtpPort % 2 !== 0 || rtpPort >= 65535) continue;
      const rtcp = await bind(ip, rtpPort + 1);
      if (!rtcp) continue;
      held.push(rtcp);
      pairs.push({ rtpPort, rtcpPort: rtpPort + 1 });
    }
  } finally {
    for (const socket of held) socket.close();
  }
  if (pairs.length < count) throw new Error(`no ${count} free UDP port pairs on ${ip}`);
  return pairs;
}

/**
 * Resolves true once every port is bound by some process (the receiver is
 * listening), false after `timeoutMs` or when `stillWaiting()` turns false.
 * It reads the kernel's socket tables (/proc/net/udp, Linux) rather than
 * trying to bind the ports, which could make the receiver's own bind fail.
 * Elsewhere it waits `fallbackMs` and hopes.
 */
export async function portsBound(
  ports: readonly number[],
  timeoutMs: number,
  stillWaiting: () => boolean = () => true,
  fallbackMs = 500,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && stillWaiting()) {
    const bound = await boundUdpPorts();
    if (!bound) {
      await sleep(fallbackMs);
      return stillWaiting();
    }
    if (ports.every((port) => bound.has(port))) return true;
    await sleep(20);
  }
  return false;
}

/** Local ports of every UDP socket on this host, or undefined without /proc. */
async function boundUdpPorts(): Promise<Set<number> | undefined> {
  const ports = new Set<number>();
  let read = false;
  for (const table of ['/proc/net/udp', '/proc/net/udp6']) {
    const text = await readFile(table, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    read = true;
    for (const line of text.split('\n').slice(1)) {
      // "  12: 0100007F:9C40 00000000:0000 07 ...": local address is field 2.
      const local = line.trim().split(/\s+/)[1];
      const hex = local?.split(':')[1];
      if (hex) ports.add(Number.parseInt(hex, 16));
    }
  }
  return read ? ports : undefined;
}

function bind(ip: string, port: number): Promise<Socket | undefined> {
  return new Promise((resolve) => {
    const socket = createSocket(ip.includes(':') ? 'udp6' : 'udp4');
    socket.once('error', () => {
      socket.close();
      resolve(undefined);
    });
    socket.bind({ address: ip, port, exclusive: true }, () => resolve(socket));
  });
}
