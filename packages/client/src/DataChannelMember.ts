import type { Logger } from './Logger.js';
import type { SctpStreamParameters } from './SctpParameters.js';
import { TransportMember } from './TransportMember.js';
import type { AppData } from './types.js';

// biome-ignore lint/suspicious/noExplicitAny: event maps declare their own tuples; `any[]` lets any tuple satisfy the bound.
type Events = Record<string, any[]>;

/** Events a DataProducer and a DataConsumer both relay from their RTCDataChannel. */
type DataChannelEvents = {
  '@close': [];
  transportclose: [];
  open: [];
  error: [Error];
  close: [];
};

/**
 * What DataProducer and DataConsumer share: a server-side id, one
 * RTCDataChannel whose open / error events they relay (its close means the
 * remote side closed them), and the channel's read-only facts. Channel events
 * after the member closed itself are ignored.
 */
export abstract class DataChannelMember<
  E extends DataChannelEvents & Events,
  MemberAppData extends AppData,
> extends TransportMember<E, { close: [] }, MemberAppData> {
  protected readonly _dataChannel: RTCDataChannel;

  constructor(
    private readonly _id: string,
    dataChannel: RTCDataChannel,
    private readonly _sctpStreamParameters: SctpStreamParameters,
    appData: MemberAppData | undefined,
    logger: Logger,
  ) {
    super(appData, logger);
    logger.debug('constructor()');
    this._dataChannel = dataChannel;
    const self = this as unknown as DataChannelMember<DataChannelEvents, MemberAppData>;
    this.onChannel('open', () => {
      logger.debug('data channel "open" event');
      self.safeEmit('open');
    });
    this.onChannel('error', (event) => {
      const error = (event as RTCErrorEvent).error ?? new Error('unknown data channel error');
      logger.error('data channel "error" event: %o', error);
      self.safeEmit('error', error);
    });
    this.onChannel('close', () => {
      logger.debug('data channel "close" event');
      this.end('remoteclosed');
    });
  }

  /** The server-side id. */
  get id(): string {
    return this._id;
  }

  get sctpStreamParameters(): SctpStreamParameters {
    return this._sctpStreamParameters;
  }

  get readyState(): RTCDataChannelState {
    return this._dataChannel.readyState;
  }

  get label(): string {
    return this._dataChannel.label;
  }

  get protocol(): string {
    return this._dataChannel.protocol;
  }

  /** Listens to a channel event while the member is open. */
  protected onChannel(type: string, listener: (event: Event) => void): void {
    this._dataChannel.addEventListener(type, (event) => {
      if (!this._closed) listener(event);
    });
  }

  protected override release(): void {
    this._dataChannel.close();
  }
}
