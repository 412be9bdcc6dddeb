import { ProtocolError } from '@vroom/protocol';
import type { Handler } from './types.js';

/**
 * Session resume. This server keeps no session once its connection drops
 * (no grace period yet), so every resume is answered SESSION_EXPIRED: the
 * client's documented fallback is a fresh join.
 */
const resumeSession: Handler<'resumeSession'> = async () => {
  throw new ProtocolError('SESSION_EXPIRED', 'no session to resume on this server: join again');
};

export const sessionHandlers = { resumeSession };
