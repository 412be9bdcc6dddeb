import { Logger } from './Logger.js';

// Which built-in handler suits the running browser, from its user agent
// (and User-Agent Client Hints when present). Same thresholds as
// mediasoup-client 3.24: Chromium >= 111 -> Chrome111, >= 74 -> Chrome74;
// Firefox >= 120; Safari (macOS or iOS, any iOS browser) with WebKit >= 605;
// React Native with RTCPeerConnection and RTCRtpTransceiver globals.

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
  const reactNative = getNavigator()?.product === 'ReactNative';
  const iOS = isIOS(ua, uaData);
  if (!reactNative && !iOS) {
    const chromium = chromiumMajorVersion(ua, uaData);
    if (chromium) {
      if (chromium >= 111) return 'Chrome111';
      if (chromium >= 74) return 'Chrome74';
      return unsupported('Chromium', chromium);
    }
    const firefox = majorVersion(ua, /\bFirefox\/(\w+)/i);
    if (firefox) return firefox >= 120 ? 'Firefox120' : unsupported('Firefox', firefox);
    const desktopSafari = ua && /\bSafari\b/i.test(ua) && !/\b(Chrom(e|ium)|Firefox)\b/i.test(ua);
    const webkit = desktopSafari ? majorVersion(ua, /AppleWebKit\/(\w+)/i) : undefined;
    if (webkit) return webkit >= 605 ? 'Safari12' : unsupported('Safari', webkit);
  }
  if (iOS && !reactNative) {
    // Every iOS browser runs WebKit underneath.
    const webkit = majorVersion(ua, /AppleWebKit\/(\w+)/i);
    if (webkit) return webkit >= 605 ? 'Safari12' : unsupported('iOS WebKit', webkit);
  }
  if (reactNative) {
    if (typeof RTCPeerConnection !== 'undefined' && typeof RTCRtpTransceiver !== 'undefined') {
      return 'ReactNative106';
    }
    logger.warn('no WebRTC globals: call registerGlobals() of react-native-webrtc');
    return undefined;
  }
  logger.warn('device not supported [userAgent:%s]', ua);
  return undefined;
}

function unsupported(browser: string, version: number): undefined {
  logger.warn('unsupported %s version %d', browser, version);
  return undefined;
}

function majorVersion(ua: string | undefined, pattern: RegExp): number | undefined {
  const match = ua ? pattern.exec(ua) : null;
  return match?.[1] ? Number(match[1]) : undefined;
}

function chromiumMajorVersion(
  ua: string | undefined,
  uaData: NavigatorUAData | undefined,
): number | undefined {
  // Some extensions install a userAgentData without a proper brands array.
  const brands = Array.isArray(uaData?.brands) ? uaData.brands : [];
  const chromium = brands.find((b) => b.brand === 'Chromium');
  if (chromium) return Number(chromium.version);
  return majorVersion(ua, /\b(?:Chrome|Chromium)\/(\w+)/i);
}

function isIOS(ua: string | undefined, uaData: NavigatorUAData | undefined): boolean {
  if (uaData?.platform) return uaData.platform === 'iOS';
  if (ua && /iPad|iPhone|iPod/.test(ua)) return true;
  // iPadOS 13+ says it is a Mac; its touch screen gives it away.
  const nav = getNavigator();
  return nav?.platform === 'MacIntel' && (nav.maxTouchPoints ?? 0) > 1;
}
