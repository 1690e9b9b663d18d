// The limits an attempt starts with, as the session settles them: configured,
// learned (`auto`), and cut by the deadline split while a timeout could still
// move the request. A fake clock and real in-memory distributions.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { deadlineReserveMs, guardLimits, splitForDeadline } from '../../src/failover/attemptLimits.js';
import { FailoverSession } from '../../src/failover/session.js';
import { presenceOf } from '../../src/failover/runTypes.js';
import type { ModelProvider, RetryPolicy } from '../../src/config/types.js';
import { MemoryLatencyDistributions } from '../../src/state/memoryLatencyDistributions.js';
import { createSharedState } from '../../src/state/sharedState.js';
import { config, FakeClock, policy, provider, rule, seededRng, silentLog } from './fixtures.js';

const entry = (index: number, model: string, extra: Partial<ModelProvider> = {}, pol?: RetryPolicy): ModelProvider => ({
  ...provider(index, model, pol),
  timeouts: { connectMs: 1000, firstByteMs: undefined },
  ...extra,
});

/** The limits of the first attempt of a request, with `deadlineMs` left. */
function firstLimits(list: ModelProvider[], deadlineMs: number, opts: { stream?: boolean; clock?: FakeClock; feed?: (d: MemoryLatencyDistributions, now: number) => void } = {}) {
  const cfg = config(list);
  const shared = createSharedState(cfg);
  const clock = opts.clock ?? new FakeClock();
  const distributions = new MemoryLatencyDistributions();
  opts.feed?.(distributions, clock.now());
  const session = new FailoverSession({
    ...shared,
    distributions,
    config: cfg,
    primary: list[0]!,
    clock,
    rng: seededRng(1),
    deadlineMs: clock.now() + deadlineMs,
    client: presenceOf(new AbortController().signal),
    log: silentLog,
    requestId: 'r',
    stream: opts.stream ?? false,
  });
  const step = session.start();
  // Memory state answers at once: only a fleet's probe claim is a Promise.
  assert.ok(!(step instanceof Promise) && step.kind === 'attempt');
  return step.limits;
}

const feed = (model: string, metric: 'first-byte' | 'first-token', ms: number, n = 20) => (d: MemoryLatencyDistributions, now: number) => {
  for (let i = 0; i < n; i++) d.record(model, metric, ms, now);
};

