import { relayDataChannelEvents } from './dataChannelEvents.js';
import type { EnhancedEventEmitter } from './enhancedEvents.js';
import { Logger } from './Logger.js';
import type { SctpStreamParameters } from './SctpParameters.js';
import { TransportMember } from './TransportMember.js';
import type { AppData } from './types.js';

export type DataConsumerOptions<DataConsumerAppData extends AppData = AppData> = {
  id: string;
  dataProducerId: string;
  sctpStreamParameters: SctpStreamParameters;
  label?: string;
  protocol?: string;
  appData?: DataConsumerAppData;
};

export type DataConsumerObserver = EnhancedEventEmitter<DataConsumerObserverEvents>;

/** A data message: a string, or binary data as `binaryType` says. */
export type DataConsumerMessage = string | ArrayBuffer | Blob;

export type DataConsumerEvents = {
  transportclose: [];
  open: [];
  error: [Error];
  close: [];
  message: [DataConsumerMessage];
  '@close': [];
};

export type DataConsumerObserverEvents = {
  close: [];
};

const logger = new Logger('DataConsumer');

/** Receives messages of a server-side data producer. Created by `transport.consumeData()`. */
export class DataConsumer<DataConsumerAppData extends AppData = AppData> extends TransportMember<
  DataConsumerEvents,
  DataConsumerObserverEvents,
  DataConsumerAppData
> {
  private readonly _id: string;
  private readonly _dataProducerId: string;
  private readonly _dataChannel: RTCDataChannel;
  private readonly _sctpStreamParameters: SctpStreamParameters;

  constructor({
    id,
    dataProducerId,
    dataChannel,
    sctpStreamParameters,
    appData,
  }: {
    id: string;
    dataProducerId: string;
    dataChannel: RTCDataChannel;
    sctpStreamParameters: SctpStreamParameters;
    appData?: DataConsumerAppData | undefined;
  }) {
    super(appData, logger);
    logger.debug('constructor()');
    this._id = id;
    this._dataProducerId = dataProducerId;
    this._dataChannel = dataChannel;
    this._sctpStreamParameters = sctpStreamParameters;
    relayDataChannelEvents(dataChannel, this, logger, {
      isClosed: () => this._closed,
      onRemoteClose: () => this.end('remoteclosed'),
    });
    dataChannel.addEventListener('message', (event: MessageEvent<DataConsumerMessage>) => {
      if (!this._closed) this.safeEmit('message', event.data);
    });
  }

  /** The server-side data consumer id. */
  get id(): string {
    return this._id;
  }

  get dataProducerId(): string {
    return this._dataProducerId;
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

  get binaryType(): BinaryType {
    return this._dataChannel.binaryType;
  }

  set binaryType(binaryType: BinaryType) {
    this._dataChannel.binaryType = binaryType;
  }

  protected override release(): void {
    this._dataChannel.close();
  }
}
