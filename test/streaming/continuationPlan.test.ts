import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ModelProvider } from '../../src/config/types.js';
import { LayeredBlockView } from '../../src/failover/blockView.js';
import { modelBlockKey } from '../../src/state/blockStore.js';
import { MemoryBlockStore } from '../../src/state/memoryBlockStore.js';
import { planContinuation, type ContinuationInput } from '../../src/streaming/continuationPlan.js';
import type { StreamSummary } from '../../src/streaming/streamSummary.js';
import { policy, provider, rule } from '../failover/fixtures.js';

const capable = (p: ModelProvider): ModelProvider => ({ ...p, supportsPrefill: true });
const pol = policy({ timeoutRule: rule('timeout', 'different_provider', 2) });
const primary = provider(0, 'openai/gpt-4o', pol);
const claude = capable(provider(1, 'anthropic/claude'));
const mistral = provider(2, 'mistral/large');
const groq = capable(provider(3, 'groq/llama'));
const providers = [primary, claude, mistral, groq];
const summary: StreamSummary = { text: 'Hello', toolCall: false, finished: false, errored: false, id: 'x', created: 1, openTextBlock: undefined, nextBlockIndex: 0 };
const CUT = { kind: 'connection-error', reason: 'reset' } as const;

function input(over: Partial<ContinuationInput> = {}): ContinuationInput {
  return {
    policy: pol,
    primary,
    broken: primary,
    outcome: CUT,
    summary,
    providers,
    tried: [primary],
    earlier: [],
    continuationAttempts: 0,
    blocks: new LayeredBlockView(new MemoryBlockStore()),
    nowMs: 1000,
    remainingMs: 10_000,
    ...over,
  };
}

describe('planContinuation', () => {
  it('continues on prefill-capable candidates in strategy order, up to the retries left', () => {
    const plan = planContinuation(input());
    assert.equal(plan.kind, 'continue');
    if (plan.kind === 'continue') assert.deepEqual(plan.targets.map((t) => t.name), ['anthropic/claude', 'groq/llama']);
    const one = planContinuation(input({ continuationAttempts: 1 }));
    if (one.kind === 'continue') assert.deepEqual(one.targets.map((t) => t.name), ['anthropic/claude']);
  });

  it('earlier retries under the same rule count against it', () => {
    assert.deepEqual(planContinuation(input({ earlier: [{ kind: 'timeout', phase: 'first-byte', afterMs: 5 }, CUT] })), { kind: 'end', reason: 'rule-exhausted' });
  });

  it('ends on a tool call, without a policy, on a non-retriable break, or with no candidate', () => {
    assert.deepEqual(planContinuation(input({ summary: { ...summary, toolCall: true } })), { kind: 'end', reason: 'tool-call' });
    assert.deepEqual(planContinuation(input({ policy: undefined })), { kind: 'end', reason: 'no-policy' });
    const strict = policy({ timeoutRule: rule('timeout', 'different_provider', 0) });
    assert.deepEqual(planContinuation(input({ policy: strict })), { kind: 'end', reason: 'rule-exhausted' });
    assert.deepEqual(planContinuation(input({ tried: [primary, claude, groq] })), { kind: 'end', reason: 'no-candidate' });
    assert.deepEqual(planContinuation(input({ remainingMs: 0 })), { kind: 'end', reason: 'deadline' });
  });

  it('skips blocked candidates (Retry-After or an open circuit)', () => {
    const store = new MemoryBlockStore();
    store.block(modelBlockKey(claude), 5000, { cause: 'circuit-open' });
    const plan = planContinuation(input({ blocks: new LayeredBlockView(store) }));
    if (plan.kind !== 'continue') assert.fail(plan.kind);
    assert.deepEqual(plan.targets.map((t) => t.name), ['groq/llama']);
  });

  it('a content already finished closes normally', () => {
    assert.deepEqual(planContinuation(input({ summary: { ...summary, finished: true } })), { kind: 'complete' });
  });

  it('with no text yet any candidate may start afresh', () => {
    const plan = planContinuation(input({ summary: { ...summary, text: '' } }));
    if (plan.kind !== 'continue') assert.fail(plan.kind);
    assert.equal(plan.targets[0]?.name, 'anthropic/claude');
  });
});
