import Bowser from 'bowser';
import { Logger } from './Logger.js';

// Which built-in handler suits the running browser, from its user agent
// (read by `bowser`) and User-Agent Client Hints when present. The choices
// are mediasoup-client 3.24's: Chromium >= 111 -> Chrome111, >= 74 ->
// Chrome74; Firefox >= 120; Safari on macOS and every iOS browser with
// WebKit >= 605 -> Safari12; React Native with RTCPeerConnection and
// RTCRtpTransceiver globals.

export type BuiltinHandlerName =
  | 'Chrome111'
  | 'Chrome74'
  | 'Firefox120'
  | 'Safari12'
  | 'ReactNative106';

/** navigator.userAgentData, which TypeScript's DOM library does not declare. */
export type NavigatorUAData = {
  brands: { brand: string; version: string }[];
  platform: NavigatorUADataPlatform;
  mobile: boolean;
  getHighEntropyValues?(hints: string[]): Promise<Record<string, string>>;
};

export type NavigatorUADataPlatform =
  | 'Android'
  | 'Chrome OS'
  | 'Chromium OS'
  | 'iOS'
  | 'Linux'
  | 'macOS'
  | 'Windows'
  | 'Unknown';

const logger = new Logger('Device');

type BrowserNavigator = {
  userAgent?: string;
  userAgentData?: NavigatorUAData;
  product?: string;
  platform?: string;
  maxTouchPoints?: number;
};

function getNavigator(): BrowserNavigator | undefined {
  return typeof navigator === 'object' ? (navigator as unknown as BrowserNavigator) : undefined;
}

/** The handler for this browser, or undefined if it is not supported. */
export function detectDevice(
  userAgent?: string,
  userAgentData?: NavigatorUAData,
): BuiltinHandlerName | undefined {
  const nav = getNavigator();
  return detect(userAgent || nav?.userAgent, userAgentData ?? nav?.userAgentData);
}

/** Same as detectDevice() today; async so it may use high-entropy client hints later. */
export async function detectDeviceAsync(
  userAgent?: string,
  userAgentData?: NavigatorUAData,
): Promise<BuiltinHandlerName | undefined> {
  return detectDevice(userAgent, userAgentData);
}

function detect(
  ua: string | undefined,
  uaData: NavigatorUAData | undefined,
): BuiltinHandlerName | undefined {
  if (getNavigator()?.product === 'ReactNative') {
    if (typeof RTCPeerConnection !== 'undefined' && typeof RTCRtpTransceiver !== 'undefined') {
      return 'ReactNative106';
    }
    logger.warn('no WebRTC globals: call registerGlobals() of react-native-webrtc');
    return undefined;
  }
  // bowser refuses an empty user agent; nothing to detect then.
  const parser = ua ? Bowser.getParser(ua) : undefined;
  if (parser && !isIOS(parser, uaData)) {
    const chromium = chromiumMajorVersion(ua, uaData);
    if (chromium) {
      if (chromium >= 111) return 'Chrome111';
      if (chromium >= 74) return 'Chrome74';
      return unsupported(ua);
    }
    if (parser.isBrowser('Firefox')) {
      return parser.satisfies({ firefox: '>=120' }) ? 'Firefox120' : unsupported(ua);
    }
    if (parser.isBrowser('Safari')) return webkitAtLeast605(parser) ? 'Safari12' : unsupported(ua);
  } else if (parser) {
    // Every iOS browser runs WebKit underneath, whatever it calls itself.
    return webkitAtLeast605(parser) ? 'Safari12' : unsupported(ua);
  }
  return unsupported(ua);
}

function unsupported(ua: string | undefined): undefined {
  logger.warn('device not supported [userAgent:%s]', ua);
  return undefined;
}

/**
 * The Chromium version, from Client Hints or the `Chrome/` token. Not from
 * bowser: it gives Blink no version and names Edge, Opera, Samsung Internet,
 * Electron... by their own versions, while the handler depends on Chromium's.
 */
function chromiumMajorVersion(
  ua: string | undefined,
  uaData: NavigatorUAData | undefined,
): number | undefined {
  // Some extensions install a userAgentData without a proper brands array.
  const brands = Array.isArray(uaData?.brands) ? uaData.brands : [];
  const chromium = brands.find((b) => b.brand === 'Chromium');
  if (chromium) return Number(chromium.version);
  const match = ua ? /\b(?:Chrome|Chromium)\/(\w+)/i.exec(ua) : null;
  return match?.[1] ? Number(match[1]) : undefined;
}

/** Whether the engine is WebKit 605 (Safari 11.1 / iOS 11.3) or later, the Safari12 handler's floor. */
function webkitAtLeast605(parser: Bowser.Parser.Parser): boolean {
  const engine = parser.getEngine();
  return engine.name === 'WebKit' && Number.parseInt(engine.version ?? '', 10) >= 605;
}

function isIOS(parser: Bowser.Parser.Parser, uaData: NavigatorUAData | undefined): boolean {
  if (uaData?.platform) return uaData.platform === 'iOS';
  if (parser.isOS('iOS')) return true;
  // iPadOS 13+ says it is a Mac; its touch screen gives it away.
  const nav = getNavigator();
  return nav?.platform === 'MacIntel' && (nav.maxTouchPoints ?? 0) > 1;
}