describe('attempt limits', () => {
  it('configured: the entry wins over the policy, the policy over the defaults', () => {
    const times = new MemoryLatencyDistributions();
    const pol = policy({ firstByteTimeoutMs: 30_000, streamGuards: { firstTokenTimeoutMs: 9000, idleTimeoutMs: 4000 } });
    const own = entry(0, 'openai/a', { timeouts: { connectMs: 1, firstByteMs: 7000 }, streamGuards: { firstTokenTimeoutMs: 3000, idleTimeoutMs: undefined } });
    assert.deepEqual(guardLimits(own, pol, true, times, 0), { firstByteMs: 7000, firstTokenMs: 3000, idleMs: 4000, basis: 'configured' });
    assert.deepEqual(guardLimits(entry(1, 'openai/b'), pol, true, times, 0), { firstByteMs: 30_000, firstTokenMs: 9000, idleMs: 4000, basis: 'configured' });
    assert.deepEqual(guardLimits(entry(1, 'openai/b'), undefined, true, times, 0), { firstByteMs: 120_000, firstTokenMs: 60_000, idleMs: 30_000, basis: 'configured' });
  });

  it('auto: the static default below 20 samples, then 5 × p99 clamped to [2 s, the default]', () => {
    const times = new MemoryLatencyDistributions();
    const auto = entry(0, 'openai/a', { timeouts: { connectMs: 1, firstByteMs: 'auto' } });
    assert.equal(guardLimits(auto, undefined, false, times, 0).firstByteMs, 120_000);
    for (let i = 0; i < 19; i++) times.record('openai/a', 'first-byte', 1000, 0);
    assert.equal(guardLimits(auto, undefined, false, times, 0).firstByteMs, 120_000, '19 samples are not enough');
    times.record('openai/a', 'first-byte', 1000, 0);
    const learned = guardLimits(auto, undefined, false, times, 0);
    assert.ok(Math.abs(learned.firstByteMs - 5000) <= 150, `5 × ~1000 ms, got ${learned.firstByteMs}`);
    assert.equal(learned.basis, 'learned');
    const fast = entry(1, 'openai/fast', { timeouts: { connectMs: 1, firstByteMs: 'auto' } });
    for (let i = 0; i < 20; i++) times.record('openai/fast', 'first-byte', 50, 0);
    assert.equal(guardLimits(fast, undefined, false, times, 0).firstByteMs, 2000, 'the floor');
    const slow = entry(2, 'openai/slow', { timeouts: { connectMs: 1, firstByteMs: 'auto' } });
    for (let i = 0; i < 20; i++) times.record('openai/slow', 'first-byte', 60_000, 0);
    assert.equal(guardLimits(slow, undefined, false, times, 0).firstByteMs, 120_000, 'the ceiling');
    const tight = policy({ learnedTimeouts: { multiplier: 2, floorMs: 100, ceilingMs: 90_000 } });
    assert.equal(guardLimits(slow, tight, false, times, 0).firstByteMs, 90_000, 'a configured ceiling');
  });

  it('the deadline split: with a fallback left, the first attempt leaves it half of the deadline', () => {
    const pol = policy({ fallbackModels: ['anthropic/b'], timeoutRule: rule('timeout', 'different_provider', 1) });
    const list = [entry(0, 'openai/a', {}, pol), entry(1, 'anthropic/b')];
    assert.deepEqual(firstLimits(list, 90_000), { firstByteMs: 45_000, firstTokenMs: 45_000, idleMs: 30_000, basis: 'deadline-split' });
    // A stream waits for its first token: 60 s by default, split to 45 s too.
    assert.equal(firstLimits(list, 90_000, { stream: true }).firstTokenMs, 45_000);
    // With plenty of time the split never binds: the configured limits stand.
    assert.equal(firstLimits(list, 300_000).basis, 'configured');
  });

  it('the reserve is what the fallback needs when its times are known: 5 × its p99, at least the floor', () => {
    const pol = policy({ timeoutRule: rule('timeout', 'different_provider', 1) });
    const list = [entry(0, 'openai/a', {}, pol), entry(1, 'anthropic/b')];
    const known = firstLimits(list, 90_000, { feed: feed('anthropic/b', 'first-byte', 2000) });
    assert.ok(Math.abs(known.firstByteMs - 80_000) <= 600, `90 s − 5 × ~2 s, got ${known.firstByteMs}`);
    const fast = firstLimits(list, 90_000, { feed: feed('anthropic/b', 'first-byte', 10) });
    assert.equal(fast.firstByteMs, 88_000, 'the floor of 2 s is reserved');
    // A stream's reserve is read from first-token times (and its own 60 s first-token limit is what gets cut).
    const stream = firstLimits(list, 60_000, { stream: true, feed: feed('anthropic/b', 'first-token', 3000) });
    assert.ok(Math.abs(stream.firstTokenMs - 45_000) <= 900, `60 s − 5 × ~3 s, got ${stream.firstTokenMs}`);
  });

  it("the reserve never exceeds the fallback's own limit", () => {
    const pol = policy({ timeoutRule: rule('timeout', 'different_provider', 1) });
    const list = [entry(0, 'openai/a', {}, pol), entry(1, 'anthropic/b', { timeouts: { connectMs: 1, firstByteMs: 10_000 } })];
    assert.equal(firstLimits(list, 90_000).firstByteMs, 80_000);
  });

  it('no split when a timeout could not move the request: no candidate, no retry left, or the split turned off', () => {
    const alone = [entry(0, 'openai/a', {}, policy())];
    assert.equal(firstLimits(alone, 90_000).firstByteMs, 120_000);
    const noRetry = [entry(0, 'openai/a', {}, policy({ timeoutRule: rule('timeout', 'different_provider', 0) })), entry(1, 'anthropic/b')];
    assert.equal(firstLimits(noRetry, 90_000).basis, 'configured');
    const off = [entry(0, 'openai/a', {}, policy({ deadlineReservePercent: 0 })), entry(1, 'anthropic/b')];
    assert.equal(firstLimits(off, 90_000).firstByteMs, 120_000);
    const noPolicy = [entry(0, 'openai/a'), entry(1, 'anthropic/b')];
    assert.equal(firstLimits(noPolicy, 90_000).firstByteMs, 120_000);
  });

  it('same_model on timeout keeps a reserve for the retry of the same entry', () => {
    const pol = policy({ timeoutRule: rule('timeout', 'same_model', 1) });
    assert.equal(firstLimits([entry(0, 'openai/a', {}, pol)], 60_000).firstByteMs, 30_000);
  });

  it('a smaller deadline_reserve_percent leaves the attempt more', () => {
    const pol = policy({ deadlineReservePercent: 20, timeoutRule: rule('timeout', 'different_provider', 1) });
    assert.equal(firstLimits([entry(0, 'openai/a', {}, pol), entry(1, 'anthropic/b')], 100_000).firstByteMs, 80_000);
  });

  it('deadlineReserveMs and splitForDeadline, directly', () => {
    const times = new MemoryLatencyDistributions();
    const pol = policy();
    assert.equal(deadlineReserveMs(pol, entry(1, 'anthropic/b'), false, 10_000, times, 0), 5000);
    const limits = guardLimits(entry(0, 'openai/a'), pol, false, times, 0);
    assert.equal(splitForDeadline(limits, false, 200_000), limits, 'unchanged when the wait fits');
    assert.deepEqual(splitForDeadline(limits, false, 999.7), { firstByteMs: 999, firstTokenMs: 999, idleMs: 30_000, basis: 'deadline-split' });
  });
});
