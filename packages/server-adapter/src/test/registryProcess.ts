// A cluster node's heartbeat in a process of its own, so a test can kill -9
// it: `node --import tsx registryProcess.ts <redis url> <prefix> <nodeId> <ttlMs>`.
import { clusterKeys } from '../cluster/keys.js';
import { NodeRegistry } from '../cluster/NodeRegistry.js';
import { connectRedis } from '../cluster/redis.js';

const [url, prefix, nodeId, ttl] = process.argv.slice(2);
const redis = await connectRedis(url ?? '');
const registry = new NodeRegistry({
  redis,
  keys: clusterKeys(prefix ?? 'test'),
  ttlMs: Number(ttl),
  self: () => ({
    nodeId: nodeId ?? 'child',
    url: 'ws://127.0.0.1:1',
    advertise: '127.0.0.1',
    peers: 0,
    consumers: 0,
    cpu: 0,
    draining: false,
  }),
});
await registry.start();
process.stdout.write('ready\n');
