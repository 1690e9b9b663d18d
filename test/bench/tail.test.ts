// The tail-latency benchmark's parts: the upstream's shape, the configs it
// runs, and one small real run (child gateways, a real upstream) checking
// that it counts what it should. Its timings are the benchmark's business.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfigText } from '../../src/config/load.js';
import { runTailBench, tailGatewayYaml } from '../../bench/tailLatency.js';
import { TAIL_SHAPE, tailDelayMs, tailStreamTimes } from '../../bench/tailUpstream.js';

describe('tail-latency benchmark', () => {
  it('5% of answers take 20× the median', () => {
    assert.equal(tailDelayMs(0, TAIL_SHAPE), 2000);
    assert.equal(tailDelayMs(0.0499, TAIL_SHAPE), 2000);
    assert.equal(tailDelayMs(0.05, TAIL_SHAPE), 100);
    assert.equal(tailDelayMs(0.99, TAIL_SHAPE), 100);
  });

  it('a stream takes the same total, and a slow one is slow before its first token', () => {
    const fast = tailStreamTimes(0.5, TAIL_SHAPE);
    const slow = tailStreamTimes(0.01, TAIL_SHAPE);
    assert.deepEqual(fast, { firstTokenMs: 20, gapMs: 10 });
    assert.deepEqual(slow, { firstTokenMs: 1920, gapMs: 10 });
    for (const t of [fast, slow]) assert.equal(t.firstTokenMs + TAIL_SHAPE.chunks * t.gapMs, tailDelayMs(t === fast ? 0.5 : 0.01, TAIL_SHAPE));
  });

  it('runs configs that load cleanly, with and without a hedge', () => {
    for (const hedge of [false, true]) {
      const r = loadConfigText(tailGatewayYaml(12000, 'http://127.0.0.1:1', hedge), 'tail.yaml', {});
      assert.ok(r.ok && r.warnings.length === 0, JSON.stringify(r));
      assert.equal(r.config.providers[0]!.retryPolicy!.hedge?.delay.kind, hedge ? 'learned' : undefined);
    }
  });

  it('a small real run answers everything and counts the upstream requests', { timeout: 90_000 }, async () => {
    const result = await runTailBench({ requests: 120, warmup: 40, concurrency: 8, shape: { medianMs: 10, slowShare: 0.05, slowFactor: 20, firstTokenMs: 2, chunks: 4 } });
    assert.deepEqual(result.runs.map((r) => `${r.mode} ${r.label}`), ['whole no hedging', 'whole hedge: {after: p95}', 'streamed no hedging', 'streamed hedge: {after: p95}']);
    for (const mode of ['whole', 'streamed']) {
      const [plain, hedged] = result.runs.filter((r) => r.mode === mode);
      assert.ok(plain !== undefined && hedged !== undefined);
      assert.equal(plain.failures + hedged.failures, 0, mode);
      assert.equal(plain.extraUpstreamPct, 0, 'without hedging, one upstream request per client request');
      assert.equal(plain.hedgedAnswers, 0);
      // The budget allows hedges for 10% of the requests in the window, warm-up included.
      const extra = (hedged.extraUpstreamPct / 100) * 120;
      assert.ok(extra >= 0 && extra <= 0.1 * (120 + 40), `the budget caps hedges: ${extra} extra upstream requests`);
      assert.ok(plain.p50Ms <= plain.p99Ms && plain.p99Ms <= plain.p999Ms && plain.p999Ms <= plain.maxMs);
    }
  });
});
