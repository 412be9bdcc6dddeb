import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { initials } from './tiles.js';

describe('initials (the placeholder when a tile has no picture)', () => {
  it('takes the first letters of the first and last words', () => {
    assert.equal(initials('Ada Lovelace'), 'AL');
    assert.equal(initials('  Grace  Brewster Hopper '), 'GH');
  });

  it('takes two letters of a single word', () => {
    assert.equal(initials('bob'), 'BO');
    assert.equal(initials('x'), 'X');
  });

  it('keeps letters outside the BMP whole', () => {
    assert.equal(initials('𝒜da'), '𝒜D');
  });
});
