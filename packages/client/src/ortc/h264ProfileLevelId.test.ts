import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as reference from 'h264-profile-level-id';
import { generateProfileLevelIdStringForAnswer, isSameProfile } from './h264ProfileLevelId.js';

// The SDK's own H264 profile-level-id matching, checked against the
// `h264-profile-level-id` package (what mediasoup-client 3.24.1 uses) over
// every profile byte pair the RFC patterns mention, every level, and
// malformed ids.

const profileBytes = [
  '42e0',
  '42c0',
  '4240',
  '4200',
  '4210',
  '42f0',
  '4d00',
  '4d80',
  '4d10',
  '4d40',
  '58c0',
  '5880',
  '5800',
  '640c',
  '6400',
  '6410',
  'f400',
  'f40c',
  '0000',
];
const levels = [
  '0a',
  '0b',
  '0c',
  '0d',
  '14',
  '15',
  '16',
  '1e',
  '1f',
  '20',
  '28',
  '29',
  '2a',
  '32',
  '33',
  '34',
  '09',
  '3c',
  'ff',
];
const ids: (string | number | undefined)[] = [
  undefined,
  '',
  'zzzzzz',
  '42e01',
  '42e01f0',
  640032,
  '42E01F',
];
for (const profile of profileBytes) for (const level of levels) ids.push(profile + level);

function params(id: string | number | undefined, asymmetry?: number | string) {
  const p: Record<string, unknown> = { 'packetization-mode': 1 };
  if (id !== undefined) p['profile-level-id'] = id;
  if (asymmetry !== undefined) p['level-asymmetry-allowed'] = asymmetry;
  return p;
}

function outcome(fn: () => string | undefined): string {
  try {
    return `ok:${fn()}`;
  } catch {
    return 'throws';
  }
}

describe('H264 profile-level-id', () => {
  it('isSameProfile agrees with h264-profile-level-id on every pair of ids', () => {
    for (const a of ids) {
      for (const b of ids) {
        assert.equal(
          isSameProfile(params(a), params(b)),
          reference.isSameProfile(params(a), params(b)),
          `isSameProfile(${a}, ${b})`,
        );
      }
    }
  });

  it('the answer id agrees with h264-profile-level-id, with and without level asymmetry', () => {
    for (const asymmetry of [undefined, 1, '1', 0]) {
      for (const a of ids) {
        for (const b of ids) {
          const local = params(a, asymmetry);
          const remote = params(b, 1);
          assert.equal(
            outcome(() => generateProfileLevelIdStringForAnswer(local, remote)),
            outcome(() => reference.generateProfileLevelIdStringForAnswer(local, remote)),
            `answer(${a}, ${b}, asymmetry ${asymmetry})`,
          );
        }
      }
    }
  });

  it('answers the lower level unless both sides allow asymmetry', () => {
    assert.equal(
      generateProfileLevelIdStringForAnswer(params('42e034'), params('42e01f')),
      '42e01f',
    );
    assert.equal(
      generateProfileLevelIdStringForAnswer(params('42e034', 1), params('42e01f', 1)),
      '42e034',
    );
  });

  it('refuses different profiles and malformed ids with a TypeError', () => {
    assert.throws(
      () => generateProfileLevelIdStringForAnswer(params('640032'), params('42e01f')),
      TypeError,
    );
    assert.throws(
      () => generateProfileLevelIdStringForAnswer(params('nothex'), params('42e01f')),
      TypeError,
    );
  });
});
