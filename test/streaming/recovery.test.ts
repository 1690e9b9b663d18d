// Continuation after the commit point is decided by the request's own
// FailoverSession, the same decider as every retry before it. These tests run
// StreamRecovery without sockets: a scripted continuation attempt, a fake clock.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ModelProvider, RetryPolicy } from '../../src/config/types.js';
import { classifyOutcome } from '../../src/failover/classify.js';
import { BODY_CUT, errorTypeOf, type AttemptOutcome } from '../../src/failover/outcome.js';
import { presenceOf } from '../../src/failover/runTypes.js';
import { FailoverSession } from '../../src/failover/session.js';
import { modelBlockKey } from '../../src/state/blockStore.js';
import { createSharedState } from '../../src/state/sharedState.js';
import { breakOutcome } from '../../src/streaming/breakage.js';
import type { LiveStream } from '../../src/streaming/liveStream.js';
import { StreamRecovery, type Recovered } from '../../src/streaming/recovery.js';
import type { StreamSummary } from '../../src/streaming/streamSummary.js';
import type { UpstreamEventReader } from '../../src/streaming/upstreamReader.js';
import { config, FakeClock, policy, provider, rule, seededRng, statusRule } from '../failover/fixtures.js';

const capable = (p: ModelProvider): ModelProvider => ({ ...p, supportsPrefill: true });
const summary: StreamSummary = { text: 'Hello', toolCall: false, finished: false, errored: false, id: 'x', created: 1, openTextBlock: undefined, nextBlockIndex: 0 };
const REFUSED: AttemptOutcome = { kind: 'connection-error', reason: 'refused' };
const http = (status: number, retryAfterMs?: number): AttemptOutcome => ({ kind: 'http-error', status, retryAfterMs, body: '' });

/** What a scripted attempt does: answer (a live stream), or fail with an outcome. */
type Step = 'ok' | AttemptOutcome;

/**
 * A request whose primary is `models[0]` (with `pol`), at the moment its
 * stream broke. `before` scripts the attempts before the commit point (the
 * last one answers and commits); `after` scripts the continuations.
 */
async function brokenRequest(
  pol: RetryPolicy | undefined,
  list: ModelProvider[],
  script: { before?: Record<string, Step[]>; after?: Record<string, Step[]>; gate?: number; deadlineMs?: number; clock?: FakeClock } = {},
) {
  const primary = { ...list[0]!, retryPolicy: pol };
  const all = [primary, ...list.slice(1)];
  const cfg = config(all, script.gate ?? 1000);
  const shared = createSharedState(cfg);
  const clock = script.clock ?? new FakeClock();
  const client = new AbortController();
  const session = new FailoverSession({
    ...shared,
    config: cfg,
    primary,
    clock,
    rng: seededRng(3),
    deadlineMs: clock.now() + (script.deadlineMs ?? 30_000),
    client: presenceOf(client.signal),
    log: { info() {} },
    requestId: 'r',
  });
  const called: string[] = [];
  const next = (queue: Record<string, Step[]> | undefined, target: ModelProvider): Step => {
    const step = queue?.[target.name]?.shift();
    if (step === undefined) throw new Error(`unscripted call to ${target.name}`);
    return step;
  };
  // Before the commit point: the session's own steps, until one answers.
  let step = await session.start();
  let committed: ModelProvider | undefined;
  while (step.kind === 'attempt') {
    called.push(step.target.name);
    const s = next(script.before ?? { [primary.name]: ['ok'] }, step.target);
    if (s === 'ok') {
      session.succeeded(step.target, { ttfbMs: 5 });
      committed = step.target;
      break;
    }
    step = await session.failed(step.target, s);
  }
  if (committed === undefined) throw new Error('the scripted request never committed');
  called.length = 0;
  const recovery = new StreamRecovery({
    client: 'openai',
    clientJson: () => ({ model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: true }),
    session,
    hasPolicy: pol !== undefined,
    now: () => clock.now(),
    clientGone: () => client.signal.aborted,
    log: { info() {} },
    requestId: 'r',
    attempt: async (target) => {
      called.push(target.name);
      const s = next(script.after, target);
      if (s === 'ok') return { ok: true, stream: { target, format: 'openai', reader: { close() {} } as unknown as UpstreamEventReader, head: [], headEvents: [], idleMs: 1000 } satisfies LiveStream };
      return { ok: false, outcome: s };
    },
  });
  return { committed, recovery, called, shared, clock, session, all };
}

const reasonOf = (r: Recovered): string => (r.kind === 'end' ? (/could not be continued \((.+)\)$/.exec(r.message)?.[1] ?? r.message) : r.kind);

const timeoutTwice = policy({ timeoutRule: rule('timeout', 'different_provider', 2) });
const LIST = (): ModelProvider[] => [
  provider(0, 'openai/gpt-4o'),
  capable(provider(1, 'anthropic/claude')),
  provider(2, 'mistral/large'),
  capable(provider(3, 'groq/llama')),
];

