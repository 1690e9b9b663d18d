// The 60-second version of `npm run soak` (bench/soak.ts): the real gateway in
// front of three chaos providers (10% 429 with Retry-After, 5% 503, 2% resets,
// 1% stalls), half the requests streaming. Every request must end in success
// or a well-formed error, and the gateway's RSS must be flat after warm-up.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runSoak } from '../../bench/soak/runSoak.js';
import { formatSoakReport, soakPassed } from '../../bench/soak/soakReport.js';

describe('soak (60 s)', () => {
  it('answers every request and keeps its memory flat', { timeout: 150_000 }, async () => {
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
    // The chaos must really have happened, and failover must have absorbed most of it.
    assert.ok(result.upstream['rate-limited'] > 0 && result.upstream.reset > 0 && result.upstream.stall > 0, report);
    assert.ok(result.success > result.sent * 0.9, report);
    assert.ok(result.trend.flat, report);
    assert.ok(soakPassed(result), report);
  });
});
