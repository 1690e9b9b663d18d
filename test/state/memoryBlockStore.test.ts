import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryBlockStore } from '../../src/state/memoryBlockStore.js';
import { blockKeyFor, modelBlockKey, providerBlockKey } from '../../src/state/blockStore.js';
import { provider } from '../failover/fixtures.js';

const RA = { cause: 'retry-after', status: 429 } as const;

describe('MemoryBlockStore', () => {
  it('reports a block until its end, then forgets it', () => {
    const store = new MemoryBlockStore();
    store.block('model:a', 5_000, RA);
    assert.equal(store.blockedUntil('model:a', 4_999), 5_000);
    assert.equal(store.blockedUntil('model:a', 5_000), undefined);
    assert.equal(store.size, 0, 'the expired entry is pruned on read');
  });

  it('never shortens an existing block', () => {
    const store = new MemoryBlockStore();
    store.block('k', 9_000, RA);
    store.block('k', 6_000, { cause: 'high-latency' });
    assert.equal(store.lookup('k', 0)?.untilMs, 9_000);
    assert.deepEqual(store.lookup('k', 0)?.reason, RA);
    store.block('k', 12_000, { cause: 'high-latency' });
    assert.equal(store.lookup('k', 0)?.reason.cause, 'high-latency');
  });

  it('keeps keys apart', () => {
    const store = new MemoryBlockStore();
    store.block('provider:openai', 100, RA);
    assert.equal(store.blockedUntil('model:openai/gpt-4o', 0), undefined);
    assert.equal(store.blockedUntil('provider:openai', 0), 100);
  });
});

describe('block keys', () => {
  it('name a model entry or a provider prefix', () => {
    const p = provider(0, 'openai/gpt-4o');
    assert.equal(modelBlockKey(p), 'model:openai/gpt-4o');
    assert.equal(providerBlockKey('openai'), 'provider:openai');
    assert.equal(blockKeyFor(p, 'model'), 'model:openai/gpt-4o');
    assert.equal(blockKeyFor(p, 'provider'), 'provider:openai');
  });
});