describe('continuation after the commit point (the same decider as every retry)', () => {
  it('continues on prefill-capable candidates in strategy order, up to the retries left', async () => {
    const w = await brokenRequest(timeoutTwice, LIST(), { after: { 'anthropic/claude': [REFUSED], 'groq/llama': ['ok'] } });
    const r = await w.recovery.afterBreak(w.committed, { kind: 'cut' }, summary);
    assert.equal(r.kind, 'continued');
    assert.deepEqual(w.called, ['anthropic/claude', 'groq/llama']);
    assert.equal(w.recovery.attempts, 3);
  });

  it('earlier retries under the same rule count against it', async () => {
    // Two timeouts before the commit point spend both of on_timeout's retries.
    const w = await brokenRequest(timeoutTwice, LIST(), {
      before: { 'openai/gpt-4o': [{ kind: 'timeout', phase: 'first-byte', afterMs: 5 }], 'anthropic/claude': [REFUSED], 'mistral/large': ['ok'] },
    });
    const r = await w.recovery.afterBreak(w.committed, { kind: 'cut' }, summary);
    assert.equal(reasonOf(r), 'rule-exhausted');
    assert.deepEqual(w.called, []);
  });

  it('ends on a tool call, without a policy, when the rule allows no retry, with no candidate, or past the deadline', async () => {
    const tool = await brokenRequest(timeoutTwice, LIST());
    assert.equal(reasonOf(await tool.recovery.afterBreak(tool.committed, { kind: 'cut' }, { ...summary, toolCall: true })), 'tool-call');
    const none = await brokenRequest(undefined, LIST());
    assert.equal(reasonOf(await none.recovery.afterBreak(none.committed, { kind: 'cut' }, summary)), 'no-policy');
    const strict = await brokenRequest(policy({ timeoutRule: rule('timeout', 'different_provider', 0) }), LIST());
    assert.equal(reasonOf(await strict.recovery.afterBreak(strict.committed, { kind: 'cut' }, summary)), 'rule-exhausted');
    const spent = await brokenRequest(policy({ timeoutRule: rule('timeout', 'different_provider', 3) }), LIST(), {
      after: { 'anthropic/claude': [REFUSED], 'groq/llama': [REFUSED] },
    });
    assert.equal(reasonOf(await spent.recovery.afterBreak(spent.committed, { kind: 'cut' }, summary)), 'no-candidate');
    assert.deepEqual(spent.called, ['anthropic/claude', 'groq/llama']);
    const late = await brokenRequest(timeoutTwice, LIST(), { deadlineMs: 1000 });
    late.clock.advance(1000);
    assert.equal(reasonOf(await late.recovery.afterBreak(late.committed, { kind: 'cut' }, summary)), 'deadline');
    assert.deepEqual(late.called, []);
  });

  it('a non-retriable failure of a continuation ends it: the in-band error names the break, not the 400', async () => {
    const w = await brokenRequest(timeoutTwice, LIST(), { after: { 'anthropic/claude': [http(400)] } });
    const r = await w.recovery.afterBreak(w.committed, { kind: 'cut' }, summary);
    assert.equal(reasonOf(r), 'not-retriable');
    assert.ok(r.kind === 'end' && r.code === 'stream_cut' && /connection was cut/.test(r.message));
  });

  it('skips blocked candidates (Retry-After or an open circuit)', async () => {
    const w = await brokenRequest(timeoutTwice, LIST(), { after: { 'groq/llama': ['ok'] } });
    w.shared.blocks.block(modelBlockKey(w.all[1]!), w.clock.now() + 5000, { cause: 'circuit-open' });
    assert.equal((await w.recovery.afterBreak(w.committed, { kind: 'cut' }, summary)).kind, 'continued');
    assert.deepEqual(w.called, ['groq/llama']);
  });

  it('a content already finished closes normally', async () => {
    const w = await brokenRequest(timeoutTwice, LIST());
    assert.deepEqual(await w.recovery.afterBreak(w.committed, { kind: 'cut' }, { ...summary, finished: true }), { kind: 'complete' });
  });

  it('with no text yet any candidate may start afresh, prefill or not', async () => {
    const w = await brokenRequest(timeoutTwice, LIST(), { after: { 'anthropic/claude': ['ok'] } });
    await w.recovery.afterBreak(w.committed, { kind: 'cut' }, { ...summary, text: '' });
    assert.deepEqual(w.called, ['anthropic/claude']);
    const list = LIST();
    [list[1], list[2]] = [list[2]!, list[1]!];
    const v = await brokenRequest(timeoutTwice, list, { after: { 'mistral/large': ['ok'] } });
    await v.recovery.afterBreak(v.committed, { kind: 'cut' }, { ...summary, text: '' });
    assert.deepEqual(v.called, ['mistral/large'], 'the first candidate, though it takes no prefill');
  });

  it('respects max_retry_duration_ms, counted from the first failure of the request', async () => {
    const pol = policy({ timeoutRule: rule('timeout', 'different_provider', 3), maxRetryDurationMs: 1000 });
    const w = await brokenRequest(pol, LIST(), { before: { 'openai/gpt-4o': [http(503)], 'anthropic/claude': ['ok'] } });
    w.clock.advance(1500); // the answer streams for 1.5 s, then breaks
    const r = await w.recovery.afterBreak(w.committed, { kind: 'cut' }, summary);
    assert.equal(reasonOf(r), 'budget-exhausted');
    assert.deepEqual(w.called, []);
  });

  it('takes a retry-gate slot for the continuation, and ends when the gate is full', async () => {
    const full = await brokenRequest(timeoutTwice, LIST(), { gate: 1 });
    assert.ok(full.shared.gate.acquire() === true, 'another request holds the only slot');
    assert.equal(reasonOf(await full.recovery.afterBreak(full.committed, { kind: 'cut' }, summary)), 'gate-full');
    assert.deepEqual(full.called, []);
    const w = await brokenRequest(timeoutTwice, LIST(), { gate: 1, after: { 'anthropic/claude': ['ok'] } });
    let heldDuring = -1;
    const attempt = (w.recovery as unknown as { deps: { attempt: (...a: unknown[]) => Promise<unknown> } }).deps;
    const inner = attempt.attempt;
    attempt.attempt = async (...a) => {
      heldDuring = w.shared.gate.active;
      return inner(...a);
    };
    assert.equal((await w.recovery.afterBreak(w.committed, { kind: 'cut' }, summary)).kind, 'continued');
    assert.equal(heldDuring, 1, 'the continuation held a slot while it ran');
    assert.equal(w.shared.gate.active, 0, 'and gave it back');
  });

  it('retries the broken entry itself first under same_model_retries, with backoff', async () => {
    const pol = policy({ timeoutRule: { ...rule('timeout', 'different_provider', 1), sameModelRetries: 1 } });
    const list = LIST();
    list[0] = capable(list[0]!);
    const w = await brokenRequest(pol, list, { after: { 'openai/gpt-4o': [REFUSED], 'anthropic/claude': ['ok'] } });
    assert.equal((await w.recovery.afterBreak(w.committed, { kind: 'cut' }, summary)).kind, 'continued');
    assert.deepEqual(w.called, ['openai/gpt-4o', 'anthropic/claude']);
    assert.ok(w.clock.sleeps.length >= 1 && w.clock.sleeps[0]! > 0, 'the same-model retry waited');
  });

  it('sees the request-scoped Retry-After blocks of its own request', async () => {
    // claude-a's 429 before the commit point blocks the whole anthropic prefix, for this request only.
    const pol = policy({
      fallbackModels: ['anthropic/claude-a', 'groq/llama'],
      statusRules: [statusRule(0, [429, 503], 'different_provider', 3)],
      timeoutRule: rule('timeout', 'different_provider', 3),
      retryAfter: { ...policy().retryAfter, scope: 'provider', applyTo: 'request', maxRetryAfterMs: 300_000 },
    });
    const list = [provider(0, 'openai/gpt-4o'), capable(provider(1, 'anthropic/claude-a')), capable(provider(2, 'anthropic/claude-b')), capable(provider(3, 'groq/llama')), capable(provider(4, 'mistral/large'))];
    const w = await brokenRequest(pol, list, {
      before: { 'openai/gpt-4o': [http(503)], 'anthropic/claude-a': [http(429, 30_000)], 'groq/llama': ['ok'] },
      after: { 'mistral/large': ['ok'] },
    });
    assert.equal(w.shared.blocks.lookup('provider:anthropic', w.clock.now()), undefined, 'the block is not global');
    assert.equal((await w.recovery.afterBreak(w.committed, { kind: 'cut' }, summary)).kind, 'continued');
    assert.deepEqual(w.called, ['mistral/large'], 'claude-b is blocked for this request');
  });

  it('tries fallback_models first, in their order', async () => {
    const pol = policy({ fallbackModels: ['groq/llama', 'anthropic/claude'], timeoutRule: rule('timeout', 'different_provider', 2) });
    const w = await brokenRequest(pol, LIST(), { after: { 'groq/llama': [REFUSED], 'anthropic/claude': ['ok'] } });
    assert.equal((await w.recovery.afterBreak(w.committed, { kind: 'cut' }, summary)).kind, 'continued');
    assert.deepEqual(w.called, ['groq/llama', 'anthropic/claude']);
  });
});

describe('a cut is one kind of failure on both sides of the commit point', () => {
  it('before commit (BODY_CUT) and after (a break) it is connection_reset under the timeout rule', () => {
    const p = policy({ timeoutRule: rule('timeout', 'different_provider', 1), statusRules: [statusRule(0, [502], 'same_model', 1)] });
    const after = breakOutcome({ kind: 'cut' });
    assert.deepEqual(after, BODY_CUT);
    assert.equal(errorTypeOf(BODY_CUT), 'connection_reset');
    assert.equal(classifyOutcome(BODY_CUT, p).rule?.id, 'timeout');
    assert.equal(classifyOutcome(after, p).rule?.id, 'timeout');
    // A clean end before the final event is another failure: a truncated answer, the 502 rule.
    assert.equal(classifyOutcome(breakOutcome({ kind: 'truncated' }), p).rule?.id, 'status[0]');
  });
});
