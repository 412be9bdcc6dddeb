// Browser side: one @vroom/protocol session over a WebSocket to the test server.
import {
  type ClientEndpoint,
  createClientEndpoint,
  type RequestData,
  type ServerRequests,
} from '@vroom/protocol';

export interface SignalingHandlers {
  newConsumer?: (data: RequestData<ServerRequests, 'newConsumer'>) => Promise<void>;
  newDataConsumer?: (data: RequestData<ServerRequests, 'newDataConsumer'>) => Promise<void>;
}

export interface Signaling {
  endpoint: ClientEndpoint;
  close(): void;
}

export async function openSignaling(handlers: SignalingHandlers = {}): Promise<Signaling> {
  const socket = new WebSocket(`ws://${location.host}/ws`);
  const endpoint = createClientEndpoint({
    send: (text) => socket.send(text),
    async onRequest(request) {
      if (request.method === 'newConsumer') {
        if (!handlers.newConsumer) throw new Error('this session consumes nothing');
        await handlers.newConsumer(request.data);
      } else {
        if (!handlers.newDataConsumer) throw new Error('this session consumes no data');
        await handlers.newDataConsumer(request.data);
      }
      return {};
    },
  });
  // The server drops a joined peer whose connection stays silent too long
  // (signalingTimeoutMs, 8 s by default): ping like the room client does.
  const heartbeat = setInterval(() => {
    endpoint.request('ping', {}).catch(() => undefined);
  }, 2000);
  socket.onmessage = (event) => endpoint.receive(event.data as string);
  socket.onclose = () => {
    clearInterval(heartbeat);
    endpoint.close();
  };
  await new Promise<void>((resolve, reject) => {
    socket.onopen = () => resolve();
    socket.onerror = () => reject(new Error(`WebSocket to ${location.host} failed`));
  });
  return { endpoint, close: () => socket.close() };
}
