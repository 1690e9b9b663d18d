import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decideNext } from '../../src/failover/decide.js';
import { classifyOutcome } from '../../src/failover/classify.js';
import { createRetryState, commitRetry, recordFailure, type RetryState } from '../../src/failover/retryState.js';
import type { AttemptOutcome } from '../../src/failover/outcome.js';
import type { ModelProvider, RetryPolicy } from '../../src/config/types.js';
import { MemoryBlockStore } from '../../src/state/memoryBlockStore.js';
import { policy, providers, rule, seededRng, statusRule } from './fixtures.js';

const NOW = 100_000;
const http = (status: number): AttemptOutcome => ({ kind: 'http-error', status, body: '' });

function setup(p: RetryPolicy, opts: { deadlineMs?: number; global?: MemoryBlockStore } = {}) {
  const list = providers(['openai/a', 'openai/b', 'anthropic/c'], p);
  const [a, b, c] = list as [ModelProvider, ModelProvider, ModelProvider];
  const state = createRetryState({
    policy: p,
    primary: a,
    providers: list,
    globalBlocks: opts.global ?? new MemoryBlockStore(),
    deadlineMs: opts.deadlineMs ?? NOW + 30_000,
  });
  return { a, b, c, state };
}

function fail(state: RetryState, target: ModelProvider, outcome: AttemptOutcome, now: number) {
  recordFailure(state, target, state.attempts.length + 1, outcome, now);
  return decideNext(state, target, classifyOutcome(outcome, state.policy).rule, now, seededRng(1));
}

describe('decideNext', () => {
  it('gives up on a non-retriable status', () => {
    const { a, state } = setup(policy());
    assert.deepEqual(fail(state, a, http(400), NOW), { kind: 'give-up', reason: 'not-retriable' });
  });

  it('fails over to a different provider without delay', () => {
    const { a, state } = setup(policy());
    const d = fail(state, a, http(429), NOW);
    assert.equal(d.kind, 'retry');
    assert.equal(d.target.name, 'anthropic/c');
    assert.equal(d.delayMs, 0);
  });

  it('max_attempts 0 means no retry', () => {
    const { a, state } = setup(policy({ statusRules: [statusRule(0, [429], 'same_model', 0)] }));
    assert.deepEqual(fail(state, a, http(429), NOW), { kind: 'give-up', reason: 'rule-exhausted' });
  });

  it('counts retries per rule', () => {
    const p = policy({
      statusRules: [statusRule(0, [429], 'same_model', 1)],
      defaultRule: rule('default', 'same_model', 1),
    });
    const { a, state } = setup(p);
    const first = fail(state, a, http(429), NOW);
    assert.equal(first.kind, 'retry');
    commitRetry(state, first.ruleId, first.backoffApplied);
    assert.deepEqual(fail(state, a, http(429), NOW), { kind: 'give-up', reason: 'rule-exhausted' });
    // The 503 rule (default) has its own count.
    const other = fail(state, a, http(503), NOW);
    assert.equal(other.kind, 'retry');
  });

  it('applies backoff with growing n only to retries it covers', () => {
    const p = policy({
      defaultRule: rule('default', 'same_model', 5),
      backoff: { applyTo: 'same_model', baseMs: 100, maxMs: 10_000, jitter: false },
    });
    const { a, state } = setup(p);
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      const d = fail(state, a, http(503), NOW);
      assert.equal(d.kind, 'retry');
      delays.push(d.delayMs);
      commitRetry(state, d.ruleId, d.backoffApplied);
    }
    assert.deepEqual(delays, [100, 200, 400]);
  });

  it('does not back off a move to another provider under apply_to same_provider', () => {
    const p = policy({ backoff: { applyTo: 'same_provider', baseMs: 100, maxMs: 1000, jitter: false } });
    const { a, state } = setup(p);
    const d = fail(state, a, http(503), NOW);
    assert.equal(d.kind === 'retry' && d.delayMs, 0);
  });

  it('same_model waits out a Retry-After block on the same target', () => {
    const p = policy({ statusRules: [statusRule(0, [429], 'same_model', 2)] });
    const global = new MemoryBlockStore();
    const { a, state } = setup(p, { global });
    global.block('model:openai/a', NOW + 7_000, { cause: 'retry-after', status: 429 });
    const d = fail(state, a, http(429), NOW);
    assert.equal(d.kind === 'retry' && d.delayMs, 7_000);
  });

  it('gives up when the wait for a block would pass the deadline', () => {
    const p = policy({ statusRules: [statusRule(0, [429], 'same_model', 2)] });
    const { a, state } = setup(p, { deadlineMs: NOW + 5_000 });
    state.localBlocks.block('model:openai/a', NOW + 7_000, { cause: 'retry-after', status: 429 });
    assert.deepEqual(fail(state, a, http(429), NOW), { kind: 'give-up', reason: 'deadline' });
  });

  it('a failover does not wait for the failed target\'s block', () => {
    const { a, state } = setup(policy());
    state.localBlocks.block('model:openai/a', NOW + 60_000, { cause: 'retry-after', status: 429 });
    const d = fail(state, a, http(429), NOW);
    assert.equal(d.kind === 'retry' && d.delayMs, 0);
  });

  it('gives up with no-candidate when the strategy has nothing left', () => {
    const { a, c, state } = setup(policy());
    const d = fail(state, a, http(503), NOW);
    if (d.kind === 'retry') commitRetry(state, d.ruleId, d.backoffApplied);
    assert.deepEqual(fail(state, c, http(503), NOW), { kind: 'give-up', reason: 'no-candidate' });
  });

  it('gives up once the deadline has passed', () => {
    const { a, state } = setup(policy(), { deadlineMs: NOW });
    assert.deepEqual(fail(state, a, http(503), NOW), { kind: 'give-up', reason: 'deadline' });
  });

  it('max_retry_duration_ms bounds first failure to the start of the retry', () => {
    const p = policy({
      defaultRule: rule('default', 'same_model', 10),
      backoff: { applyTo: 'global', baseMs: 400, maxMs: 400, jitter: false },
      maxRetryDurationMs: 1_000,
    });
    const { a, state } = setup(p);
    const d1 = fail(state, a, http(503), NOW);
    assert.equal(d1.kind, 'retry', 'starts at +400');
    commitRetry(state, d1.ruleId, d1.backoffApplied);
    const d2 = fail(state, a, http(503), NOW + 600);
    assert.equal(d2.kind, 'retry', 'starts at +1000, exactly the budget');
    commitRetry(state, d2.ruleId, d2.backoffApplied);
    assert.deepEqual(fail(state, a, http(503), NOW + 1_001), { kind: 'give-up', reason: 'budget-exhausted' });
  });
});
