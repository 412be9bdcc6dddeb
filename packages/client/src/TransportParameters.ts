// ICE and DTLS parameters a transport gets from the server, and its states.

export type IceParameters = {
  usernameFragment: string;
  password: string;
  iceLite?: boolean | undefined;
};

export type IceCandidate = {
  foundation: string;
  priority: number;
  /** The candidate's IP or hostname (mediasoup >= 3.13 sends it). */
  address?: string | undefined;
  /** mediasoup < 3.13 (3.8 among them) sends only `ip`. */
  ip: string;
  protocol: 'udp' | 'tcp';
  port: number;
  type: 'host' | 'srflx' | 'prflx' | 'relay';
  tcpType?: 'active' | 'passive' | 'so' | undefined;
};

export type DtlsRole = 'auto' | 'client' | 'server';

export type FingerprintAlgorithm = 'sha-1' | 'sha-224' | 'sha-256' | 'sha-384' | 'sha-512';

export type DtlsFingerprint = {
  /** Known algorithms autocomplete; other strings pass so server answers typed as plain strings fit. */
  algorithm: FingerprintAlgorithm | (string & {});
  value: string;
};

export type DtlsParameters = {
  role?: DtlsRole | undefined;
  fingerprints: DtlsFingerprint[];
};

export type IceGatheringState = 'new' | 'gathering' | 'complete';

export type ConnectionState =
  | 'new'
  | 'connecting'
  | 'connected'
  | 'failed'
  | 'disconnected'
  | 'closed';

export type PlainRtpParameters = {
  ip: string;
  ipVersion: 4 | 6;
  port: number;
};
