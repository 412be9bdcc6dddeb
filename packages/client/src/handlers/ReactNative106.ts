import { Chrome74 } from './Chrome74.js';
import type { HandlerFactory, HandlerFactoryOptions } from './HandlerInterface.js';
import { createUnifiedPlanFactory } from './unifiedPlanFactory.js';

/**
 * react-native-webrtc 106+ (libwebrtc M106): Chrome 74 behaviour. Its
 * MediaStream wraps a native object that must be released explicitly, but
 * the tracks in it belong to the app.
 */
export class ReactNative106 extends Chrome74 {
  static override readonly handlerName: string = 'ReactNative106';

  static override createFactory(options: HandlerFactoryOptions = {}): HandlerFactory {
    return createUnifiedPlanFactory(ReactNative106, options);
  }

  override close(): void {
    if (this.closed) return;
    const stream = this.sendStream as MediaStream & { release?: (releaseTracks: boolean) => void };
    stream.release?.(false);
    super.close();
  }
}
