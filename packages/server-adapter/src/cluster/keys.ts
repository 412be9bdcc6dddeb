/**
 * Every Redis key and channel the cluster uses, under one prefix so that
 * several clusters (or tests) can share a Redis.
 */
export interface ClusterKeys {
  /** A node's liveness: its `NodeInfo` as JSON, expiring after the TTL. */
  node(nodeId: string): string;
  /** Prefix of `node()` keys, for the Lua scripts that check liveness. */
  nodePrefix: string;
  /** Ids of the nodes that registered (pruned of the expired ones on read). */
  nodes: string;
  /** A room's directory entry: hash { owner, epoch }. */
  room(roomId: string): string;
  /** Ids of the nodes that have peers of a room. */
  roomNodes(roomId: string): string;
  /** Bus channel of one node (messages addressed to it). */
  nodeChannel(nodeId: string): string;
  /** Bus channel of one room (its nodes all listen). */
  roomChannel(roomId: string): string;
}

export function clusterKeys(prefix: string): ClusterKeys {
  return {
    node: (nodeId) => `${prefix}:node:${nodeId}`,
    nodePrefix: `${prefix}:node:`,
    nodes: `${prefix}:nodes`,
    room: (roomId) => `${prefix}:room:${roomId}`,
    roomNodes: (roomId) => `${prefix}:room-nodes:${roomId}`,
    nodeChannel: (nodeId) => `${prefix}:bus:node:${nodeId}`,
    roomChannel: (roomId) => `${prefix}:bus:room:${roomId}`,
  };
}
