import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LayeredBlockView } from '../../src/failover/blockView.js';
import { selectNextCandidate } from '../../src/failover/candidates.js';
import { MemoryBlockStore } from '../../src/state/memoryBlockStore.js';
import type { ModelProvider, Strategy } from '../../src/config/types.js';
import { policy, providers } from './fixtures.js';

const list = providers(['openai/gpt-4o', 'openai/gpt-4o-mini', 'anthropic/sonnet', 'mistral/large', 'anthropic/haiku', 'openai/o1']);
const [gpt4o, mini, sonnet, large, haiku, o1] = list as [ModelProvider, ModelProvider, ModelProvider, ModelProvider, ModelProvider, ModelProvider];
const NOW = 1_000;

function next(
  strategy: Strategy,
  opts: { fallbacks?: string[]; tried?: ModelProvider[]; store?: MemoryBlockStore; current?: ModelProvider } = {},
): string | undefined {
  const p = policy({ fallbackModels: opts.fallbacks ?? [] });
  const view = new LayeredBlockView(opts.store ?? new MemoryBlockStore());
  return selectNextCandidate(gpt4o, opts.current ?? gpt4o, strategy, p, list, opts.tried ?? [gpt4o], view, NOW)?.name;
}

describe('selectNextCandidate', () => {
  it('different_provider: config order among other prefixes', () => {
    assert.equal(next('different_provider'), 'anthropic/sonnet');
  });

  it('fallback_models come first, in their order', () => {
    assert.equal(next('different_provider', { fallbacks: ['mistral/large', 'anthropic/sonnet'] }), 'mistral/large');
  });

  it('skips fallbacks that do not match the strategy', () => {
    assert.equal(next('different_provider', { fallbacks: ['openai/o1', 'anthropic/haiku'] }), 'anthropic/haiku');
    assert.equal(next('same_provider', { fallbacks: ['anthropic/haiku', 'openai/o1'] }), 'openai/o1');
  });

  it('then the remaining providers in config order', () => {
    assert.equal(next('different_provider', { fallbacks: ['mistral/large'], tried: [gpt4o, large] }), 'anthropic/sonnet');
  });

  it('same_provider: another entry with the primary prefix', () => {
    assert.equal(next('same_provider'), 'openai/gpt-4o-mini');
    assert.equal(next('same_provider', { tried: [gpt4o, mini] }), 'openai/o1');
    assert.equal(next('same_provider', { tried: [gpt4o, mini, o1] }), undefined);
  });

  it('same_model repeats the entry that failed, blocked or not', () => {
    const store = new MemoryBlockStore();
    store.block('model:openai/gpt-4o', NOW + 5_000, { cause: 'retry-after', status: 429 });
    assert.equal(next('same_model', { store }), 'openai/gpt-4o');
    assert.equal(next('same_model', { current: sonnet, tried: [gpt4o, sonnet] }), 'anthropic/sonnet');
  });

  it('skips tried candidates', () => {
    assert.equal(next('different_provider', { tried: [gpt4o, sonnet] }), 'mistral/large');
    assert.equal(next('different_provider', { tried: [gpt4o, sonnet, large, haiku] }), undefined);
  });

  it('skips blocked models and blocked prefixes, until the block ends', () => {
    const store = new MemoryBlockStore();
    store.block('model:anthropic/sonnet', NOW + 10, { cause: 'retry-after', status: 429 });
    assert.equal(next('different_provider', { store }), 'mistral/large');
    store.block('provider:mistral', NOW + 10, { cause: 'high-latency' });
    assert.equal(next('different_provider', { store }), 'anthropic/haiku');
    store.block('provider:anthropic', NOW + 10, { cause: 'high-latency' });
    assert.equal(next('different_provider', { store }), undefined);
    const later = selectNextCandidate(gpt4o, gpt4o, 'different_provider', policy(), list, [gpt4o], new LayeredBlockView(store), NOW + 10);
    assert.equal(later?.name, 'anthropic/sonnet');
  });

  it('sees request-scoped blocks through the layered view', () => {
    const local = new MemoryBlockStore();
    local.block('model:anthropic/sonnet', NOW + 10, { cause: 'retry-after', status: 429 });
    const view = new LayeredBlockView(new MemoryBlockStore(), local);
    assert.equal(selectNextCandidate(gpt4o, gpt4o, 'different_provider', policy(), list, [gpt4o], view, NOW)?.name, 'mistral/large');
  });

  it('is deterministic', () => {
    const picks = new Set(Array.from({ length: 20 }, () => next('different_provider', { fallbacks: ['anthropic/haiku'] })));
    assert.deepEqual([...picks], ['anthropic/haiku']);
  });
});
