import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { debug } from './debug.js';

// The `debug` package's conventions, which apps of mediasoup-client rely on.

function capture(namespace: string): { lines: unknown[][]; log: ReturnType<typeof debug> } {
  const lines: unknown[][] = [];
  const log = debug(namespace);
  log.log = (...args) => lines.push(args);
  return { lines, log };
}

describe('debug', () => {
  afterEach(() => debug.disable());

  it('prints only enabled namespaces: wildcards, lists and -exclusions', () => {
    debug.enable('vroom:*,-vroom:Transport other:one');
    assert.equal(debug.enabled('vroom:Device'), true);
    assert.equal(debug.enabled('vroom:WARN:Device'), true);
    assert.equal(debug.enabled('vroom:Transport'), false, 'excluded');
    assert.equal(debug.enabled('other:one'), true);
    assert.equal(debug.enabled('other:two'), false);
    assert.equal(debug.enabled('vroomish'), false);
    const on = capture('vroom:Device');
    const off = capture('vroom:Transport');
    on.log('hello');
    off.log('hello');
    assert.equal(on.lines.length, 1);
    assert.equal(off.lines.length, 0);
  });

  it('formats %s %d %i %o %j %% printf-style and passes extra arguments on', () => {
    debug.enable('fmt');
    const { lines, log } = capture('fmt');
    log('a %s b %d c %i d %o e %j %% f', 'str', '4', '7.9', { x: [1] }, 'j', 'extra');
    const [line, ...rest] = lines[0]!;
    assert.match(String(line), /^fmt a str b 4 c 7 d \{"x":\[1\]\} e "j" % f \+\d+ms$/);
    assert.deepEqual(rest, ['extra']);
  });

  it('prints an Error given to %o with its stack', () => {
    debug.enable('err');
    const { lines, log } = capture('err');
    log('failed: %o', new Error('boom'));
    assert.match(String(lines[0]![0]), /failed: Error: boom\n\s+at /);
  });

  it('disable() stops everything and returns what was enabled; enabled can be forced per logger', () => {
    debug.enable('a:*');
    assert.equal(debug.disable(), 'a:*');
    const { lines, log } = capture('a:b');
    log('quiet');
    assert.equal(lines.length, 0);
    log.enabled = true;
    log('forced');
    assert.equal(lines.length, 1);
  });

  it('extend() makes a child namespace', () => {
    const child = debug('vroom').extend('Child');
    assert.equal(child.namespace, 'vroom:Child');
    assert.equal(debug('x').extend('y', '/').namespace, 'x/y');
  });
});
