// Hedged attempts through runWithFailover, without sockets: a fake clock that
// moves only when told, and attempts the test settles by hand. What is checked
// is when a hedge starts, where it goes (as a timeout retry would), who wins,
// that losers are ended, and that the budget, blocks, circuits and the retry
// gate are respected.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runWithFailover, type AttemptResult, type FailoverContext } from '../../src/failover/orchestrator.js';
import { presenceOf, type RaceLink } from '../../src/failover/runTypes.js';
import type { HedgePolicy, ModelProvider, RetryPolicy } from '../../src/config/types.js';
import { createSharedState } from '../../src/state/sharedState.js';
import { config, FakeClock, policy, providers, rule, seededRng } from './fixtures.js';

const hedgeAfter = (ms: number, extra: Partial<HedgePolicy> = {}): HedgePolicy => ({
  delay: { kind: 'fixed', ms },
  maxExtraAttempts: 1,
  budgetPercent: 10,
  trigger: undefined,
  ...extra,
});

interface Call {
  readonly model: string;
  readonly attemptNo: number;
  readonly at: number;
  readonly race: RaceLink | undefined;
  cancelled: boolean;
  settle(result: AttemptResult<string>): void;
}

const ok = (text: string): AttemptResult<string> => ({ kind: 'success', response: text, ttfbMs: 5 });
const http = (status: number): AttemptResult<string> => ({ kind: 'failure', outcome: { kind: 'http-error', status, body: '{}' } });
const TIMEOUT: AttemptResult<string> = { kind: 'failure', outcome: { kind: 'timeout', phase: 'first-byte', afterMs: 1 } };

/** Lets pending promise callbacks run. */
const flush = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

function world(models: string[], pol: RetryPolicy, opts: { gate?: number; stream?: boolean; list?: ModelProvider[] } = {}) {
  const list = opts.list ?? providers(models, pol);
  const cfg = config(list, opts.gate ?? 1000);
  const shared = createSharedState(cfg);
  const clock = new FakeClock(1_000_000, false);
  const calls: Call[] = [];
  const logs: Record<string, unknown>[] = [];
  const client = new AbortController();
  const ctx = (): FailoverContext => ({
    ...shared,
    config: cfg,
    primary: list[0] as ModelProvider,
    clock,
    rng: seededRng(5),
    deadlineMs: clock.now() + 30_000,
    client: presenceOf(client.signal),
    log: { info: (o) => logs.push(o as Record<string, unknown>) },
    requestId: 'r',
    stream: opts.stream ?? false,
  });
  const request = () =>
    runWithFailover<string>(ctx(), (target, attemptNo, _remaining, plan) =>
      new Promise((resolve) => {
        const call: Call = { model: target.name, attemptNo, at: clock.now(), race: plan.race, cancelled: false, settle: resolve };
        plan.race?.onCancel(() => {
          call.cancelled = true;
          resolve(TIMEOUT);
        });
        // The client leaving ends every attempt, as the request scope does.
        client.signal.addEventListener('abort', () => { resolve(TIMEOUT); }, { once: true });
        calls.push(call);
      }),
    );
  return { list, shared, clock, calls, logs, client, request, ctx };
}

const pol = (hedge: HedgePolicy, extra: Partial<RetryPolicy> = {}): RetryPolicy =>
  policy({ fallbackModels: ['anthropic/b'], timeoutRule: rule('timeout', 'different_provider', 2), hedge, ...extra });

