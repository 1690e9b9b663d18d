import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { recordTotalLatency, runWithFailover, type AttemptResult, type FailoverContext } from '../../src/failover/orchestrator.js';
import type { AttemptOutcome } from '../../src/failover/outcome.js';
import { presenceOf } from '../../src/failover/runTypes.js';
import type { ModelProvider, RetryPolicy } from '../../src/config/types.js';
import { createSharedState, type SharedState } from '../../src/state/sharedState.js';
import { config, FakeClock, latencyRule, policy, providers, rule, seededRng, silentLog, statusRule } from './fixtures.js';

type Step = AttemptOutcome | { ok: string; ttfbMs?: number; takesMs?: number } | { takesMs: number; then: AttemptOutcome };

const http = (status: number, retryAfterMs?: number): AttemptOutcome => ({ kind: 'http-error', status, retryAfterMs, body: `{"status":${status}}` });

/** A world of providers, shared state and a script of what each model answers, attempt by attempt. */
function world(models: string[], pol: RetryPolicy | undefined, opts: { gate?: number; deadlineMs?: number; clock?: FakeClock } = {}) {
  const list = providers(models, pol);
  const cfg = config(list, opts.gate ?? 1000);
  const shared = createSharedState(cfg);
  const clock = opts.clock ?? new FakeClock();
  const calls: { model: string; attempt: number; remainingMs: number; gateActive: number; at: number }[] = [];
  const logs: object[] = [];

  async function request(script: Record<string, Step[]>, signal: AbortSignal = new AbortController().signal) {
    const ctx: FailoverContext = {
      ...shared,
      config: cfg,
      primary: list[0] as ModelProvider,
      clock,
      rng: seededRng(7),
      deadlineMs: clock.now() + (opts.deadlineMs ?? 30_000),
      client: presenceOf(signal),
      log: { info: (o) => logs.push(o) },
      requestId: 'req-1',
    };
    return runWithFailover<string>(ctx, async (target, attempt, remainingMs): Promise<AttemptResult<string>> => {
      calls.push({ model: target.name, attempt, remainingMs, gateActive: shared.gate.active, at: clock.now() });
      const step = script[target.name]?.shift();
      if (step === undefined) throw new Error(`unscripted call to ${target.name}`);
      if ('takesMs' in step && step.takesMs !== undefined) clock.advance(step.takesMs);
      if ('ok' in step) return { kind: 'success', response: step.ok, ttfbMs: step.ttfbMs ?? 10 };
      return { kind: 'failure', outcome: 'then' in step ? step.then : step };
    });
  }
  return { list, cfg, shared, clock, calls, logs, request };
}

function bodyOf(r: { body: string }): { error: Record<string, unknown> } {
  return JSON.parse(r.body) as { error: Record<string, unknown> };
}

