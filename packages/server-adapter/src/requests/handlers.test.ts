import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clientRequests } from '@vroom/protocol';
import { handlers } from './index.js';
import { joinHandlers } from './join.js';
import type { HandlerTable } from './types.js';

describe('the handler table', () => {
  it('has a handler for every client request of the protocol', () => {
    assert.deepEqual(Object.keys(handlers).sort(), Object.keys(clientRequests).sort());
  });

  it('is checked by the compiler: a table missing methods does not type-check', () => {
    // @ts-expect-error -- only the join family: `produce` and the rest are missing.
    const incomplete: HandlerTable = { ...joinHandlers };
    assert.ok(incomplete);
  });
});
