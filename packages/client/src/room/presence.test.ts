import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RoomClientEvents, RoomEventName } from './events.js';
import { LEAVE_CLOSE_CODE, PAGE_HIDDEN_CLOSE_CODE, PageSession } from './PageSession.js';
import { RemotePeers } from './RemotePeers.js';

function recordingPeers() {
  const events: { name: string; args: unknown[] }[] = [];
  const peers = new RemotePeers(<K extends RoomEventName>(name: K, ...args: RoomClientEvents[K]) =>
    events.push({ name, args }),
  );
  return { peers, events };
}

const info = (peerId: string) => ({ peerId, displayName: peerId, device: { name: 'test' } });

describe('presence: a peer whose link dropped', () => {
  it('is `reconnecting`, then `connected`, each once, as a typed event and on the peer', () => {
    const { peers, events } = recordingPeers();
    const ada = peers.joined(info('ada'));
    peers.connectionStateChanged({ peerId: 'ada', state: 'reconnecting' });
    peers.connectionStateChanged({ peerId: 'ada', state: 'reconnecting' });
    assert.equal(ada.connectionState, 'reconnecting');
    peers.connectionStateChanged({ peerId: 'ada', state: 'connected' });
    assert.deepEqual(
      events.filter((e) => e.name === 'peerconnectionstatechange').map((e) => e.args[0]),
      [
        { peer: ada, state: 'reconnecting' },
        { peer: ada, state: 'connected' },
      ],
    );
  });

  it('coming back as the same peer (a reload took its seat) is one peer, live again', () => {
    const { peers, events } = recordingPeers();
    const ada = peers.joined(info('ada'));
    peers.connectionStateChanged({ peerId: 'ada', state: 'reconnecting' });
    assert.equal(peers.joined(info('ada')), ada);
    assert.equal(peers.list.length, 1);
    assert.equal(ada.connectionState, 'connected');
    assert.equal(events.filter((e) => e.name === 'peerjoined').length, 1);
  });
});

describe('presence: the active speaker ring', () => {
  it('clears after two level reports without the speaker, not after one', () => {
    const { peers, events } = recordingPeers();
    peers.joined(info('ada'));
    peers.activeSpeakerChanged('ada');
    peers.heardLevels([{ peerId: 'bob' }]);
    assert.equal(peers.activeSpeaker, 'ada');
    peers.heardLevels([{ peerId: 'ada' }]);
    peers.heardLevels([]);
    assert.equal(peers.activeSpeaker, 'ada', 'a single quiet report is a pause between words');
    peers.heardLevels([]);
    assert.equal(peers.activeSpeaker, null);
    // The server names a speaker only on change: ada speaking again lights the ring again.
    peers.heardLevels([{ peerId: 'ada' }]);
    assert.equal(peers.activeSpeaker, 'ada');
    assert.deepEqual(
      events.filter((e) => e.name === 'activespeaker').map((e) => e.args[0]),
      ['ada', null, 'ada'],
    );
  });
});

describe('PageSession', () => {
  function memoryStore() {
    const map = new Map<string, string>();
    return {
      map,
      getItem: (key: string) => map.get(key) ?? null,
      setItem: (key: string, value: string) => void map.set(key, value),
      removeItem: (key: string) => void map.delete(key),
    };
  }

  it('remembers the token per room, forgets it on leave, and closes as "may reload"', () => {
    const storage = memoryStore();
    const page = new PageSession({ storage }, 'standup');
    assert.equal(page.token(), undefined);
    page.remember('t'.repeat(43));
    assert.equal(new PageSession({ storage }, 'standup').token(), 't'.repeat(43));
    assert.equal(new PageSession({ storage }, 'other').token(), undefined);
    assert.equal(page.closeCode, PAGE_HIDDEN_CLOSE_CODE);
    page.forget();
    assert.equal(page.token(), undefined);
  });

  it('off (the default), it stores nothing and a hidden page leaves (1000)', () => {
    const page = new PageSession(undefined, 'standup');
    page.remember('t'.repeat(43));
    assert.equal(page.token(), undefined);
    assert.equal(page.closeCode, LEAVE_CLOSE_CODE);
    assert.equal(page.remembers, false);
  });

  it('storage that throws (disabled, quota) makes a reload a fresh join, not a crash', () => {
    const broken = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => undefined,
    };
    const page = new PageSession({ storage: broken }, 'standup');
    page.remember('t'.repeat(43));
    assert.equal(page.token(), undefined);
  });

  it('watches pagehide only where there is a document (nothing in Node)', () => {
    const page = new PageSession(true, 'standup');
    let hidden = 0;
    const unwatch = page.watch(() => hidden++);
    unwatch();
    assert.equal(hidden, 0);
  });
});
