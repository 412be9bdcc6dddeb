import { DataChannelMember } from './DataChannelMember.js';
import type { EnhancedEventEmitter } from './enhancedEvents.js';
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
export class DataConsumer<DataConsumerAppData extends AppData = AppData> extends DataChannelMember<
  DataConsumerEvents,
  DataConsumerAppData
> {
  private readonly _dataProducerId: string;

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
    super(id, dataChannel, sctpStreamParameters, appData, logger);
    this._dataProducerId = dataProducerId;
    this.onChannel('message', (event) =>
      this.safeEmit('message', (event as MessageEvent<DataConsumerMessage>).data),
    );
  }

  get dataProducerId(): string {
    return this._dataProducerId;
  }

  get binaryType(): BinaryType {
    return this._dataChannel.binaryType;
  }

  set binaryType(binaryType: BinaryType) {
    this._dataChannel.binaryType = binaryType;
  }
}
