import type { IncomingMessage } from 'node:http';
import type { WebSocket, WebSocketServer } from 'ws';
import type { Connection, ConnectionInfo } from '../Connection.js';
import type { SfuServer } from '../SfuServer.js';

/** Adapts one `ws` socket to the adapter's `Connection`. */
export function connectionFromWebSocket(socket: WebSocket): Connection {
  return {
    send: (text) => socket.send(text),
    close: (code, reason) => socket.close(code, reason),
    onMessage: (listener) =>
      socket.on('message', (data, isBinary) => {
        // Text frames become strings; binary frames stay bytes so the protocol
        // can answer "not UTF-8" instead of guessing.
        const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
        listener(isBinary ? new Uint8Array(bytes) : bytes.toString('utf8'));
      }),
    onClose: (listener) => {
      socket.on('close', () => listener());
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

/**
 * Serves every socket of a `ws` server with the SFU. Create the server with a
 * `maxPayload` a little above `limits.maxMessageBytes` so oversized frames are
 * answered MESSAGE_TOO_LARGE and absurd ones are cut at the socket.
 */
export function serveWebSocket(server: SfuServer, wss: WebSocketServer): () => void {
  const onConnection = (socket: WebSocket, request: IncomingMessage) => {
    server.handleConnection(connectionFromWebSocket(socket), connectionInfoFromRequest(request));
  };
  wss.on('connection', onConnection);
  return () => wss.off('connection', onConnection);
}
