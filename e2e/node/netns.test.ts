/**
 * The test network namespace helper (support/netns.ts), on the real kernel:
 * it needs root and `ip`, as every netns-based test does.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { createTestNetns, removeNetns, waitForLine } from '../support/netns.js';

const namespaces = () => execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });

describe('createTestNetns', () => {
  it('gives a namespace a veth link to the host, runs processes inside, and removes it all', async () => {
    const netns = createTestNetns({ name: 'nstest', subnet: '10.77.250' });
    try {
      assert.match(namespaces(), /^vroom-nstest\b/m);
      assert.match(
        netns.exec('ip', ['-br', 'addr', 'show', netns.innerVeth]),
        /10\.77\.250\.2\/24/,
      );
      // A server inside, reached from the host over the link.
      const server = `require('node:http').createServer((q, r) => r.end('inside'))
        .listen(8080, '${netns.innerIp}', () => console.log('ready'));`;
      const child = netns.spawn(process.execPath, ['-e', server]);
      assert.equal(await waitForLine(child, /^ready$/), 'ready');
      const response = await fetch(`http://${netns.innerIp}:8080/`);
      assert.equal(await response.text(), 'inside');
      await netns.delete();
      assert.ok(
        child.exitCode !== null || child.signalCode !== null,
        'the process inside was stopped',
      );
    } finally {
      await netns.delete();
    }
    assert.doesNotMatch(namespaces(), /^vroom-nstest\b/m);
    assert.throws(() => execFileSync('ip', ['link', 'show', 'vnstest-h'], { stdio: 'pipe' }));
  });

  it('replaces a stale namespace of the same name left by a crashed run', async () => {
    execFileSync('ip', ['netns', 'add', 'vroom-nstest']);
    const netns = createTestNetns({ name: 'nstest', subnet: '10.77.250' });
    try {
      assert.match(netns.exec('ip', ['-br', 'link']), /vnstest-n/);
    } finally {
      await netns.delete();
    }
    assert.doesNotMatch(namespaces(), /^vroom-nstest\b/m);
  });

  it('refuses names that are not its own and bad subnets', () => {
    assert.throws(() => removeNetns('production'), /not a test namespace/);
    assert.throws(() => createTestNetns({ name: 'Bad Name', subnet: '10.77.250' }), /lowercase/);
    assert.throws(() => createTestNetns({ name: 'ok', subnet: '10.77' }), /three octets/);
  });
});
