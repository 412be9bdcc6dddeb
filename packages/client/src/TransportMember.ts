import { EnhancedEventEmitter } from './enhancedEvents.js';
import type { Logger } from './Logger.js';
import type { AppData } from './types.js';

// biome-ignore lint/suspicious/noExplicitAny: event maps declare their own tuples; `any[]` lets any tuple satisfy the bound.
type Events = Record<string, any[]>;

type MemberEvents = { '@close': []; transportclose: [] };
type MemberObserverEvents = { close: [] };

/** How a member ends: closed by the app, with its transport, or by the remote side. */
type Ending = 'closed' | 'transportclosed' | 'remoteclosed';

/**
 * What producers, consumers, data producers and data consumers share: an
 * app-owned `appData`, an `observer`, and the way they end. Ending releases
 * the media resource (track, data channel), tells the transport ('@close')
 * or the app ('transportclose' / 'close'), then drops every listener.
 */
export abstract class TransportMember<
  E extends MemberEvents & Events,
  O extends MemberObserverEvents & Events,
  MemberAppData extends AppData,
> extends EnhancedEventEmitter<E> {
  protected _closed = false;
  private _appData: MemberAppData;
  protected readonly _observer = new EnhancedEventEmitter<O>();

  constructor(
    appData: MemberAppData | undefined,
    private readonly logger: Logger,
  ) {
    super();
    this._appData = appData ?? ({} as MemberAppData);
  }

  get closed(): boolean {
    return this._closed;
  }

  get appData(): MemberAppData {
    return this._appData;
  }

  set appData(appData: MemberAppData) {
    this._appData = appData;
  }

  /** Monitoring events for app-wide observers (the app listens, never emits). */
  get observer(): EnhancedEventEmitter<O> {
    return this._observer;
  }

  /** Closes locally. The app must also close the server-side counterpart. */
  override close(): void {
    this.end('closed');
  }

  /** Called by the transport when it closes: the member closes with it. */
  transportClosed(): void {
    this.end('transportclosed');
  }

  /** Stops the track or closes the data channel. */
  protected abstract release(): void;

  protected end(ending: Ending): void {
    if (this._closed) return;
    this.logger.debug('%s', ending);
    this._closed = true;
    this.release();
    const self = this as unknown as EnhancedEventEmitter<MemberEvents & { close: [] }>;
    if (ending === 'transportclosed') {
      self.safeEmit('transportclose');
    } else {
      self.emit('@close');
      if (ending === 'remoteclosed') self.safeEmit('close');
    }
    (this._observer as unknown as EnhancedEventEmitter<MemberObserverEvents>).safeEmit('close');
    super.close();
    this._observer.close();
  }
}
