import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CLIENT_TIMING } from '@vroom/client/room';
import { SERVER_TIMING } from '@vroom/server-adapter';

// The relations written down in packages/server-adapter/src/timing.ts, checked
// between the two tables' defaults. Only here: the packages never import each
// other. Each relation says what breaks when it does not hold.
type Relation = { says: string; left: number; right: number };

const client = CLIENT_TIMING;
const server = SERVER_TIMING;

const relations: Relation[] = [
  {
    says: "client heartbeat.intervalMs < server signalingTimeoutMs (a live client's pings keep its connection)",
    left: client.heartbeat.intervalMs,
    right: server.signalingTimeoutMs,
  },
  {
    says: 'client backoff.maxDelayMs + reconnect.attemptTimeoutMs < server resumeWindowMs (an attempt after the longest wait still resumes)',
    left: client.backoff.maxDelayMs + client.reconnect.attemptTimeoutMs,
    right: server.resumeWindowMs,
  },
  {
    says: 'client offlineAttemptEveryMs < server resumeWindowMs (an offline-looking client tries within the window)',
    left: client.offlineAttemptEveryMs,
    right: server.resumeWindowMs,
  },
  {
    says: 'server resumeWindowMs + mediaTimeoutMs + mediaPollMs < client reconnect.maxDurationMs (the client outlasts its old session, then rejoins)',
    left: server.resumeWindowMs + server.mediaTimeoutMs + server.mediaPollMs,
    right: client.reconnect.maxDurationMs,
  },
  {
    says: 'client heartbeat.timeoutMs < server mediaTimeoutMs + mediaPollMs (the client knows its channel is dead before the server counts its media dead)',
    left: client.heartbeat.timeoutMs,
    right: server.mediaTimeoutMs + server.mediaPollMs,
  },
];

describe('client and server timing tables', () => {
  for (const { says, left, right } of relations) {
    it(says, () => {
      assert.ok(left < right, `${says}: ${left} is not below ${right}`);
    });
  }
});
