// ORTC helpers: validation of capabilities and parameters, and matching of
// the device's capabilities with the router's. Same names as mediasoup-client.

export {
  canReceive,
  canSend,
  getExtendedRtpCapabilities,
  getRecvRtpCapabilities,
  getSendRtpCapabilities,
} from './capabilities.js';
export { reduceCodecs } from './codecMatching.js';
export {
  generateProbatorRtpParameters,
  getSendingRemoteRtpParameters,
  getSendingRtpParameters,
} from './sendingParameters.js';
export {
  validateAndNormalizeRtpCapabilities,
  validateAndNormalizeRtpParameters,
  validateAndNormalizeSctpCapabilities,
  validateAndNormalizeSctpStreamParameters,
} from './validation.js';
