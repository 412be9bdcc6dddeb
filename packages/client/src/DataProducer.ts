import { DataChannelMember } from './DataChannelMember.js';
import type { EnhancedEventEmitter } from './enhancedEvents.js';
import { InvalidStateError } from './errors.js';
import { Logger } from './Logger.js';
import type { SctpStreamParameters } from './SctpParameters.js';
import type { AppData } from './types.js';

export type DataProducerOptions<DataProducerAppData extends AppData = AppData> = {
  ordered?: boolean;
  maxPacketLifeTime?: number;
  maxRetransmits?: number;
  label?: string;
  protocol?: string;
  appData?: DataProducerAppData;
};

export type DataProducerObserver = EnhancedEventEmitter<DataProducerObserverEvents>;

export type DataProducerEvents = {
  transportclose: [];
  open: [];
  error: [Error];
  close: [];
  bufferedamountlow: [];
  '@close': [];
};

export type DataProducerObserverEvents = {
  close: [];
};

const logger = new Logger('DataProducer');

/** Sends messages on an SCTP data channel to the router. Created by `transport.produceData()`. */
export class DataProducer<DataProducerAppData extends AppData = AppData> extends DataChannelMember<
  DataProducerEvents,
  DataProducerAppData
> {
  constructor({
    id,
    dataChannel,
    sctpStreamParameters,
    appData,
  }: {
    id: string;
    dataChannel: RTCDataChannel;
    sctpStreamParameters: SctpStreamParameters;
    appData?: DataProducerAppData | undefined;
  }) {
    super(id, dataChannel, sctpStreamParameters, appData, logger);
    this.onChannel('message', () =>
      logger.warn('data channel "message" event on a DataProducer, discarded'),
    );
    this.onChannel('bufferedamountlow', () => this.safeEmit('bufferedamountlow'));
  }

  get bufferedAmount(): number {
    return this._dataChannel.bufferedAmount;
  }

  get bufferedAmountLowThreshold(): number {
    return this._dataChannel.bufferedAmountLowThreshold;
  }

  set bufferedAmountLowThreshold(bufferedAmountLowThreshold: number) {
    this._dataChannel.bufferedAmountLowThreshold = bufferedAmountLowThreshold;
  }

  /** Sends a message (string, Blob, ArrayBuffer or view). */
  send(data: string | Blob | ArrayBuffer | ArrayBufferView): void {
    if (this._closed) throw new InvalidStateError('data producer closed: create a new one to send');
    // The overloads of RTCDataChannel.send() accept each of these types.
    this._dataChannel.send(data as string);
  }
}
