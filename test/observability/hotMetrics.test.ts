// The request path's own counters and histograms, rendered by prom-client's
// registry: the output passes the strict parser with the right buckets, sums
// and counts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { HotCounter, HotHistogram } from '../../src/observability/hotMetrics.js';
import { parseExposition, sampleValue } from '../support/promText.js';

describe('hot metrics', () => {
  it('render as prom-client metrics that a strict parser accepts, with exact values', async () => {
    const registry = new Registry();
    const c = new HotCounter('x_total', 'A counter.', ['model', 'outcome'], registry);
    const h = new HotHistogram('y_seconds', 'A histogram.', ['model'], [1, 0.1, 10], registry);
    const ok = c.labels({ model: 'a "quoted" \\ name', outcome: 'success' });
    ok.inc();
    ok.inc(2);
    c.inc({ model: 'b', outcome: 'failure' });
    const a = h.labels({ model: 'a' });
    for (const v of [0.05, 0.1, 0.5, 5, 50]) a.observe(v);
    h.labels({ model: 'b' }).observe(1);
    assert.equal(h.labels({ model: 'a' }), a, 'a series is bound once');

    const f = parseExposition(await registry.metrics());
    assert.equal(f.get('x_total')?.type, 'counter');
    assert.equal(sampleValue(f, 'x_total', { model: 'a "quoted" \\ name', outcome: 'success' }), 3);
    assert.equal(sampleValue(f, 'x_total', { model: 'b' }), 1);
    assert.equal(f.get('y_seconds')?.type, 'histogram');
    // Bounds sorted; an observation equal to a bound falls in that bucket (le is "less or equal").
    assert.deepEqual(['0.1', '1', '10', '+Inf'].map((le) => sampleValue(f, 'y_seconds_bucket', { model: 'a', le })), [2, 3, 4, 5]);
    assert.equal(sampleValue(f, 'y_seconds_sum', { model: 'a' }), 55.65);
    assert.equal(sampleValue(f, 'y_seconds_count', { model: 'a' }), 5);
    assert.equal(sampleValue(f, 'y_seconds_bucket', { model: 'b', le: '1' }), 1);
  });

  it('refuses a label the family does not have', () => {
    const c = new HotCounter('z_total', 'z', ['model'], new Registry());
    assert.throws(() => c.labels({ colour: 'red' }));
  });
});
