import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from './scalabilityModes.js';

describe('parseScalabilityMode()', () => {
  it('reads spatial and temporal layers from L and S modes, with or without suffix', () => {
    assert.deepEqual(parse('L1T3'), { spatialLayers: 1, temporalLayers: 3 });
    assert.deepEqual(parse('L3T3_KEY'), { spatialLayers: 3, temporalLayers: 3 });
    assert.deepEqual(parse('S2T1_KEY_SHIFT'), { spatialLayers: 2, temporalLayers: 1 });
    assert.deepEqual(parse('L10T2'), { spatialLayers: 10, temporalLayers: 2 });
    assert.deepEqual(parse('L1T3h'), { spatialLayers: 1, temporalLayers: 3 });
  });

  it('falls back to one layer each for missing or unparsable modes', () => {
    for (const mode of [undefined, '', 'foo', 'l2t2', 'L0T1']) {
      assert.deepEqual(parse(mode), { spatialLayers: 1, temporalLayers: 1 }, String(mode));
    }
  });
});
