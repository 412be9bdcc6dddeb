import type { types } from 'mediasoup';
import { createLogger } from './logger.js';
import { SERVER_TIMING } from './timing.js';

const log = createLogger('keyFramePacing');

/**
 * A libwebrtc sender honours at most one key frame request per 300 ms
 * (`EncoderRtcpFeedback`'s minimum key frame send interval) and drops the
 * others. mediasoup 3.8 then waits 1 s before it asks again, and while its
 * first request is pending every later one (`consumer.requestKeyFrame()`, a
 * consumer's resume) is folded into it: the server cannot ask again sooner.
 * So a consumer that starts within 300 ms of an honoured request (typical for
 * a brand-new producer: the worker asks when its streams appear) shows nothing
 * for a second. Waiting until the sender would honour the request costs at
 * most this window instead.
 */
export const SENDER_KEY_FRAME_INTERVAL_MS = SERVER_TIMING.senderKeyFrameIntervalMs;
/** Slack for the trace event's trip from the worker and the PLI's to the sender. */
const MARGIN_MS = 40;

interface RequestClock {
  /** When the last PLI / FIR went out, per SSRC of the producer. */
  asked: Map<number, number>;
  /** Latest request that a key frame has followed (the sender acted on it). */
  lastHonoured: number;
}

const clocks = new Map<string, RequestClock>();

/**
 * Follows when the worker asks a video producer's sender for key frames and
 * when they come (producer trace events `pli`, `fir`, `keyframe`: a handful
 * per key frame, not per packet of media).
 */
export function trackKeyFrameRequests(producer: types.Producer): void {
  if (producer.kind !== 'video' || producer.closed) return;
  const clock: RequestClock = { asked: new Map(), lastHonoured: Number.NEGATIVE_INFINITY };
  clocks.set(producer.id, clock);
  producer.observer.once('close', () => clocks.delete(producer.id));
  producer.on('trace', (event: types.ProducerTraceEventData) => {
    const ssrc = (event.info as { ssrc?: unknown }).ssrc;
    if (typeof ssrc !== 'number') return;
    if ((event.type === 'pli' || event.type === 'fir') && event.direction === 'out') {
      clock.asked.set(ssrc, Date.now());
    } else if (event.type === 'keyframe' && event.direction === 'in') {
      const askedAt = clock.asked.get(ssrc);
      if (askedAt === undefined) return;
      clock.asked.delete(ssrc);
      clock.lastHonoured = Math.max(clock.lastHonoured, askedAt);
    }
  });
  producer
    .enableTraceEvent(['pli', 'fir', 'keyframe'])
    .catch((error: unknown) => log.debug('producer %s: no trace events: %s', producer.id, error));
}

/**
 * How long to wait before a key frame request for `producerId` would be
 * honoured by its sender (0: now). A request still waiting for its key frame
 * needs no wait: the coming key frame serves every consumer.
 */
export function keyFrameRequestDelay(producerId: string, now = Date.now()): number {
  const clock = clocks.get(producerId);
  if (!clock) return 0;
  return Math.max(0, clock.lastHonoured + SENDER_KEY_FRAME_INTERVAL_MS + MARGIN_MS - now);
}

/**
 * Runs `ask` (a consumer's resume, or a key frame request) once the sender
 * of its producer would honour the key frame request it makes. `ask` runs at
 * once when nothing stands in the way; otherwise from a timer, so callers
 * holding a queue do not hold it meanwhile.
 */
export function whenKeyFrameWouldBeHonoured(
  consumer: types.Consumer,
  ask: () => Promise<void>,
): Promise<void> {
  const delay = consumer.kind === 'video' ? keyFrameRequestDelay(consumer.producerId) : 0;
  if (delay === 0) return ask();
  log.debug('consumer %s: key frame request in %d ms (sender window)', consumer.id, delay);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      consumer.observer.off('close', cancel);
      ask().then(resolve, reject);
    }, delay);
    const cancel = () => {
      clearTimeout(timer);
      resolve();
    };
    consumer.observer.once('close', cancel);
  });
}
