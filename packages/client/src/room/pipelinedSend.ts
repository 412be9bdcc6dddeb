import { JOIN_SEND_TRANSPORT } from '@vroom/protocol';
import type { Device } from '../Device.js';
import type { Transport, TransportOptions } from '../Transport.js';
import type { RoomError } from './errors.js';
import { type TransportWiringContext, wireTransport } from './TransportWiring.js';

/** The send transport a pipelined join publishes on before the server answered. */
export type PipelinedSend = {
  transport: Transport;
  /** The join answer's send transport: the waiting remote answer goes now. */
  confirm(options: TransportOptions): void;
  /** The join failed, or the server did not take our capabilities: the transport is dropped. */
  drop(reason: Error): void;
};

/**
 * The send transport of a join whose router capabilities are known (issue
 * 13): made before the server answered, named `JOIN_SEND_TRANSPORT` to it,
 * so `connectWebRtcTransport` and `produce` follow `join` in the same flight
 * (the server handles one peer's requests in order). Once dropped, the
 * failures of its in-flight requests are nobody's business: the join goes
 * on without it.
 */
export function pipelinedSend(device: Device, wiring: TransportWiringContext): PipelinedSend {
  let settle!: { resolve: (options: TransportOptions) => void; reject: (error: Error) => void };
  const remote = new Promise<TransportOptions>((resolve, reject) => {
    settle = { resolve, reject };
  });
  const transport = device.createSendTransport({ id: JOIN_SEND_TRANSPORT, remote });
  wireTransport(transport, {
    request: wiring.request,
    onError: (error: RoomError) => {
      if (!transport.closed) wiring.onError(error);
    },
  });
  return {
    transport,
    confirm: (options) => settle.resolve(options),
    drop: (reason) => {
      transport.close();
      settle.reject(reason);
    },
  };
}
