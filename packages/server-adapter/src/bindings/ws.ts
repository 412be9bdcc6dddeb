import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { WebSocket, WebSocketServer } from 'ws';
import type { Connection, ConnectionInfo } from '../Connection.js';
import type { SfuServer } from '../SfuServer.js';
import { SERVER_TIMING } from '../timing.js';

/**
 * Once the server closes a socket it reads nothing more from it (`pause()`):
 * a flooder would otherwise go on sending until the closing handshake
 * completes (measured: 7 to 37 MB of 120 KB frames per cut connection, all
 * unmasked by ws). The handshake then never completes, so the socket is
 * terminated after this long; the client has the close frame by then. `ws`
 * alone would wait 30 s.
 */
const CLOSE_HANDSHAKE_MS = 2000;

/** Adapts one `ws` socket to the adapter's `Connection`. */
export function connectionFromWebSocket(socket: WebSocket): Connection {
  return {
    send: (text) => socket.send(text),
    close: (code, reason) => {
      socket.close(code, reason);
      socket.pause();
      setTimeout(() => {
        if (socket.readyState !== socket.CLOSED) socket.terminate();
      }, CLOSE_HANDSHAKE_MS).unref();
    },
    bufferedAmount: () => socket.bufferedAmount,
    onMessage: (listener) =>
      socket.on('message', (data, isBinary) => {
        // Text frames become strings; binary frames stay bytes so the protocol
        // can answer "not UTF-8" instead of guessing.
        const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
        listener(isBinary ? new Uint8Array(bytes) : bytes.toString('utf8'));
      }),
    onClose: (listener) => {
      // ws reports 1005 for a close frame without a code and 1006 for no frame at all.
      socket.on('close', (code: number) => listener(code));
      // Errors are followed by 'close'; listening here keeps them from crashing the process.
      socket.on('error', () => undefined);
    },
  };
}

export function connectionInfoFromRequest(request: IncomingMessage): ConnectionInfo {
  return {
    ...(request.socket.remoteAddress ? { remoteAddress: request.socket.remoteAddress } : {}),
    headers: request.headers,
  };
}

export interface ServeWebSocketOptions {
  /**
   * WebSocket-level ping every this many ms; a socket that has not answered
   * the previous ping by the next one is terminated, which ends (or, for a
   * joined peer, detaches) its session. This finds half-open sockets (a cut
   * link, a killed NAT mapping) of any client, even one that sends no
   * heartbeat of its own; browsers answer pings by themselves. Default
   * 3000 ms (a dead socket is found within 6 s, so a dead peer, whose
   * media goes quiet for 6 s too, is known within 8 s); 0 turns it off.
   */
  pingIntervalMs?: number;
}

/**
 * Serves every socket of a `ws` server with the SFU. Create the server with a
 * `maxPayload` a little above `limits.maxMessageBytes` so oversized frames are
 * answered MESSAGE_TOO_LARGE and absurd ones are cut at the socket.
 */
export function serveWebSocket(
  server: SfuServer,
  wss: WebSocketServer,
  options: ServeWebSocketOptions = {},
): () => void {
  const pingIntervalMs = options.pingIntervalMs ?? SERVER_TIMING.wsPingIntervalMs;
  /**
   * Each ping carries a fresh random nonce; only a pong echoing the one
   * outstanding nonce counts (RFC 6455: a pong repeats its ping's payload).
   * Unsolicited pongs, which a client that never reads can send to look
   * alive, count for nothing.
   */
  const pings = new WeakMap<WebSocket, { answered: boolean; nonce: Buffer | undefined }>();
  const onConnection = (socket: WebSocket, request: IncomingMessage) => {
    const state = { answered: true, nonce: undefined as Buffer | undefined };
    pings.set(socket, state);
    socket.on('pong', (data: Buffer) => {
      if (state.nonce && data.equals(state.nonce)) {
        state.answered = true;
        state.nonce = undefined;
      }
    });
    server.handleConnection(connectionFromWebSocket(socket), connectionInfoFromRequest(request));
  };
  wss.on('connection', onConnection);
  const timer =
    pingIntervalMs > 0
      ? setInterval(() => {
          for (const socket of wss.clients) {
            const state = pings.get(socket);
            if (!state) continue; // not ours (another listener's socket)
            if (!state.answered) {
              socket.terminate();
              continue;
            }
            state.answered = false;
            state.nonce = randomBytes(8);
            try {
              socket.ping(state.nonce);
            } catch {
              // Closing already: its close event ends the session.
            }
          }
        }, pingIntervalMs)
      : undefined;
  timer?.unref();
  return () => {
    if (timer) clearInterval(timer);
    wss.off('connection', onConnection);
  };
}
