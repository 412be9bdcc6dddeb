import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addressGroup } from './addressGroup.js';

describe('addressGroup', () => {
  it('groups IPv6 addresses by /64, however they are written', () => {
    const group = '2001:db8:0:1::/64';
    for (const address of [
      '2001:db8:0:1::1',
      '2001:db8:0:1:ffff:ffff:ffff:ffff',
      '2001:0DB8:0000:0001:0:0:0:2',
      '2001:db8::1:aaaa:0:0:3',
      '2001:db8:0:1::5%eth0',
    ]) {
      assert.equal(addressGroup(address), group, address);
    }
    assert.notEqual(addressGroup('2001:db8:0:2::1'), group);
    assert.equal(addressGroup('::1'), '0:0:0:0::/64');
    assert.equal(addressGroup('64:ff9b::192.0.2.1'), '64:ff9b:0:0::/64');
  });

  it('keeps IPv4 addresses apart, and counts an IPv4-mapped address as its IPv4', () => {
    assert.equal(addressGroup('192.0.2.7'), '192.0.2.7');
    assert.equal(addressGroup('::ffff:192.0.2.7'), '192.0.2.7');
    assert.notEqual(addressGroup('192.0.2.8'), addressGroup('192.0.2.7'));
  });

  it('leaves anything else as it is', () => {
    assert.equal(addressGroup('not an address'), 'not an address');
    assert.equal(addressGroup(''), '');
  });
});
