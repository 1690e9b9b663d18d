// The pure part of hedging: which settings apply, the trigger, the delay, the
// budget, and where a hedge goes (decideNext in 'hedge' mode: the retry a
// timeout would make, without waiting).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decideNext } from '../../src/failover/decide.js';
import { BUDGET_MIN_REQUESTS, hedgeBudgetAllows, hedgeDelayMs, hedgeFor, hedgeMilestone } from '../../src/failover/hedge.js';
import { createRetryState, markTried } from '../../src/failover/retryState.js';
import type { HedgePolicy, ModelProvider, RetryPolicy } from '../../src/config/types.js';
import { MemoryBlockStore } from '../../src/state/memoryBlockStore.js';
import { MemoryHedgeBudget } from '../../src/state/memoryHedgeBudget.js';
import { policy, provider, providers, rule, seededRng } from './fixtures.js';

const fixed = (ms: number, extra: Partial<HedgePolicy> = {}): HedgePolicy => ({ delay: { kind: 'fixed', ms }, maxExtraAttempts: 1, budgetPercent: 10, trigger: undefined, ...extra });
const learned: HedgePolicy = { ...fixed(0), delay: { kind: 'learned', quantile: 0.95, minMs: 20, maxMs: 10_000 } };

describe('hedge settings', () => {
  it("an entry's own hedge wins over the policy's; no policy, no hedge", () => {
    const own = { ...provider(0, 'openai/a'), hedge: fixed(1) };
    const plain = provider(1, 'openai/b');
    const pol = policy({ hedge: fixed(2) });
    assert.equal(hedgeFor(own, pol), own.hedge);
    assert.equal(hedgeFor(plain, pol), pol.hedge);
    assert.equal(hedgeFor(own, undefined), undefined);
    assert.equal(hedgeFor(plain, policy()), undefined);
  });

  it('the trigger: first token for streams, first byte otherwise, unless configured', () => {
    assert.equal(hedgeMilestone(fixed(1), true), 'first-token');
    assert.equal(hedgeMilestone(fixed(1), false), 'first-byte');
    assert.equal(hedgeMilestone(fixed(1, { trigger: 'first_byte' }), true), 'first-byte');
    assert.equal(hedgeMilestone(fixed(1, { trigger: 'first_token' }), false), 'first-token');
  });

  it('the delay: after_ms as is; a percentile clamped, and max_after_ms below 20 samples', () => {
    assert.equal(hedgeDelayMs(fixed(750), undefined), 750);
    assert.equal(hedgeDelayMs(learned, undefined), 10_000);
    assert.equal(hedgeDelayMs(learned, { valueMs: 300, samples: 19 }), 10_000);
    assert.equal(hedgeDelayMs(learned, { valueMs: 300.4, samples: 20 }), 300);
    assert.equal(hedgeDelayMs(learned, { valueMs: 3, samples: 500 }), 20);
    assert.equal(hedgeDelayMs(learned, { valueMs: 60_000, samples: 500 }), 10_000);
  });

  it('the budget: one hedge under 10 requests, then hedges + 1 ≤ budget_percent of the requests', () => {
    assert.equal(BUDGET_MIN_REQUESTS, 10);
    assert.equal(hedgeBudgetAllows({ requests: 1, hedges: 0 }, 10), true);
    assert.equal(hedgeBudgetAllows({ requests: 9, hedges: 1 }, 10), false);
    assert.equal(hedgeBudgetAllows({ requests: 10, hedges: 0 }, 10), true);
    assert.equal(hedgeBudgetAllows({ requests: 19, hedges: 1 }, 10), false);
    assert.equal(hedgeBudgetAllows({ requests: 20, hedges: 1 }, 10), true);
    assert.equal(hedgeBudgetAllows({ requests: 100, hedges: 24 }, 25), true);
    assert.equal(hedgeBudgetAllows({ requests: 100, hedges: 25 }, 25), false);
  });

  it('the budget counts over a sliding 60 s window', () => {
    const b = new MemoryHedgeBudget();
    for (let i = 0; i < 20; i++) b.noteRequest('m', 1_000 + i * 1000);
    b.noteHedge('m', 5_000);
    assert.deepEqual(b.counts('m', 20_000), { requests: 20, hedges: 1 });
    assert.deepEqual(b.counts('m', 65_999), { requests: 15, hedges: 0 }, 'the first 5 s have left the window');
    assert.deepEqual(b.counts('m', 200_000), { requests: 0, hedges: 0 });
    assert.deepEqual(b.counts('other', 20_000), { requests: 0, hedges: 0 });
  });
});