describe('hedged attempts', () => {
  it('an attempt that throws before its first await is settled as one that rejects', async () => {
    // RunAttempt need not be async: a throw while the client is gone is its leaving, not a bug in the caller.
    const w = world(['openai/a', 'anthropic/b'], pol(hedgeAfter(100)));
    w.client.abort();
    const gone = await runWithFailover<string>(w.ctx(), () => {
      throw new Error('thrown before any await');
    });
    assert.equal(gone.kind, 'client-gone');
    // With the client still there, it is the caller's bug: the request rejects with it.
    const here = world(['openai/a', 'anthropic/b'], pol(hedgeAfter(100)));
    await assert.rejects(
      runWithFailover<string>(here.ctx(), () => {
        throw new Error('thrown before any await');
      }),
      /thrown before any await/,
    );
  });

  it('start at the delay, on the candidate a timeout would move to; the faster wins and the other is ended', async () => {
    const w = world(['openai/a', 'mistral/c', 'anthropic/b'], pol(hedgeAfter(500)));
    const pending = w.request();
    await flush();
    w.clock.advance(499);
    await flush();
    assert.equal(w.calls.length, 1, 'no hedge before the delay');
    w.clock.advance(1);
    await flush();
    assert.deepEqual(w.calls.map((c) => [c.model, c.at - 1_000_000]), [['openai/a', 0], ['anthropic/b', 500]], 'fallback_models first');
    assert.equal(w.shared.gate.active, 1, 'the hedge holds a retry-gate slot');
    w.calls[1]!.settle(ok('from b'));
    const r = await pending;
    assert.ok(r.kind === 'success');
    assert.equal(r.response, 'from b');
    assert.equal(r.target.name, 'anthropic/b');
    assert.equal(r.hedged, true);
    assert.equal(r.attemptCount, 2, 'x-switchyard-attempts counts the hedge');
    assert.equal(w.calls[0]!.cancelled, true, 'the first attempt is ended');
    assert.equal(w.shared.gate.active, 0);
    assert.deepEqual(w.logs.map((l) => [l['model'], l['outcome'], l['hedge']]), [['openai/a', 'lost_race', undefined], ['anthropic/b', 'success', true]]);
    assert.deepEqual(r.failures, [], 'a lost attempt is not a failure');
  });

  it('the first attempt may still win: no hedged flag, and the hedge is ended', async () => {
    const w = world(['openai/a', 'anthropic/b'], pol(hedgeAfter(100)));
    const pending = w.request();
    await flush();
    w.clock.advance(100);
    await flush();
    w.calls[0]!.settle(ok('from a'));
    const r = await pending;
    assert.ok(r.kind === 'success');
    assert.equal(r.response, 'from a');
    assert.equal(r.hedged, false);
    assert.equal(w.calls[1]!.cancelled, true);
    assert.equal(w.shared.gate.active, 0, 'the hedge gave its slot back');
  });

  it('no hedge once the trigger is reached within the delay (first byte for a whole answer)', async () => {
    const w = world(['openai/a', 'anthropic/b'], pol(hedgeAfter(100)));
    const pending = w.request();
    await flush();
    w.calls[0]!.race!.reached('first-byte');
    w.clock.advance(1000);
    await flush();
    assert.equal(w.calls.length, 1);
    w.calls[0]!.settle(ok('a'));
    assert.equal((await pending).kind, 'success');
  });

  it('a stream: the trigger is the first token, and the first token decides the winner, ending the other at once', async () => {
    const w = world(['openai/a', 'anthropic/b'], pol(hedgeAfter(100)), { stream: true });
    const pending = w.request();
    await flush();
    w.calls[0]!.race!.reached('first-byte');
    w.clock.advance(100);
    await flush();
    assert.equal(w.calls.length, 2, 'a first event without content does not stop the hedge');
    w.calls[1]!.race!.reached('first-token');
    await flush();
    assert.equal(w.calls[0]!.cancelled, true, 'ended at the first token, before anything is committed');
    w.calls[1]!.settle(ok('streamed by b'));
    const r = await pending;
    assert.ok(r.kind === 'success' && r.hedged && r.target.name === 'anthropic/b');
  });

  it('a hedge that fails leaves the first running; when the last one fails, failover goes on from that failure', async () => {
    const w = world(['openai/a', 'anthropic/b', 'mistral/c'], pol(hedgeAfter(100)));
    const pending = w.request();
    await flush();
    w.clock.advance(100);
    await flush();
    w.calls[1]!.settle(http(503));
    await flush();
    assert.equal(w.calls.length, 2, 'no new attempt while the first still runs');
    w.calls[0]!.settle(TIMEOUT);
    await flush();
    // The timeout rule had 2 retries; the hedge used one. The next candidate, c, is tried (and may be hedged itself).
    assert.deepEqual(w.calls.map((c) => c.model), ['openai/a', 'anthropic/b', 'mistral/c']);
    w.calls[2]!.settle(ok('c'));
    const r = await pending;
    assert.ok(r.kind === 'success' && r.target.name === 'mistral/c' && !r.hedged);
    assert.deepEqual(r.failures.map((f) => [f.target.name, f.errorType]), [['anthropic/b', 'http_503'], ['openai/a', 'timeout_1ms']]);
  });

  it("a hedge counts as a retry of the timeout rule: with on_timeout's one retry used, a later timeout stops", async () => {
    const w = world(['openai/a', 'anthropic/b', 'mistral/c'], pol(hedgeAfter(100), { timeoutRule: rule('timeout', 'different_provider', 1) }));
    const pending = w.request();
    await flush();
    w.clock.advance(100);
    await flush();
    w.calls[1]!.settle(TIMEOUT);
    w.calls[0]!.settle(TIMEOUT);
    const r = await pending;
    assert.equal(r.kind, 'exhausted');
    assert.equal(w.calls.length, 2, 'c is never tried');
  });

  it('no hedge to a blocked or open-circuit entry: it goes to the next candidate, or nowhere', async () => {
    const w = world(['openai/a', 'anthropic/b', 'mistral/c'], pol(hedgeAfter(100)));
    w.shared.blocks.block('model:anthropic/b', w.clock.now() + 60_000, { cause: 'retry-after', status: 429 });
    let pending = w.request();
    await flush();
    w.clock.advance(100);
    await flush();
    assert.deepEqual(w.calls.map((c) => c.model), ['openai/a', 'mistral/c'], 'b is blocked');
    w.calls[0]!.settle(ok('a'));
    await pending;
    // An open circuit is a block too.
    w.shared.blocks.block('model:mistral/c', w.clock.now() + 60_000, { cause: 'circuit-open' });
    pending = w.request();
    await flush();
    w.clock.advance(100);
    await flush();
    assert.equal(w.calls.length, 3, 'every candidate is blocked: no hedge');
    w.calls[2]!.settle(ok('a'));
    assert.equal((await pending).kind, 'success');
  });

  it('no hedge when the retry gate is full', async () => {
    const w = world(['openai/a', 'anthropic/b'], pol(hedgeAfter(100)), { gate: 1 });
    assert.equal(w.shared.gate.acquire(), true);
    const pending = w.request();
    await flush();
    w.clock.advance(100);
    await flush();
    assert.equal(w.calls.length, 1);
    w.shared.gate.release();
    w.calls[0]!.settle(ok('a'));
    assert.equal((await pending).kind, 'success');
  });

  it('the budget: one hedge while fewer than 10 requests were seen, then at most budget_percent of them', async () => {
    const w = world(['openai/a', 'anthropic/b'], pol(hedgeAfter(100)));
    const hedged = async (): Promise<boolean> => {
      const before = w.calls.length;
      const pending = w.request();
      await flush();
      w.clock.advance(100);
      await flush();
      w.calls[before]!.settle(ok('a'));
      await pending;
      return w.calls.length - before === 2;
    };
    const results: boolean[] = [];
    for (let i = 0; i < 30; i++) results.push(await hedged());
    // Request 1: one hedge allowed (under 10 seen). Requests 2–19: 1 hedge ≥ 10% of them. Request 20: 2 ≤ 10% of 20.
    assert.deepEqual(results.map((h, i) => (h ? i + 1 : 0)).filter((n) => n > 0), [1, 20, 30]);
    assert.deepEqual(w.shared.hedgeBudget.counts('openai/a', w.clock.now()), { requests: 30, hedges: 3 });
  });

  it('the client leaving ends every attempt and starts nothing', async () => {
    const w = world(['openai/a', 'anthropic/b'], pol(hedgeAfter(100, { maxExtraAttempts: 2 })));
    const pending = w.request();
    await flush();
    w.clock.advance(100);
    await flush();
    assert.equal(w.calls.length, 2);
    w.client.abort();
    const r = await pending;
    assert.equal(r.kind, 'client-gone');
    w.clock.advance(1000);
    await flush();
    assert.equal(w.calls.length, 2, 'no further hedge');
    assert.equal(w.shared.gate.active, 0);
  });

  it('max_extra_attempts 2: the k-th hedge is due k delays after the start', async () => {
    const w = world(['openai/a', 'anthropic/b', 'mistral/c'], pol(hedgeAfter(100, { maxExtraAttempts: 2 })));
    // Enough requests in the window for the budget to allow two hedges.
    for (let i = 0; i < 50; i++) w.shared.hedgeBudget.noteRequest('openai/a', w.clock.now());
    const pending = w.request();
    for (let i = 0; i < 4; i++) {
      await flush();
      w.clock.advance(100);
    }
    await flush();
    assert.deepEqual(w.calls.map((c) => [c.model, c.at - 1_000_000]), [['openai/a', 0], ['anthropic/b', 100], ['mistral/c', 200]]);
    w.calls[2]!.settle(ok('c'));
    const r = await pending;
    assert.ok(r.kind === 'success' && r.attemptCount === 3);
    assert.ok(w.calls[0]!.cancelled && w.calls[1]!.cancelled);
  });

  it('after: p95 waits the p95 of the model\'s recent times, clamped; max_after_ms until 20 samples', async () => {
    const learned: HedgePolicy = { ...hedgeAfter(0), delay: { kind: 'learned', quantile: 0.95, minMs: 20, maxMs: 5000 } };
    const w = world(['openai/a', 'anthropic/b'], pol(learned));
    for (let i = 0; i < 50; i++) w.shared.hedgeBudget.noteRequest('openai/a', w.clock.now());
    const startsAfter = async (): Promise<number> => {
      const before = w.calls.length;
      const t0 = w.clock.now();
      const pending = w.request();
      let waited = 0;
      while (w.calls.length - before < 2 && waited < 6000) {
        await flush();
        w.clock.advance(10);
        waited += 10;
      }
      w.calls[before]!.settle(ok('a'));
      await pending;
      return w.calls[before + 1]!.at - t0;
    };
    assert.equal(await startsAfter(), 5000, 'no samples: max_after_ms');
    for (let i = 0; i < 40; i++) w.shared.distributions.record('openai/a', 'first-byte', 300, w.clock.now());
    const d = await startsAfter();
    assert.ok(d >= 290 && d <= 320, `about the p95 of 300 ms, got ${d}`);
  });
});
