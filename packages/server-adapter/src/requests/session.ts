import { PROTOCOL_VERSION, ProtocolError } from '@vroom/protocol';
import { alreadyJoined, rateLimited, sessionExpired } from '../errors.js';
import { createLogger } from '../logger.js';
import type { Handler } from './types.js';

const log = createLogger('session');

/**
 * Takes a kept session over on this new connection: same peer id,
 * transports, producers and consumers; the others notice nothing. The reply
 * goes out first, then the missed notifications and unanswered server
 * requests (see `Peer.resume`). Every refusal on the token itself is the same
 * SESSION_EXPIRED, so a guesser learns nothing.
 */
const resumeSession: Handler<'resumeSession'> = async (peer, data, server) => {
  if (peer.joined) throw alreadyJoined();
  // Before the lookup: a token guesser on fresh connections pays per address.
  if (!server.admitFromAddress(peer)) throw rateLimited();
  if (data.protocolVersion !== PROTOCOL_VERSION) {
    throw ProtocolError.versionMismatch(data.protocolVersion, PROTOCOL_VERSION);
  }
  const session = server.sessions.find(data.sessionToken);
  if (!session || session === peer || session.closed || !session.joined) throw sessionExpired();
  if (!session.takeReconnect()) throw rateLimited();
  if (data.lastSeq > session.lastSeq) {
    // Only the token's holder gets here, so this tells a guesser nothing; a
    // client bug must not cost the rightful session (it stays as it is).
    throw ProtocolError.invalidData(
      'resumeSession',
      `lastSeq ${data.lastSeq} is past the last notification sent (${session.lastSeq}); send the highest seq received`,
    );
  }
  if (!session.canReplay(data.lastSeq)) {
    // The rightful client cannot be caught up: end the session now so it
    // rejoins cleanly, rather than leaving a ghost until the grace runs out.
    log.debug('peer %s cannot be caught up from seq %d; ending it', session.id, data.lastSeq);
    session.close(undefined, 'resume too far behind the replay log');
    throw sessionExpired();
  }
  const room = session.requireRoom();
  session.resume(peer.handOver(), data.lastSeq);
  return { peerId: session.id, peers: room.peerInfos(session) };
};

export const sessionHandlers = { resumeSession };
