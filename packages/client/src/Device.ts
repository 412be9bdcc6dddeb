import { clone } from './clone.js';
import { type BuiltinHandlerName, detectDevice, detectDeviceAsync } from './deviceDetection.js';
import { EnhancedEventEmitter } from './enhancedEvents.js';
import { InvalidStateError, UnsupportedError } from './errors.js';
import { Chrome74 } from './handlers/Chrome74.js';
import { Chrome111 } from './handlers/Chrome111.js';
import { Firefox120 } from './handlers/Firefox120.js';
import type {
  HandlerFactory,
  HandlerFactoryOptions,
  HandlerForcedRtpExtensions,
} from './handlers/HandlerInterface.js';
import { ReactNative106 } from './handlers/ReactNative106.js';
import { Safari12 } from './handlers/Safari12.js';
import * as ortc from './ortc/index.js';
import type { ExtendedRtpCapabilities, MediaKind, RtpCapabilities } from './RtpParameters.js';
import type { SctpCapabilities } from './SctpParameters.js';
import {
  type CanProduceByKind,
  type PendingTransportOptions,
  Transport,
  type TransportOptions,
} from './Transport.js';
import type { AppData } from './types.js';

export type {
  BuiltinHandlerName,
  NavigatorUAData,
  NavigatorUADataPlatform,
} from './deviceDetection.js';
export { detectDevice, detectDeviceAsync };

export type DeviceOptions = {
  /** One of the built-in handlers; detected from the user agent when absent. */
  handlerName?: BuiltinHandlerName;
  /** A custom handler (FakeHandler.createFactory(), Node.createFactory()...). */
  handlerFactory?: HandlerFactory;
  /** Header extensions to force on or off in the built-in handlers. */
  forcedRtpExtensions?: HandlerForcedRtpExtensions;
};

export type DeviceObserver = EnhancedEventEmitter<DeviceObserverEvents>;

export type DeviceObserverEvents = {
  newtransport: [Transport];
};

const BUILTIN_HANDLERS: Record<
  BuiltinHandlerName,
  { createFactory(options: HandlerFactoryOptions): HandlerFactory }
> = { Chrome111, Chrome74, Firefox120, Safari12, ReactNative106 };

/** SCTP streams browsers open each way; mediasoup 3.8 sizes the association from it. */
const SCTP_CAPABILITIES: SctpCapabilities = { numStreams: { OS: 1024, MIS: 1024 } };

/**
 * The local endpoint: knows what this browser can send and receive with the
 * router (after load()) and creates transports.
 */
export class Device {
  private readonly _handlerFactory: HandlerFactory;
  private readonly _handlerName: string;
  private _loaded = false;
  private _getSendExtendedRtpCapabilities:
    | ((nativeSendRtpCapabilities: RtpCapabilities) => ExtendedRtpCapabilities)
    | undefined;
  private _recvRtpCapabilities: RtpCapabilities | undefined;
  private _sendRtpCapabilities: RtpCapabilities | undefined;
  private readonly _canProduceByKind: CanProduceByKind = { audio: false, video: false };
  protected readonly _observer: DeviceObserver = new EnhancedEventEmitter();

  /** Like the constructor, with the async device detection. */
  static async factory(options: DeviceOptions = {}): Promise<Device> {
    if (!options.handlerName && !options.handlerFactory) {
      const handlerName = await detectDeviceAsync();
      if (!handlerName)
        throw new UnsupportedError('device not supported: pass a handlerName or handlerFactory');
      return new Device({ ...options, handlerName });
    }
    return new Device(options);
  }

  /**
   * @throws {UnsupportedError} if no handler is given and the browser is not
   *   supported (in Node, pass e.g. `handlerFactory: Node.createFactory()`).
   */
  constructor(options: DeviceOptions = {}) {
    const { handlerName, handlerFactory } = options;
    if (handlerName && handlerFactory) {
      throw new TypeError('give handlerName or handlerFactory, not both');
    }
    if (handlerFactory) {
      this._handlerFactory = handlerFactory;
    } else {
      const name = handlerName ?? detectDevice();
      if (!name) {
        throw new UnsupportedError('device not supported: pass a handlerName or handlerFactory');
      }
      const handler = Object.hasOwn(BUILTIN_HANDLERS, name) ? BUILTIN_HANDLERS[name] : undefined;
      if (!handler) {
        throw new TypeError(
          `unknown handlerName "${name}": use one of ${Object.keys(BUILTIN_HANDLERS).join(', ')}`,
        );
      }
      const { forcedRtpExtensions } = options;
      this._handlerFactory = handler.createFactory(
        forcedRtpExtensions ? { forcedRtpExtensions } : {},
      );
    }
    this._handlerName = this._handlerFactory.name;
  }

  get handlerName(): string {
    return this._handlerName;
  }

  get loaded(): boolean {
    return this._loaded;
  }

  /** @deprecated Use recvRtpCapabilities. */
  get rtpCapabilities(): RtpCapabilities {
    return this.recvRtpCapabilities;
  }

  /** What this device can receive from the router (send it to the server to consume). */
  get recvRtpCapabilities(): RtpCapabilities {
    return this.assertLoaded(this._recvRtpCapabilities);
  }