describe("decideNext in 'hedge' mode", () => {
  function setup(p: RetryPolicy, global = new MemoryBlockStore()) {
    const list = providers(['openai/a', 'openai/b', 'anthropic/c', 'mistral/d'], p);
    const [a, , c, d] = list as [ModelProvider, ModelProvider, ModelProvider, ModelProvider];
    const state = createRetryState({ policy: p, primary: a, providers: list, globalBlocks: global, deadlineMs: 1_000_000 });
    markTried(state, a);
    return { a, c, d, state, global };
  }

  it('goes where a timeout retry would, with no backoff', () => {
    const p = policy({ timeoutRule: rule('timeout', 'different_provider', 1), backoff: { applyTo: 'global', baseMs: 500, maxMs: 5000, jitter: false } });
    const { a, c, state } = setup(p);
    assert.deepEqual(decideNext(state, a, p.timeoutRule, 0, seededRng(1), undefined, 'hedge'), { kind: 'retry', target: c, delayMs: 0, ruleId: 'timeout', backoffApplied: false });
    const retry = decideNext(state, a, p.timeoutRule, 0, seededRng(1));
    assert.ok(retry.kind === 'retry' && retry.delayMs === 500, 'a retry would wait');
  });

  it('skips blocked entries like a retry; never waits for a same-model block', () => {
    const p = policy({ timeoutRule: rule('timeout', 'different_provider', 1) });
    const { a, d, state, global } = setup(p);
    global.block('model:anthropic/c', 60_000, { cause: 'circuit-open' });
    const h = decideNext(state, a, p.timeoutRule, 0, seededRng(1), undefined, 'hedge');
    assert.ok(h.kind === 'retry' && h.target === d);
    const same = policy({ timeoutRule: rule('timeout', 'same_model', 1) });
    const s = setup(same);
    assert.ok(decideNext(s.state, s.a, same.timeoutRule, 0, seededRng(1), undefined, 'hedge').kind === 'retry', 'same_model hedges onto the same entry');
    s.global.block('model:openai/a', 5_000, { cause: 'retry-after', status: 429 });
    assert.deepEqual(decideNext(s.state, s.a, same.timeoutRule, 0, seededRng(1), undefined, 'hedge'), { kind: 'give-up', reason: 'no-candidate' });
    assert.equal(decideNext(s.state, s.a, same.timeoutRule, 0, seededRng(1)).kind, 'retry', 'a retry would wait the block out');
  });

  it('same_model_retries on the timeout rule hedge onto the same entry first, without backoff', () => {
    const p = policy({ timeoutRule: { ...rule('timeout', 'different_provider', 1), sameModelRetries: 1 } });
    const { a, state } = setup(p);
    const h = decideNext(state, a, p.timeoutRule, 0, seededRng(1), undefined, 'hedge');
    assert.ok(h.kind === 'retry' && h.target === a && h.delayMs === 0);
  });

  it('gives up like a retry: rule exhausted, deadline', () => {
    const p = policy({ timeoutRule: rule('timeout', 'different_provider', 0) });
    const { a, state } = setup(p);
    assert.deepEqual(decideNext(state, a, p.timeoutRule, 0, seededRng(1), undefined, 'hedge'), { kind: 'give-up', reason: 'rule-exhausted' });
    const q = policy({ timeoutRule: rule('timeout', 'different_provider', 1) });
    const late = setup(q);
    assert.deepEqual(decideNext(late.state, late.a, q.timeoutRule, 1_000_000, seededRng(1), undefined, 'hedge'), { kind: 'give-up', reason: 'deadline' });
  });
});
