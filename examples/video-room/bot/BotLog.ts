// What the bot tells its operator: prose lines for people, or (--report)
// one JSON object per line for scripts and tests. Both say the same things.
import type { PeerReception } from './ReceivedMedia.js';

export type BotEvent =
  | { event: 'joined'; room: string; peerId: string; url: string }
  | { event: 'publishing'; width: number; height: number; fps: number }
  | { event: 'peerjoined' | 'peerleft'; peerId: string; displayName: string }
  | { event: 'chat'; from: string; displayName: string; text: string }
  | { event: 'echoed'; text: string }
  | { event: 'stats'; sentVideoFrames: number; sentAudioChunks: number; received: PeerReception[] }
  | { event: 'state'; state: string }
  | { event: 'left'; reason: string }
  | { event: 'error'; message: string };

export type BotLog = (entry: BotEvent) => void;

function describe(entry: BotEvent): string {
  switch (entry.event) {
    case 'joined':
      return `joined room "${entry.room}" at ${entry.url} as ${entry.peerId}`;
    case 'publishing':
      return `sending colour bars ${entry.width}x${entry.height} at ${entry.fps} fps and a 440 Hz beep`;
    case 'peerjoined':
      return `${entry.displayName} joined`;
    case 'peerleft':
      return `${entry.displayName} left`;
    case 'chat':
      return `${entry.displayName}: ${entry.text}`;
    case 'echoed':
      return `answered: ${entry.text}`;
    case 'stats': {
      const sent = `sent ${entry.sentVideoFrames} frames, ${entry.sentAudioChunks / 100} s audio`;
      if (entry.received.length === 0) return `${sent}; nobody is sending to me`;
      const received = entry.received.map(
        (peer) =>
          `${peer.displayName}: ${peer.videoFrames} frames${peer.videoSize ? ` (${peer.videoSize})` : ''}, ${peer.audioChunks / 100} s audio`,
      );
      return `${sent}; received ${received.join('; ')}`;
    }
    case 'state':
      return `connection ${entry.state}`;
    case 'left':
      return `left the room (${entry.reason})`;
    case 'error':
      return `error: ${entry.message}`;
  }
}

export function createBotLog(report: boolean, write: (line: string) => void = console.log): BotLog {
  if (report) return (entry) => write(JSON.stringify(entry));
  return (entry) => write(`[${new Date().toISOString().slice(11, 19)}] ${describe(entry)}`);
}
