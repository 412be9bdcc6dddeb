import { createSocket } from 'node:dgram';
import { createLogger } from '../../logger.js';

const log = createLogger('RtpOutput');

/**
 * RTCP BYE (RFC 3550 6.6): version 2, one SSRC, packet type 203, and the
 * reason "end". The reason is not decoration: FFmpeg drops any RTP or RTCP
 * packet shorter than 12 bytes, and a bare BYE is 8.
 */
export function rtcpBye(ssrc: number): Buffer {
  const reason = Buffer.from('end');
  const packet = Buffer.alloc(12);
  packet.writeUInt8(0x81, 0);
  packet.writeUInt8(203, 1);
  packet.writeUInt16BE(packet.length / 4 - 1, 2);
  packet.writeUInt32BE(ssrc >>> 0, 4);
  packet.writeUInt8(reason.length, 8);
  reason.copy(packet, 9);
  return packet;
}

/**
 * Tells a receiver its streams ended: one RTCP BYE per stream to its RTCP
 * port. FFmpeg's RTP input ends (EOF) once every stream said BYE, then
 * finishes the file like at the end of any input; it counts BYEs, so each
 * stream gets exactly one. Sent from Node, so it works with the worker dead.
 */
export async function sendByes(
  ip: string,
  streams: readonly { ssrc: number; rtcpPort: number }[],
): Promise<void> {
  if (streams.length === 0) return;
  const socket = createSocket(ip.includes(':') ? 'udp6' : 'udp4');
  socket.on('error', (error) => log.debug('BYE socket: %s', error.message));
  try {
    for (const { ssrc, rtcpPort } of streams) {
      await new Promise<void>((resolve) =>
        socket.send(rtcpBye(ssrc), rtcpPort, ip, (error) => {
          if (error) log.debug('BYE to %s:%d: %s', ip, rtcpPort, error.message);
          resolve();
        }),
      );
    }
  } finally {
    socket.close();
  }
}
