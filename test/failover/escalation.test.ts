import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decideNext } from '../../src/failover/decide.js';
import { sameModelRuleId } from '../../src/failover/escalation.js';
import { createRetryState, commitRetry, recordFailure } from '../../src/failover/retryState.js';
import type { ModelProvider, RetryPolicy, TriggerRule } from '../../src/config/types.js';
import { modelBlockKey } from '../../src/state/blockStore.js';
import { MemoryBlockStore } from '../../src/state/memoryBlockStore.js';
import { policy, provider, providers, rule, seededRng } from './fixtures.js';

const NOW = 100_000;
const escalating: TriggerRule = { ...rule('default', 'different_provider', 1), sameModelRetries: 2 };

function setup(p: RetryPolicy, list = providers(['openai/a', 'anthropic/b'], p)) {
  const global = new MemoryBlockStore();
  const state = createRetryState({ policy: p, primary: list[0]!, providers: list, globalBlocks: global, deadlineMs: NOW + 30_000 });
  return { list, global, state };
}

describe('same_model_retries', () => {
  it('retries the failed entry N times with backoff, then applies the strategy', () => {
    const { list, state } = setup(policy({ defaultRule: escalating }));
    const a = list[0]!;
    const targets: string[] = [];
    for (let i = 0; i < 3; i++) {
      recordFailure(state, a, i + 1, { kind: 'http-error', status: 500, body: '' }, NOW);
      const d = decideNext(state, a, escalating, NOW, seededRng(1));
      assert.equal(d.kind, 'retry');
      targets.push(d.target.name);
      if (d.target === a) assert.ok(d.delayMs >= 50 && d.delayMs <= 200 * (i + 1), `backoff ${d.delayMs}`);
      commitRetry(state, d.ruleId, d.backoffApplied);
    }
    assert.deepEqual(targets, ['openai/a', 'openai/a', 'anthropic/b']);
    assert.equal(state.ruleRetries.get(sameModelRuleId(escalating, a)), 2);
    assert.equal(state.ruleRetries.get('default'), 1);
  });

  it('waits out a short Retry-After on the same model, fails over at once on a long one', () => {
    const { list, global, state } = setup(policy({ defaultRule: escalating, retryAfter: { scope: 'model', applyTo: 'global', maxRetryAfterMs: 300_000, maxWaitMs: 5_000 } }));
    const a = list[0]!;
    recordFailure(state, a, 1, { kind: 'http-error', status: 429, body: '' }, NOW);
    global.block(modelBlockKey(a), NOW + 3_000, { cause: 'retry-after', status: 429 });
    const short = decideNext(state, a, escalating, NOW, seededRng(1));
    assert.deepEqual(short.kind === 'retry' && [short.target.name, short.delayMs], ['openai/a', 3_000]);
    global.block(modelBlockKey(a), NOW + 60_000, { cause: 'retry-after', status: 429 });
    const long = decideNext(state, a, escalating, NOW, seededRng(1));
    assert.deepEqual(long.kind === 'retry' && [long.target.name, long.delayMs], ['anthropic/b', 0]);
  });

  it('escalates even when max_attempts is 0, and never past the deadline', () => {
    const zero: TriggerRule = { ...rule('default', 'different_provider', 0), sameModelRetries: 1 };
    const { list, state } = setup(policy({ defaultRule: zero }));
    recordFailure(state, list[0]!, 1, { kind: 'timeout', phase: 'first-byte', afterMs: 1 }, NOW);
    assert.equal(decideNext(state, list[0]!, zero, NOW, seededRng(1)).kind, 'retry');
    assert.deepEqual(decideNext(state, list[0]!, zero, NOW + 30_000, seededRng(1)), { kind: 'give-up', reason: 'deadline' });
  });
});

describe('context_window preference', () => {
  it('after a context-length error, a larger known window comes first', () => {
    const ctxRule = { id: 'errors:context_length_exceeded', match: 'context_length_exceeded', strategy: 'different_provider', maxAttempts: 1 } as TriggerRule;
    const p = policy();
    const withWindow = (m: ModelProvider, w: number | undefined): ModelProvider => ({ ...m, contextWindow: w });
    const list = [withWindow(provider(0, 'openai/a', p), 8_000), withWindow(provider(1, 'mistral/b'), 8_000), withWindow(provider(2, 'anthropic/c'), 200_000)];
    const { state } = setup(p, list);
    recordFailure(state, list[0]!, 1, { kind: 'http-error', status: 400, body: '' }, NOW);
    const d = decideNext(state, list[0]!, ctxRule, NOW, seededRng(1));
    assert.equal(d.kind === 'retry' && d.target.name, 'anthropic/c');
  });
});