describe('runWithFailover', () => {
  it('fails over 429 → 200 to a different provider', async () => {
    const w = world(['openai/gpt-4', 'openai/gpt-4o-mini', 'anthropic/sonnet'], policy());
    const r = await w.request({ 'openai/gpt-4': [http(429)], 'anthropic/sonnet': [{ ok: 'hello' }] });
    assert.equal(r.kind, 'success');
    assert.equal(r.response, 'hello');
    assert.equal(r.target.name, 'anthropic/sonnet');
    assert.equal(r.attemptCount, 2);
    assert.deepEqual(r.failures.map((f) => f.errorType), ['http_429']);
    assert.equal(w.calls[1]?.gateActive, 1, 'the retry holds a gate slot');
    assert.equal(w.shared.gate.active, 0, 'and gives it back');
    assert.deepEqual(w.logs.map((l) => (l as { outcome: string }).outcome), ['http_429', 'success']);
  });

  it('retries same_model with growing backoff delays', async () => {
    const pol = policy({
      defaultRule: rule('default', 'same_model', 3),
      backoff: { applyTo: 'same_model', baseMs: 100, maxMs: 5000, jitter: false },
    });
    const w = world(['openai/a', 'anthropic/b'], pol);
    const r = await w.request({ 'openai/a': [http(503), http(503), http(503), { ok: 'x' }] });
    assert.equal(r.kind === 'success' && r.attemptCount, 4);
    assert.deepEqual(w.clock.sleeps, [100, 200, 400]);
    assert.deepEqual(w.calls.map((c) => c.model), ['openai/a', 'openai/a', 'openai/a', 'openai/a']);
  });

  it('max_attempts 0 makes no retry', async () => {
    const w = world(['openai/a', 'anthropic/b'], policy({ statusRules: [statusRule(0, [429], 'different_provider', 0)] }));
    const r = await w.request({ 'openai/a': [http(429)] });
    assert.equal(r.kind, 'exhausted');
    assert.equal(r.reason, 'rule-exhausted');
    assert.equal(r.status, 429);
    assert.equal(bodyOf(r).error['total_attempts'], 1);
    assert.equal(w.calls.length, 1);
  });

  it('counts each rule on its own', async () => {
    const pol = policy({ statusRules: [statusRule(0, [429], 'same_model', 1)], defaultRule: rule('default', 'same_model', 1) });
    const w = world(['openai/a'], pol);
    const ok = await w.request({ 'openai/a': [http(429), http(503), { ok: 'x' }] });
    assert.equal(ok.kind === 'success' && ok.attemptCount, 3, '429 and 503 each get their one retry');
    const spent = await w.request({ 'openai/a': [http(429), http(429)] });
    assert.equal(spent.kind === 'exhausted' && spent.reason, 'rule-exhausted');
  });

  it('skips a fallback that cannot express the request, under the rule that chose it', async () => {
    const untranslatable: AttemptOutcome = { kind: 'untranslatable', field: 'n', message: 'n > 1' };
    const w = world(['openai/a', 'anthropic/b', 'mistral/c'], policy({ statusRules: [statusRule(0, [429], 'different_provider', 2)] }));
    const r = await w.request({ 'openai/a': [http(429)], 'anthropic/b': [untranslatable], 'mistral/c': [{ ok: 'x' }] });
    assert.equal(r.kind === 'success' && r.target.name, 'mistral/c');
    assert.deepEqual(r.failures.map((f) => f.errorType), ['http_429', 'untranslatable_n']);
    // One retry left under the 429 rule: the skip spends it.
    const w1 = world(['openai/a', 'anthropic/b', 'mistral/c'], policy({ statusRules: [statusRule(0, [429], 'different_provider', 1)] }));
    const spent = await w1.request({ 'openai/a': [http(429)], 'anthropic/b': [untranslatable] });
    assert.equal(spent.kind === 'exhausted' && spent.reason, 'rule-exhausted');
  });

  it('passes the primary\'s own untranslatable request back as the client\'s error', async () => {
    const w = world(['anthropic/b', 'mistral/c'], policy());
    const r = await w.request({ 'anthropic/b': [{ kind: 'untranslatable', field: 'n', message: 'n > 1' }] });
    assert.equal(r.kind, 'passthrough');
  });

  it('passes a non-retriable error through unchanged', async () => {
    const w = world(['openai/a', 'anthropic/b'], policy());
    const r = await w.request({ 'openai/a': [http(400)] });
    assert.equal(r.kind, 'passthrough');
    assert.deepEqual(r.outcome, http(400));
  });

  it('without a policy makes one attempt and passes errors through', async () => {
    const w = world(['openai/a', 'anthropic/b'], undefined);
    const r = await w.request({ 'openai/a': [http(429, 5_000)] });
    assert.equal(r.kind, 'passthrough');
    assert.equal(w.calls.length, 1);
    assert.equal(w.shared.blocks.blockedUntil('model:openai/a', w.clock.now()), undefined, 'nothing recorded');
  });

  it('exhausts the retry budget with retry_budget_exhausted: true', async () => {
    const pol = policy({
      defaultRule: rule('default', 'same_model', 10),
      backoff: { applyTo: 'global', baseMs: 1000, maxMs: 1000, jitter: false },
      maxRetryDurationMs: 2_500,
    });
    const w = world(['openai/a'], pol);
    const r = await w.request({ 'openai/a': [http(500), http(500), http(500), http(500)] });
    assert.equal(r.kind, 'exhausted');
    assert.equal(r.reason, 'budget-exhausted');
    assert.equal(bodyOf(r).error['retry_budget_exhausted'], true);
    assert.equal(w.calls.length, 3, 'retries start at +1000 and +2000; +3000 is past the budget');
  });

  it('starts no attempt after the deadline and answers 504 after a timeout', async () => {
    const timeout: AttemptOutcome = { kind: 'timeout', phase: 'first-byte', afterMs: 4000 };
    const pol = policy({ timeoutRule: rule('timeout', 'same_model', 10) });
    const w = world(['openai/a'], pol, { deadlineMs: 10_000 });
    const slow = { takesMs: 4000, then: timeout };
    const r = await w.request({ 'openai/a': [slow, slow, slow, slow] });
    assert.equal(r.kind === 'exhausted' && r.reason, 'deadline');
    assert.equal(r.kind === 'exhausted' && r.status, 504);
    assert.deepEqual(w.calls.map((c) => c.remainingMs), [10_000, 6_000, 2_000]);
  });

  it('a global Retry-After block steers the next request away from the primary', async () => {
    const pol = policy({ fallbackModels: ['anthropic/c'] });
    const w = world(['openai/a', 'mistral/m', 'anthropic/c'], pol);
    const first = await w.request({ 'openai/a': [http(429, 60_000)], 'anthropic/c': [{ ok: 'one' }] });
    assert.equal(first.kind === 'success' && first.target.name, 'anthropic/c');
    w.clock.advance(30_000);
    const second = await w.request({ 'anthropic/c': [{ ok: 'two' }] });
    assert.equal(second.kind === 'success' && second.attemptCount, 1);
    assert.deepEqual(w.calls.map((c) => c.model), ['openai/a', 'anthropic/c', 'anthropic/c'], 'the primary got no second call');
    w.clock.advance(30_000);
    await w.request({ 'openai/a': [{ ok: 'three' }] });
    assert.equal(w.calls.at(-1)?.model, 'openai/a', 'the block has ended');
  });

  it('caps Retry-After by max_retry_after_seconds', async () => {
    const pol = policy({ retryAfter: { ...policy().retryAfter, scope: 'provider', applyTo: 'global', maxRetryAfterMs: 10_000 } });
    const w = world(['openai/a', 'anthropic/c'], pol);
    await w.request({ 'openai/a': [http(429, 3_600_000)], 'anthropic/c': [{ ok: 'x' }] });
    assert.equal(w.shared.blocks.blockedUntil('provider:openai', w.clock.now()), w.clock.now() + 10_000);
  });

  it('a request-scoped block is waited out by same_model and does not leak', async () => {
    const pol = policy({
      statusRules: [statusRule(0, [429], 'same_model', 2)],
      retryAfter: { ...policy().retryAfter, scope: 'model', applyTo: 'request', maxRetryAfterMs: 300_000 },
    });
    const w = world(['openai/a', 'anthropic/c'], pol);
    const r = await w.request({ 'openai/a': [http(429, 2_000), { ok: 'x' }] });
    assert.equal(r.kind === 'success' && r.attemptCount, 2);
    assert.deepEqual(w.clock.sleeps, [2_000]);
    w.clock.advance(0);
    const again = await w.request({ 'openai/a': [http(429, 2_000), { ok: 'y' }] });
    assert.equal(again.kind === 'success' && again.target.name, 'openai/a');
    assert.equal(w.calls[2]?.model, 'openai/a', 'the next request still goes to the primary first');
  });

  it('answers 429 at once with the shortest block when every candidate is blocked', async () => {
    const w = world(['openai/a', 'anthropic/c'], policy());
    const now = w.clock.now();
    w.shared.blocks.block('model:openai/a', now + 57_000, { cause: 'retry-after', status: 429 });
    w.shared.blocks.block('provider:anthropic', now + 20_000, { cause: 'high-latency' });
    const r = await w.request({});
    assert.equal(r.kind, 'exhausted');
    assert.equal(r.reason, 'all-blocked');
    assert.equal(r.status, 429);
    assert.equal(r.headers['retry-after'], '20');
    assert.equal(r.headers['x-request-id'], 'req-1');
    assert.equal(bodyOf(r).error['shortest_remaining_block_seconds'], 20);
    assert.equal(w.calls.length, 0);
  });

  it('makes no retry when the retry gate is full', async () => {
    const w = world(['openai/a', 'anthropic/c'], policy(), { gate: 0 });
    const r = await w.request({ 'openai/a': [http(503)] });
    assert.equal(r.kind === 'exhausted' && r.reason, 'gate-full');
    assert.equal(r.kind === 'exhausted' && r.status, 503);
    assert.equal(w.calls.length, 1);
  });

  it('a client abort during backoff cancels the wait and starts no retry', async () => {
    const clock = new FakeClock(1_000_000, false);
    const pol = policy({ backoff: { applyTo: 'global', baseMs: 1000, maxMs: 1000, jitter: false } });
    const w = world(['openai/a', 'anthropic/c'], pol, { clock });
    const abort = new AbortController();
    const pending = w.request({ 'openai/a': [http(503)], 'anthropic/c': [{ ok: 'x' }] }, abort.signal);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(clock.pendingSleeps, 1, 'waiting in backoff');
    assert.equal(w.shared.gate.active, 1);
    abort.abort();
    const r = await pending;
    assert.equal(r.kind, 'client-gone');
    assert.equal(clock.pendingSleeps, 0, 'the timer is gone');
    assert.equal(w.calls.length, 1);
    assert.equal(w.shared.gate.active, 0);
  });

  it('does not count a failure caused by the client leaving', async () => {
    const w = world(['openai/a', 'anthropic/c'], policy());
    const abort = new AbortController();
    const list = w.list;
    const ctx: FailoverContext = {
      ...w.shared,
      config: w.cfg,
      primary: list[0] as ModelProvider,
      clock: w.clock,
      rng: Math.random,
      deadlineMs: w.clock.now() + 1000,
      client: presenceOf(abort.signal),
      log: silentLog,
      requestId: 'r',
    };
    const r = await runWithFailover<string>(ctx, async () => {
      abort.abort();
      return { kind: 'failure', outcome: http(429, 60_000) };
    });
    assert.equal(r.kind, 'client-gone');
    assert.equal(w.shared.blocks.blockedUntil('model:openai/a', w.clock.now()), undefined);
  });

  it('a slow first byte blocks the model for later requests (measure: ttfb)', async () => {
    const pol = policy({ highLatency: latencyRule({ thresholdMs: 1000, blockDurationMs: 60_000 }) });
    const w = world(['openai/a', 'anthropic/c'], pol);
    const slow = await w.request({ 'openai/a': [{ ok: 'slow but fine', ttfbMs: 1500 }] });
    assert.equal(slow.kind === 'success' && slow.response, 'slow but fine', 'still delivered');
    await w.request({ 'anthropic/c': [{ ok: 'fast' }] });
    assert.deepEqual(w.calls.map((c) => c.model), ['openai/a', 'anthropic/c']);
  });

  it('recordTotalLatency counts total-time events toward a block', () => {
    const pol = policy({ highLatency: latencyRule({ measure: 'total', minTriggers: 2, triggerWindowMs: 10_000, scope: 'provider' }) });
    const w = world(['openai/a', 'anthropic/c'], pol);
    const [a] = w.list as [ModelProvider];
    const shared: SharedState = w.shared;
    assert.equal(recordTotalLatency(shared, a, a, 1500, 0), false, 'one event of two');
    assert.equal(recordTotalLatency(shared, a, a, 900, 1), false, 'under the threshold');
    assert.equal(recordTotalLatency(shared, a, a, 2000, 2), true);
    assert.equal(shared.blocks.blockedUntil('provider:openai', 3), 60_002);
  });
});
