import type { Transport } from '../Transport.js';
import type { Clock } from './Clock.js';
import { CLIENT_TIMING } from './timing.js';
import { bytesReceived } from './transportBytes.js';

/** How often the transports are read while signaling is down. */
export const COMEBACK_POLL_MS = CLIENT_TIMING.mediaComebackPollMs;
/** Reads without a new byte before bytes count as "back" (500 ms of silence). */
const SILENT_READS = 2;

/**
 * While the room reconnects: reads the join's transports' `bytesReceived`
 * every `COMEBACK_POLL_MS` and calls `onBack` when bytes arrive again after
 * at least 500 ms without any (or right away, if they grow between the
 * first two reads). The server's media never stopped (it cannot
 * tell a cut link), so those first bytes are the network coming back: a
 * better cue than the browser's `online` event, which many outages never
 * fire (a cable pulled past the Wi-Fi access point, Firefox in a test
 * namespace). Once per silence, so a server refusing resumes is not
 * hammered while media flows. Returns the stop function.
 */
export function watchMediaComeback(options: {
  clock: Clock;
  transports: () => (Transport | undefined)[];
  onBack: () => void;
}): () => void {
  const { clock, transports, onBack } = options;
  let last: number | undefined;
  // Signaling is already lost when the watch starts, usually after seconds
  // of silence on the media too: bytes growing between the first two reads
  // already count as back (a link restored just as the heartbeat gave up).
  let silentReads = SILENT_READS;
  let timer: unknown;
  let stopped = false;
  const read = async () => {
    const counts = await Promise.all(
      transports().map((t) => (t && !t.closed ? bytesReceived(t) : undefined)),
    );
    if (stopped) return;
    const known = counts.filter((n): n is number => n !== undefined);
    const total = known.length > 0 ? known.reduce((a, b) => a + b, 0) : undefined;
    if (total !== undefined && last !== undefined) {
      if (total === last) silentReads++;
      else {
        if (silentReads >= SILENT_READS) onBack();
        silentReads = 0;
      }
    }
    last = total;
    timer = clock.setTimeout(() => void read(), COMEBACK_POLL_MS);
  };
  void read();
  return () => {
    stopped = true;
    clock.clearTimeout(timer);
  };
}
