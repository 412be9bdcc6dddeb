import type { HandlerFactory, HandlerFactoryOptions } from './HandlerInterface.js';
import { LegacySimulcastBase } from './LegacySimulcastBase.js';
import { createUnifiedPlanFactory } from './unifiedPlanFactory.js';

/**
 * Safari 12.1+ (WebKit's libwebrtc). Simulcast is requested the legacy way
 * (SSRCs in a SIM group, see LegacySimulcastBase); everything else is the
 * common unified-plan flow.
 */
export class Safari12 extends LegacySimulcastBase {
  static override readonly handlerName: string = 'Safari12';

  static createFactory(options: HandlerFactoryOptions = {}): HandlerFactory {
    return createUnifiedPlanFactory(Safari12, options);
  }
}
