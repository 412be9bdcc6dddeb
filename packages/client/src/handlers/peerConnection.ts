import type { ConnectionState, IceGatheringState } from '../TransportParameters.js';

/** The WebRTC classes a handler builds on (the browser's, or @roamhq/wrtc's in Node). */
export type PeerConnectionEnvironment = {
  RTCPeerConnection: typeof RTCPeerConnection;
  MediaStream: typeof MediaStream;
  /** Where the sender's codec list comes from, for codec preferences (absent in old browsers). */
  RTCRtpSender?: Pick<typeof RTCRtpSender, 'getCapabilities'>;
};

export type PeerConnectionListeners = {
  gatheringState: (state: IceGatheringState) => void;
  candidateError: (event: RTCPeerConnectionIceErrorEvent) => void;
  connectionState: (state: ConnectionState) => void;
};

/** How the ICE connection state reads as a connection state, for browsers without the latter. */
const FROM_ICE_STATE: Partial<Record<RTCIceConnectionState, ConnectionState>> = {
  checking: 'connecting',
  connected: 'connected',
  completed: 'connected',
  failed: 'failed',
  disconnected: 'disconnected',
  closed: 'closed',
};

/**
 * Forwards a peer connection's state changes; returns the unsubscribe
 * function. Browsers without `connectionState` (old Safari, some React
 * Native builds) are followed through `iceConnectionState` instead.
 */
export function watchPeerConnection(
  pc: RTCPeerConnection,
  listeners: PeerConnectionListeners,
): () => void {
  const onGathering = () => listeners.gatheringState(pc.iceGatheringState);
  const onCandidateError = (event: Event) =>
    listeners.candidateError(event as RTCPeerConnectionIceErrorEvent);
  const onConnection = () => listeners.connectionState(pc.connectionState);
  const onIceConnection = () => {
    const state = FROM_ICE_STATE[pc.iceConnectionState];
    if (state) listeners.connectionState(state);
  };
  const useConnectionState = typeof pc.connectionState === 'string';
  pc.addEventListener('icegatheringstatechange', onGathering);
  pc.addEventListener('icecandidateerror', onCandidateError);
  if (useConnectionState) pc.addEventListener('connectionstatechange', onConnection);
  else pc.addEventListener('iceconnectionstatechange', onIceConnection);
  return () => {
    pc.removeEventListener('icegatheringstatechange', onGathering);
    pc.removeEventListener('icecandidateerror', onCandidateError);
    pc.removeEventListener('connectionstatechange', onConnection);
    pc.removeEventListener('iceconnectionstatechange', onIceConnection);
  };
}
