import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_BACKOFF } from './Backoff.js';
import { DEFAULT_HEARTBEAT } from './Heartbeat.js';
import { DEFAULT_ICE_TIMEOUT_MS } from './IceRestarter.js';
import { DEFAULT_RECONNECT } from './Reconnector.js';
import { CLIENT_TIMING } from './timing.js';

describe('the client timing table', () => {
  it('keeps the relations written down in timing.ts', () => {
    const t = CLIENT_TIMING;
    assert.ok(2 * t.heartbeat.intervalMs < t.heartbeat.timeoutMs, 'two pings in the silence');
    assert.ok(t.probeTimeoutMs < t.heartbeat.timeoutMs, 'a probe is the faster verdict');
    assert.ok(t.backoff.initialDelayMs <= t.backoff.maxDelayMs, 'the waits grow up to the cap');
    assert.ok(t.backoff.jitterMs <= t.backoff.maxDelayMs, 'the jitter stays inside the cap');
    assert.ok(t.staleAttemptMs < t.reconnect.attemptTimeoutMs, 'superseded before abandoned');
    assert.ok(t.reachabilityTimeoutMs < t.reconnect.attemptTimeoutMs, 'checked before abandoned');
    assert.ok(t.offlineAttemptEveryMs < t.reconnect.maxDurationMs, 'offline still tries');
    assert.ok(t.iceTimeoutMs < t.reconnect.maxDurationMs, 'the ICE watchdog fires first');
    assert.ok(t.mediaComebackPollMs < t.backoff.maxDelayMs, 'media back cuts a wait short');
  });

  it('is where the public defaults come from', () => {
    assert.equal(DEFAULT_HEARTBEAT, CLIENT_TIMING.heartbeat);
    assert.equal(DEFAULT_BACKOFF, CLIENT_TIMING.backoff);
    assert.equal(DEFAULT_RECONNECT, CLIENT_TIMING.reconnect);
    assert.equal(DEFAULT_ICE_TIMEOUT_MS, CLIENT_TIMING.iceTimeoutMs);
  });
});
