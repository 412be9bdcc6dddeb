import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_SESSION_OPTIONS } from './sessionOptions.js';
import { SERVER_TIMING } from './timing.js';

describe('the server timing table', () => {
  it('keeps the relations written down in timing.ts', () => {
    const t = SERVER_TIMING;
    assert.ok(
      t.mediaPollMs < t.mediaTimeoutMs,
      'a poll sees live bytes before the media counts as dead',
    );
    assert.ok(t.detachedPollMs <= t.mediaPollMs, 'the close look is closer than the regular poll');
    assert.ok(
      2 * t.wsPingIntervalMs < t.signalingTimeoutMs,
      'pings find a cut link before the backstop',
    );
    assert.ok(t.pageReloadGraceMs < t.resumeWindowMs, 'a goodbye is held less than a lost link');
    assert.ok(t.workerRespawnInitialMs <= t.workerRespawnMaxMs, 'respawn waits grow to the cap');
  });

  it('is where the session defaults come from', () => {
    assert.deepEqual(DEFAULT_SESSION_OPTIONS, {
      resumeWindowMs: SERVER_TIMING.resumeWindowMs,
      pageReloadGraceMs: SERVER_TIMING.pageReloadGraceMs,
      mediaPollMs: SERVER_TIMING.mediaPollMs,
      mediaTimeoutMs: SERVER_TIMING.mediaTimeoutMs,
      signalingTimeoutMs: SERVER_TIMING.signalingTimeoutMs,
    });
  });
});
