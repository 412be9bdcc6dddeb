import type { EnhancedEventEmitter } from './enhancedEvents.js';
import type { Logger } from './Logger.js';

/** Events a DataProducer and a DataConsumer both relay from their RTCDataChannel. */
export type DataChannelRelayEvents = {
  open: [];
  error: [Error];
};

/**
 * Relays the RTCDataChannel's open and error events to the emitter, and
 * calls `owner.onRemoteClose()` when the channel closes under the owner.
 * Events after the owner closed itself are ignored.
 */
export function relayDataChannelEvents(
  dataChannel: RTCDataChannel,
  emitter: EnhancedEventEmitter<DataChannelRelayEvents>,
  logger: Logger,
  owner: { isClosed(): boolean; onRemoteClose(): void },
): void {
  dataChannel.addEventListener('open', () => {
    if (owner.isClosed()) return;
    logger.debug('data channel "open" event');
    emitter.safeEmit('open');
  });
  dataChannel.addEventListener('error', (event: Event) => {
    if (owner.isClosed()) return;
    const error = (event as RTCErrorEvent).error ?? new Error('unknown data channel error');
    logger.error('data channel "error" event: %o', error);
    emitter.safeEmit('error', error);
  });
  dataChannel.addEventListener('close', () => {
    if (owner.isClosed()) return;
    logger.debug('data channel "close" event');
    owner.onRemoteClose();
  });
}
