import { parse, type SessionDescription } from 'sdp-transform';
import { validateAndNormalizeRtpCapabilities } from '../ortc/index.js';
import type { RtpCapabilities } from '../RtpParameters.js';
import type { HandlerForcedRtpExtensions } from './HandlerInterface.js';
import { extractRtpCapabilities } from './sdp/rtpCapabilities.js';

/**
 * Switches header extensions on or off on a transceiver before the offer is
 * made (WebRTC extensions, "RTP header extension control"). Browsers without
 * the API keep their defaults; returns whether anything changed.
 */
export function applyForcedRtpExtensions(
  transceiver: RTCRtpTransceiver,
  forced: HandlerForcedRtpExtensions | undefined,
): boolean {
  type Control = {
    getHeaderExtensionsToNegotiate?: () => Array<{ uri: string; direction: string }>;
    setHeaderExtensionsToNegotiate?: (exts: Array<{ uri: string; direction: string }>) => void;
  };
  const control = transceiver as unknown as Control;
  if (
    !forced ||
    !control.getHeaderExtensionsToNegotiate ||
    !control.setHeaderExtensionsToNegotiate
  ) {
    return false;
  }
  let changed = false;
  const extensions = control.getHeaderExtensionsToNegotiate().map((ext) => {
    const wanted = forced[ext.uri as keyof HandlerForcedRtpExtensions];
    if (wanted === undefined) return ext;
    const direction = wanted ? 'sendrecv' : 'stopped';
    if (direction !== ext.direction) changed = true;
    return { ...ext, direction };
  });
  if (changed) control.setHeaderExtensionsToNegotiate(extensions);
  return changed;
}

/**
 * Normalised native capabilities of a local offer, as text or already parsed
 * (the parsed object is only read: extraction builds new objects).
 */
export function nativeCapabilitiesFromSdp(sdp: string | SessionDescription): RtpCapabilities {
  const capabilities = extractRtpCapabilities(typeof sdp === 'string' ? parse(sdp) : sdp);
  validateAndNormalizeRtpCapabilities(capabilities);
  return capabilities;
}
