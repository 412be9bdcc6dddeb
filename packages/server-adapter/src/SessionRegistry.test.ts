import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SessionRegistry } from './SessionRegistry.js';

describe('SessionRegistry', () => {
  it('finds a session by its token only, and forgets it when revoked', () => {
    const registry = new SessionRegistry<string>();
    const token = registry.issue('alice');
    assert.equal(Buffer.from(token, 'base64url').length, 32, '256 random bits');
    assert.equal(registry.find(token), 'alice');
    const altered = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    assert.equal(registry.find(altered), undefined, 'one character off is another token');
    assert.equal(registry.find(''), undefined);
    registry.revoke('alice');
    assert.equal(registry.find(token), undefined);
    assert.equal(registry.size, 0);
  });

  it('issues a new token per membership; the previous one stops working', () => {
    const registry = new SessionRegistry<string>();
    const first = registry.issue('bob');
    const second = registry.issue('bob');
    assert.notEqual(first, second);
    assert.equal(registry.find(first), undefined);
    assert.equal(registry.find(second), 'bob');
  });
});
