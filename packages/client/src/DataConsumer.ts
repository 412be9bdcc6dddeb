import { relayDataChannelEvents } from './dataChannelEvents.js';
import { EnhancedEventEmitter } from './enhancedEvents.js';
import { Logger } from './Logger.js';
import type { SctpStreamParameters } from './SctpParameters.js';
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
export class DataConsumer<
  DataConsumerAppData extends AppData = AppData,
> extends EnhancedEventEmitter<DataConsumerEvents> {
  private readonly _id: string;
  private readonly _dataProducerId: string;
  private readonly _dataChannel: RTCDataChannel;
  private _closed = false;
  private readonly _sctpStreamParameters: SctpStreamParameters;
  private _appData: DataConsumerAppData;
  protected readonly _observer: DataConsumerObserver = new EnhancedEventEmitter();

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
    super();
    logger.debug('constructor()');
    this._id = id;
    this._dataProducerId = dataProducerId;
    this._dataChannel = dataChannel;
    this._sctpStreamParameters = sctpStreamParameters;
    this._appData = appData ?? ({} as DataConsumerAppData);
    relayDataChannelEvents(dataChannel, this, logger, {
      isClosed: () => this._closed,
      onRemoteClose: () => this.onRemoteClose(),
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

  get closed(): boolean {
    return this._closed;
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

  get appData(): DataConsumerAppData {
    return this._appData;
  }

  set appData(appData: DataConsumerAppData) {
    this._appData = appData;
  }

  get observer(): DataConsumerObserver {
    return this._observer;
  }

  /** Closes the data channel. The app must also close the server-side data consumer. */
  override close(): void {
    if (this._closed) return;
    logger.debug('close()');
    this._closed = true;
    this._dataChannel.close();
    this.emit('@close');
    this._observer.safeEmit('close');
    super.close();
    this._observer.close();
  }

  /** Called by the transport when it closes: the data consumer closes with it. */
  transportClosed(): void {
    if (this._closed) return;
    logger.debug('transportClosed()');
    this._closed = true;
    this._dataChannel.close();
    this.safeEmit('transportclose');
    this._observer.safeEmit('close');
    super.close();
    this._observer.close();
  }

  private onRemoteClose(): void {
    this._closed = true;
    this._dataChannel.close();
    this.emit('@close');
    this.safeEmit('close');
    this._observer.safeEmit('close');
    super.close();
    this._observer.close();
  }
}
