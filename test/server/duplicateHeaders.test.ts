import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { findDuplicatedHeader } from '../../src/server/duplicateHeaders.js';

describe('findDuplicatedHeader', () => {
  it('finds a repeated critical header whatever its case', () => {
    assert.equal(findDuplicatedHeader(['Host', 'a', 'Authorization', 'x', 'authorization', 'y']), 'authorization');
    assert.equal(findDuplicatedHeader(['X-Api-Key', 'a', 'x-api-key', 'b']), 'x-api-key');
    assert.equal(findDuplicatedHeader(['host', 'a', 'HOST', 'b']), 'host');
  });

  it('allows repeats of ordinary headers and single critical ones', () => {
    assert.equal(findDuplicatedHeader(['Host', 'a', 'Accept', 'x', 'Accept', 'y', 'Cookie', 'a', 'Cookie', 'b', 'Authorization', 'z']), undefined);
    assert.equal(findDuplicatedHeader([]), undefined);
  });
});
