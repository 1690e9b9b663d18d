// The 60-second version of `npm run soak` (bench/soak.ts): the real gateway in
// front of three chaos providers, half the requests streaming. The primary
// answers 10% 429 with Retry-After, 5% 503, 2% resets and stalls 1% (accepts,
// never answers); the fallbacks fail 1% of the time. The config sets no
// per-attempt timeout, only `hedge: {after: p95}` (issue 15). More than 99.9%
// of requests must be answered with 200, none with 504, every one must end in
// success or a well-formed error, and the gateway's RSS must be flat after warm-up.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runSoak } from '../../bench/soak/runSoak.js';
import { formatSoakReport, soakPassed } from '../../bench/soak/soakReport.js';

describe('soak (60 s)', () => {
  it('answers more than 99.9% with 200, no 504 from stalls, and keeps its memory flat', { timeout: 150_000 }, async () => {
    const result = await runSoak({
      durationS: 60,
      rate: 10,
      warmupS: 30,
      // Half of a one-minute run is warm-up; a small heap lets V8 settle its size within it.
      gatewayNodeOptions: '--max-old-space-size=64 --max-semi-space-size=1',
    });
    const report = formatSoakReport(result, { date: new Date().toISOString().slice(0, 10), machine: 'CI' });
    const errors = [...result.errors.values()].reduce((a, b) => a + b, 0);
    assert.deepEqual([...result.unanswered], [], report);
    assert.equal(result.success + errors, result.sent, report);
    assert.ok(result.sent >= 550, report);
    // The chaos must really have happened: the primary stalled, and hedges answered.
    assert.ok(result.upstream['rate-limited'] > 0 && result.upstream.reset > 0 && result.primary.stall > 0, report);
    assert.ok(result.hedged > 0, report);
    assert.ok(result.success > result.sent * 0.999, report);
    assert.equal(result.errors.get(504), undefined, report);
    assert.ok(result.trend.flat, report);
    assert.ok(soakPassed(result), report);
  });
});
