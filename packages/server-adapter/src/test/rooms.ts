import type { Peer } from '../Peer.js';
import type { SfuServer } from '../SfuServer.js';
import { deviceRtpCapabilities, dtlsParameters, sctpCapabilities } from './fixtures.js';
import { TestClient } from './TestClient.js';

/** A client joined with capabilities and both transports (SCTP on), send transport connected. */
export interface JoinedClient {
  client: TestClient;
  sendTransportId: string;
  recvTransportId: string;
  /** The peers its join answer listed. */
  peerIds: string[];
}

export async function joinWithMedia(server: SfuServer, roomId: string): Promise<JoinedClient> {
  const client = new TestClient(server);
  const response = await client.join(roomId, {
    rtpCapabilities: deviceRtpCapabilities,
    sctpCapabilities,
    transports: { send: { sctp: true }, recv: { sctp: true } },
  });
  if (!response.sendTransport || !response.recvTransport)
    throw new Error('join made no transports');
  await client.request('connectWebRtcTransport', {
    transportId: response.sendTransport.id,
    dtlsParameters,
  });
  return {
    client,
    sendTransportId: response.sendTransport.id,
    recvTransportId: response.recvTransport.id,
    peerIds: response.peers.map((p) => p.peerId),
  };
}

/** The server-side session of a test client (inspection only). */
export function serverPeer(server: SfuServer, roomId: string, peerId: string): Peer {
  const peer = server.room(roomId)?.peers.find((p) => p.id === peerId);
  if (!peer) throw new Error(`peer ${peerId} is not in room ${roomId}`);
  return peer;
}
