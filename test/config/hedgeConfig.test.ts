// The config of issue 15: hedge (on a policy and on an entry), `auto` limits,
// learned_timeouts and deadline_reserve_percent; their errors and warnings name
// the field and its line.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { errorsOf, expectError, expectWarning, loadOk, TWO_PROVIDERS, yaml } from './helpers.js';

/** TWO_PROVIDERS with a retry_policy on the first entry; policy lines start at line 6. */
function withPolicy(...policyLines: string[]): string {
  const [v, mp, p0, k0, ...rest] = TWO_PROVIDERS;
  return yaml(v!, mp!, p0!, k0!, '    retry_policy:', ...policyLines.map((l) => `      ${l}`), ...rest);
}

describe('hedge config', () => {
  it('reads a fixed delay, with its defaults', () => {
    const p = loadOk(withPolicy('hedge: { after_ms: 1500 }')).config.providers[0]!.retryPolicy!;
    assert.deepEqual(p.hedge, { delay: { kind: 'fixed', ms: 1500 }, maxExtraAttempts: 1, budgetPercent: 10, trigger: undefined });
  });

  it('reads a learned delay, its bounds, the trigger and the budget', () => {
    const p = loadOk(
      withPolicy('hedge:', '  after: p90', '  min_after_ms: 50', '  max_after_ms: 4000', '  max_extra_attempts: 2', '  budget_percent: 5.5', '  trigger: first_byte'),
    ).config.providers[0]!.retryPolicy!;
    assert.deepEqual(p.hedge, { delay: { kind: 'learned', quantile: 0.9, minMs: 50, maxMs: 4000 }, maxExtraAttempts: 2, budgetPercent: 5.5, trigger: 'first_byte' });
    const d = loadOk(withPolicy('hedge: { after: p95 }')).config.providers[0]!.retryPolicy!.hedge;
    assert.deepEqual(d?.delay, { kind: 'learned', quantile: 0.95, minMs: 20, maxMs: 10_000 });
  });

  it('on a provider entry, for attempts sent to it', () => {
    const [v, mp, p0, k0, p1, k1] = TWO_PROVIDERS;
    const { config } = loadOk(yaml(v!, mp!, p0!, k0!, '    retry_policy: {}', p1!, k1!, '    hedge: { after_ms: 800, trigger: first_token }'));
    assert.deepEqual(config.providers[1]!.hedge, { delay: { kind: 'fixed', ms: 800 }, maxExtraAttempts: 1, budgetPercent: 10, trigger: 'first_token' });
    assert.equal(config.providers[0]!.hedge, undefined);
  });

  it('needs exactly one of after_ms and after', () => {
    expectError(withPolicy('hedge: { budget_percent: 5 }'), 'model_providers[0].retry_policy.hedge', 6, 'needs after_ms', 'or after');
    expectError(withPolicy('hedge:', '  after_ms: 100', '  after: p95'), 'model_providers[0].retry_policy.hedge.after', 8, 'not both');
  });

  it('rejects what the schema cannot accept, with the field and the line', () => {
    expectError(withPolicy('hedge: { after: p97 }'), 'model_providers[0].retry_policy.hedge.after', 6, 'p95');
    expectError(withPolicy('hedge:', '  after_ms: 100', '  on: first_byte'), 'model_providers[0].retry_policy.hedge.on', 8, 'unknown key');
    expectError(withPolicy('hedge:', '  after_ms: 100', '  max_extra_attempts: 4'), 'model_providers[0].retry_policy.hedge.max_extra_attempts', 8);
    expectError(withPolicy('hedge:', '  after_ms: 100', '  budget_percent: 0'), 'model_providers[0].retry_policy.hedge.budget_percent', 8);
    expectError(withPolicy('hedge:', '  after: p95', '  min_after_ms: 500', '  max_after_ms: 100'), 'model_providers[0].retry_policy.hedge.max_after_ms', 9, 'at least min_after_ms');
  });

  it('warns that min/max_after_ms have no effect with after_ms', () => {
    const { warnings } = loadOk(withPolicy('hedge:', '  after_ms: 100', '  max_after_ms: 900'));
    assert.equal(expectWarning(warnings, 'model_providers[0].retry_policy.hedge.max_after_ms', 'no effect with after_ms').line, 8);
  });

  it('warns when no hedge can ever start: no timeout retry, or no retry_policy anywhere for an entry hedge', () => {
    const none = loadOk(withPolicy('default_max_attempts: 0', 'hedge: { after_ms: 100 }')).warnings;
    assert.equal(expectWarning(none, 'model_providers[0].retry_policy.hedge', 'no hedge ever starts').line, 7);
    const [v, mp, p0, k0, p1, k1] = TWO_PROVIDERS;
    const entryOnly = loadOk(yaml(v!, mp!, p0!, k0!, '    hedge: { after_ms: 100 }', p1!, k1!)).warnings;
    assert.equal(expectWarning(entryOnly, 'model_providers[0].hedge', 'no entry has one').line, 5);
    assert.deepEqual(loadOk(withPolicy('hedge: { after_ms: 100 }')).warnings, []);
  });
});

describe('learned limits and the deadline split in config', () => {
  it('first_byte_timeout_ms and first_token_timeout_ms take auto, on an entry and on a policy', () => {
    const [v, mp, p0, k0, ...rest] = TWO_PROVIDERS;
    const { config } = loadOk(
      yaml(v!, mp!, p0!, k0!, '    first_byte_timeout_ms: auto', '    retry_policy:', '      first_token_timeout_ms: auto', '      first_byte_timeout_ms: 30000', ...rest),
    );
    const p = config.providers[0]!;
    assert.equal(p.timeouts.firstByteMs, 'auto');
    assert.equal(p.retryPolicy!.streamGuards.firstTokenTimeoutMs, 'auto');
    assert.equal(p.retryPolicy!.firstByteTimeoutMs, 30_000);
  });

  it('rejects another word, with a suggestion', () => {
    expectError(withPolicy('first_token_timeout_ms: atuo'), 'model_providers[0].retry_policy.first_token_timeout_ms', 6, 'auto');
    const [v, mp, p0, k0, ...rest] = TWO_PROVIDERS;
    expectError(yaml(v!, mp!, p0!, k0!, '    first_byte_timeout_ms: 0', ...rest), 'model_providers[0].first_byte_timeout_ms', 5);
  });

  it('reads learned_timeouts and deadline_reserve_percent, and checks their bounds', () => {
    const p = loadOk(withPolicy('learned_timeouts: { multiplier: 3.5, floor_ms: 500, ceiling_ms: 30000 }', 'deadline_reserve_percent: 25')).config.providers[0]!.retryPolicy!;
    assert.deepEqual(p.learnedTimeouts, { multiplier: 3.5, floorMs: 500, ceilingMs: 30_000 });
    assert.equal(p.deadlineReservePercent, 25);
    expectError(withPolicy('learned_timeouts: { floor_ms: 5000, ceiling_ms: 1000 }'), 'model_providers[0].retry_policy.learned_timeouts.ceiling_ms', 6, 'at least floor_ms (5000)');
    expectError(withPolicy('learned_timeouts: { multiplier: 0.5 }'), 'model_providers[0].retry_policy.learned_timeouts.multiplier', 6);
    assert.ok(errorsOf(withPolicy('deadline_reserve_percent: 95')).some((e) => e.path === 'model_providers[0].retry_policy.deadline_reserve_percent'));
  });
});
