// The tail-latency benchmark's parts: the upstream's shape, the configs it
// runs, and one small real run (child gateways, a real upstream) checking
// that it counts what it should. Its timings are the benchmark's business.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfigText } from '../../src/config/load.js';
import { runTailBench, tailGatewayYaml } from '../../bench/tailLatency.js';
import { TAIL_SHAPE, tailDelayMs } from '../../bench/tailUpstream.js';

describe('tail-latency benchmark', () => {
  it('5% of answers take 20× the median', () => {
    assert.equal(tailDelayMs(0, TAIL_SHAPE), 2000);
    assert.equal(tailDelayMs(0.0499, TAIL_SHAPE), 2000);
    assert.equal(tailDelayMs(0.05, TAIL_SHAPE), 100);
    assert.equal(tailDelayMs(0.99, TAIL_SHAPE), 100);
  });

  it('runs configs that load cleanly, with and without a hedge', () => {
    for (const hedge of [false, true]) {
      const r = loadConfigText(tailGatewayYaml(12000, 'http://127.0.0.1:1', hedge), 'tail.yaml', {});
      assert.ok(r.ok && r.warnings.length === 0, JSON.stringify(r));
      assert.equal(r.config.providers[0]!.retryPolicy!.hedge?.delay.kind, hedge ? 'learned' : undefined);
    }
  });

  it('a small real run answers everything and counts the upstream requests', { timeout: 60_000 }, async () => {
    const result = await runTailBench({ requests: 120, warmup: 40, concurrency: 8, shape: { medianMs: 10, slowShare: 0.05, slowFactor: 20 } });
    const [plain, hedged] = result.runs;
    assert.ok(plain !== undefined && hedged !== undefined);
    assert.equal(plain.failures + hedged.failures, 0);
    assert.equal(plain.extraUpstreamPct, 0, 'without hedging, one upstream request per client request');
    assert.equal(plain.hedgedAnswers, 0);
    // The budget allows hedges for 10% of the requests in the window, warm-up included.
    const extra = (hedged.extraUpstreamPct / 100) * 120;
    assert.ok(extra >= 0 && extra <= 0.1 * (120 + 40), `the budget caps hedges: ${extra} extra upstream requests`);
    assert.ok(plain.p50Ms <= plain.p99Ms && plain.p99Ms <= plain.p999Ms && plain.p999Ms <= plain.maxMs);
  });
});