  /** What this device can send to the router (pick a `codec` for produce() from it). */
  get sendRtpCapabilities(): RtpCapabilities {
    return this.assertLoaded(this._sendRtpCapabilities);
  }

  /** SCTP capabilities to send to the server (vroom extension; mediasoup 3.8 needs them). */
  get sctpCapabilities(): SctpCapabilities {
    return this.assertLoaded(clone(SCTP_CAPABILITIES));
  }

  get observer(): DeviceObserver {
    return this._observer;
  }

  /** Loads the router's RTP capabilities; needed before anything else. */
  async load({
    routerRtpCapabilities,
    preferLocalCodecsOrder = false,
  }: {
    routerRtpCapabilities: RtpCapabilities;
    preferLocalCodecsOrder?: boolean;
  }): Promise<void> {
    if (this._loaded) throw new InvalidStateError('device already loaded: create a new Device');
    const routerCaps = clone(routerRtpCapabilities);
    ortc.validateAndNormalizeRtpCapabilities(routerCaps);
    const { getNativeRtpCapabilities } = this._handlerFactory;
    const nativeRecv = clone(await getNativeRtpCapabilities({ direction: 'recvonly' }));
    ortc.validateAndNormalizeRtpCapabilities(nativeRecv);
    const nativeSend = clone(await getNativeRtpCapabilities({ direction: 'sendonly' }));
    ortc.validateAndNormalizeRtpCapabilities(nativeSend);
    // Each send transport matches its own peer connection's capabilities later.
    this._getSendExtendedRtpCapabilities = (native) =>
      clone(ortc.getExtendedRtpCapabilities(clone(native), routerCaps, preferLocalCodecsOrder));
    const recvExtended = ortc.getExtendedRtpCapabilities(nativeRecv, routerCaps, false);
    const recvCaps = ortc.getRecvRtpCapabilities(recvExtended);
    ortc.validateAndNormalizeRtpCapabilities(recvCaps);
    const sendExtended = ortc.getExtendedRtpCapabilities(
      nativeSend,
      routerCaps,
      preferLocalCodecsOrder,
    );
    const sendCaps = ortc.getSendRtpCapabilities(sendExtended);
    ortc.validateAndNormalizeRtpCapabilities(sendCaps);
    this._recvRtpCapabilities = recvCaps;
    this._sendRtpCapabilities = sendCaps;
    this._canProduceByKind.audio = ortc.canSend('audio', sendCaps);
    this._canProduceByKind.video = ortc.canSend('video', sendCaps);
    this._loaded = true;
  }

  /** Whether the router accepts a codec of this kind that the device can send. */
  canProduce(kind: MediaKind): boolean {
    this.assertLoaded(true);
    if (kind !== 'audio' && kind !== 'video')
      throw new TypeError(`invalid kind "${String(kind)}": use "audio" or "video"`);
    return this._canProduceByKind[kind];
  }

  /** `PendingTransportOptions`: made before the server answered (see Transport). */
  createSendTransport<TransportAppData extends AppData = AppData>(
    options: TransportOptions<TransportAppData> | PendingTransportOptions<TransportAppData>,
  ): Transport<TransportAppData> {
    return this.createTransport('send', options);
  }

  createRecvTransport<TransportAppData extends AppData = AppData>(
    options: TransportOptions<TransportAppData>,
  ): Transport<TransportAppData> {
    return this.createTransport('recv', options);
  }

  private createTransport<TransportAppData extends AppData>(
    direction: 'send' | 'recv',
    options: TransportOptions<TransportAppData> | PendingTransportOptions<TransportAppData>,
  ): Transport<TransportAppData> {
    this.assertLoaded(true);
    const fields = (options ?? {}) as Partial<TransportOptions & PendingTransportOptions>;
    const missing = (field: string) =>
      new TypeError(`missing ${field}: pass the server-side transport ${field}`);
    if (typeof fields.id !== 'string') throw missing('id');
    // A pending send transport (`remote`) gets them from the server later.
    for (const field of ['iceParameters', 'iceCandidates', 'dtlsParameters'] as const) {
      if (!fields.remote && (typeof fields[field] !== 'object' || !fields[field])) {
        throw missing(field);
      }
    }
    if (fields.iceCandidates && !Array.isArray(fields.iceCandidates))
      throw missing('iceCandidates');
    for (const field of ['sctpParameters', 'appData'] as const) {
      if (fields[field] && typeof fields[field] !== 'object') {
        throw new TypeError(`${field} must be an object`);
      }
    }
    const transport = new Transport<TransportAppData>({
      ...options,
      direction,
      handlerFactory: this._handlerFactory,
      getSendExtendedRtpCapabilities: this._getSendExtendedRtpCapabilities as (
        native: RtpCapabilities,
      ) => ExtendedRtpCapabilities,
      recvRtpCapabilities: this._recvRtpCapabilities as RtpCapabilities,
      canProduceByKind: this._canProduceByKind,
    });
    this._observer.safeEmit('newtransport', transport as Transport);
    return transport;
  }

  private assertLoaded<T>(value: T | undefined): T {
    if (!this._loaded || value === undefined) {
      throw new InvalidStateError('device not loaded: await device.load() first');
    }
    return value;
  }
}
