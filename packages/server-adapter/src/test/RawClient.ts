import { PROTOCOL_VERSION } from '@vroom/protocol';
import type { SfuServer } from '../SfuServer.js';
import { createConnectionPair, type MemoryConnection } from './MemoryConnection.js';
import { waitFor } from './TestClient.js';

export interface RawResponse {
  id: number | null;
  ok: boolean;
  data?: Record<string, unknown>;
  error?: { code: string; message: string };
}

/**
 * A client that sends arbitrary bytes, with no client-side validation in the
 * way, and records every response. The tool for bad-input tests.
 */
export class RawClient {
  readonly connection: MemoryConnection;
  readonly responses: RawResponse[] = [];
  #nextId = 1000;

  constructor(server: SfuServer) {
    const [serverSide, clientSide] = createConnectionPair();
    this.connection = clientSide;
    clientSide.onMessage((data) => {
      const message = JSON.parse(String(data)) as Record<string, unknown>;
      // Server requests (newConsumer) are answered OK so they do not pile up.
      if (typeof message.method === 'string' && typeof message.id === 'number') {
        clientSide.send(JSON.stringify({ id: message.id, ok: true, data: {} }));
      } else if ('ok' in message) {
        this.responses.push(message as unknown as RawResponse);
      }
    });
    server.handleConnection(serverSide);
  }

  /** Sends raw bytes and waits for `count` more responses. */
  async sendRaw(data: string | Uint8Array, count = 1): Promise<RawResponse[]> {
    const before = this.responses.length;
    this.connection.sendRaw(data);
    await waitFor(() => this.responses.length >= before + count, 'a response');
    return this.responses.slice(before);
  }

  async request(method: string, data: unknown): Promise<RawResponse> {
    const id = this.#nextId++;
    this.connection.sendRaw(JSON.stringify({ id, method, data }));
    return waitFor(() => this.responses.find((r) => r.id === id), `the response to ${method}`);
  }

  async join(roomId: string, extra: Record<string, unknown> = {}): Promise<RawResponse> {
    const response = await this.request('join', {
      protocolVersion: PROTOCOL_VERSION,
      roomId,
      displayName: 'raw',
      device: { name: 'raw' },
      ...extra,
    });
    if (!response.ok) throw new Error(`join failed: ${response.error?.message}`);
    return response;
  }
}
