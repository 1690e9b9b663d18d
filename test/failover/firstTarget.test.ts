import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LayeredBlockView } from '../../src/failover/blockView.js';
import { selectFirstTarget } from '../../src/failover/firstTarget.js';
import { MemoryBlockStore } from '../../src/state/memoryBlockStore.js';
import type { ModelProvider } from '../../src/config/types.js';
import { latencyRule, policy, providers, statusRule } from './fixtures.js';

const NOW = 50_000;
const p = policy({
  fallbackModels: ['mistral/m'],
  statusRules: [statusRule(0, [429], 'same_provider', 2)],
  highLatency: latencyRule({ strategy: 'different_provider' }),
});
const list = providers(['openai/a', 'anthropic/c', 'openai/b', 'mistral/m'], p);
const primary = list[0] as ModelProvider;

function first(store: MemoryBlockStore, pol = p) {
  return selectFirstTarget(primary, pol, list, new LayeredBlockView(store), NOW);
}

describe('selectFirstTarget', () => {
  it('goes to the primary when it is not blocked', () => {
    const r = first(new MemoryBlockStore());
    assert.deepEqual(r.kind === 'target' && [r.target.name, r.steered], ['openai/a', false]);
  });

  it('goes to the primary when there is no policy, blocked or not', () => {
    const store = new MemoryBlockStore();
    store.block('model:openai/a', NOW + 1_000, { cause: 'high-latency' });
    const r = selectFirstTarget(primary, undefined, list, new LayeredBlockView(store), NOW);
    assert.equal(r.kind === 'target' && r.target.name, 'openai/a');
  });

  it('steers by the strategy of the rule behind a Retry-After block', () => {
    const store = new MemoryBlockStore();
    store.block('model:openai/a', NOW + 1_000, { cause: 'retry-after', status: 429 });
    const r = first(store);
    assert.deepEqual(r.kind === 'target' && [r.target.name, r.steered], ['openai/b', true]);
  });

  it('steers by on_high_latency\'s strategy behind a latency block, fallbacks first', () => {
    const store = new MemoryBlockStore();
    store.block('model:openai/a', NOW + 1_000, { cause: 'high-latency' });
    const r = first(store);
    assert.equal(r.kind === 'target' && r.target.name, 'mistral/m');
  });

  it('uses the default strategy for a status no rule lists', () => {
    const store = new MemoryBlockStore();
    store.block('provider:openai', NOW + 1_000, { cause: 'retry-after', status: 503 });
    const r = first(store);
    assert.equal(r.kind === 'target' && r.target.name, 'mistral/m');
  });

  it('reports the shortest remaining block when every candidate is blocked', () => {
    const store = new MemoryBlockStore();
    store.block('model:openai/a', NOW + 57_000, { cause: 'high-latency' });
    store.block('model:mistral/m', NOW + 90_000, { cause: 'high-latency' });
    store.block('provider:anthropic', NOW + 12_000, { cause: 'retry-after', status: 429 });
    assert.deepEqual(first(store), { kind: 'all-blocked', shortestRemainingBlockMs: 12_000 });
  });

  it('same_model cannot move: a blocked primary means all blocked', () => {
    const store = new MemoryBlockStore();
    store.block('model:openai/a', NOW + 3_000, { cause: 'retry-after', status: 429 });
    const pol = policy({ statusRules: [statusRule(0, [429], 'same_model', 2)] });
    assert.deepEqual(first(store, pol), { kind: 'all-blocked', shortestRemainingBlockMs: 3_000 });
  });
});
