import type { ConnectionState, IceGatheringState } from '../TransportParameters.js';

/** The WebRTC classes a handler builds on (the browser's, or @roamhq/wrtc's in Node). */
export type PeerConnectionEnvironment = {
  RTCPeerConnection: typeof RTCPeerConnection;
  MediaStream: typeof MediaStream;
  /** Where the sender's codec list comes from, for codec preferences (absent in old browsers). */
  RTCRtpSender?: Pick<typeof RTCRtpSender, 'getCapabilities'>;
};

/** Receives the handler events a peer connection's changes become. */
export type PeerConnectionListener = (
  ...event:
    | ['@icegatheringstatechange', IceGatheringState]
    | ['@icecandidateerror', RTCPeerConnectionIceErrorEvent]
    | ['@connectionstatechange', ConnectionState]
) => void;

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
  listener: PeerConnectionListener,
): () => void {
  const onGathering = () => listener('@icegatheringstatechange', pc.iceGatheringState);
  const onCandidateError = (event: Event) =>
    listener('@icecandidateerror', event as RTCPeerConnectionIceErrorEvent);
  const onConnection = () => listener('@connectionstatechange', pc.connectionState);
  const onIceConnection = () => {
    const state = FROM_ICE_STATE[pc.iceConnectionState];
    if (state) listener('@connectionstatechange', state);
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
