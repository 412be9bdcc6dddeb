// The cluster's public types, apart from the code that uses ioredis: the
// published declarations of the server must not pull in ioredis' own (they
// need @types for 'redis-errors', which consumers do not have).

/** What a node says of itself in every heartbeat. */
export interface NodeInfo {
  nodeId: string;
  /** Where clients reach its signaling (e.g. `ws://10.0.0.2:3000`), for redirects. */
  url: string;
  /** The address other nodes send piped media to. */
  advertise: string;
  peers: number;
  consumers: number;
  /** Worker CPU, 0..1 per core, as last measured. */
  cpu: number;
  /** Takes no new peers; its peers are moving away. */
  draining: boolean;
}

/** `createSfuServer({ cluster })`: this process as one node of a cluster on Redis. */
export interface ClusterOptions {
  /** Redis URL: `redis://[:password@]host:port[/db]` (`rediss://` for TLS). */
  redis: string;
  /** Unique per node: letters, digits, `.`, `_`, `-` (at most 64). */
  nodeId: string;
  /** Where clients reach this node's signaling, e.g. `ws://10.0.0.2:3000` (for redirects). */
  url: string;
  /** The address other nodes send this node's piped media to. */
  advertise: string;
  /** Local address pipe transports listen on; default `advertise`. */
  pipeListenIp?: string;
  /** SRTP on the pipes between nodes; default false (use it when the network between nodes is not private). */
  srtp?: boolean;
  /** Redis key prefix, so several clusters can share a Redis; default `vroom`. */
  prefix?: string;
  /** A node whose heartbeat is older than this is dead; default 1500 ms. */
  heartbeatTtlMs?: number;
  /** How long a first joiner waits for the other nodes' peers of its room; default 1000 ms. */
  syncTimeoutMs?: number;
}

/** What the application sees of its node: `server.cluster`. */
export interface ClusterStatus {
  readonly nodeId: string;
  /** The live nodes as this one last saw them (itself included). */
  liveNodes(): NodeInfo[];
}
