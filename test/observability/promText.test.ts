// The strict exposition parser the metrics tests rely on: it must accept what
// prom-client writes and refuse what promtool refuses, or a metrics test could
// pass on broken output.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Counter, Gauge, Histogram, Registry, Summary } from 'prom-client';
import { parseExposition, sampleValue } from '../support/promText.js';

const GOOD = `# HELP a_total A counter.
# TYPE a_total counter
a_total{x="1"} 3
a_total{x="2 \\"q\\" \\\\ \\n"} 4
# HELP h A histogram.
# TYPE h histogram
h_bucket{le="0.1"} 1
h_bucket{le="1"} 2
h_bucket{le="+Inf"} 2
h_sum 0.6
h_count 2
`;

describe('the exposition parser', () => {
  it('reads families, labels with escapes, and histogram samples', () => {
    const f = parseExposition(GOOD);
    assert.equal(f.get('a_total')?.type, 'counter');
    assert.equal(sampleValue(f, 'a_total', { x: '2 "q" \\ \n' }), 4);
    assert.equal(sampleValue(f, 'h_count'), 2);
    assert.equal(sampleValue(f, 'h_bucket', { le: '0.1' }), 1);
    assert.equal(sampleValue(f, 'a_total', { x: 'absent' }), 0);
  });

  it("accepts prom-client's own output of every metric type", async () => {
    const registry = new Registry();
    const registers = [registry];
    new Counter({ name: 'c_total', help: 'c', labelNames: ['l'], registers }).inc({ l: 'with "quotes" and \\ and\nnewline' });
    new Gauge({ name: 'g', help: 'g', registers }).set(-1.5);
    const h = new Histogram({ name: 'h_seconds', help: 'h', labelNames: ['m'], buckets: [0.1, 1], registers });
    h.observe({ m: 'a' }, 0.05);
    h.observe({ m: 'b' }, 5);
    new Summary({ name: 's', help: 's', percentiles: [0.5], registers }).observe(2);
    const f = parseExposition(await registry.metrics());
    assert.deepEqual([...f.keys()].sort(), ['c_total', 'g', 'h_seconds', 's']);
    assert.equal(sampleValue(f, 'h_seconds_bucket', { m: 'b', le: '+Inf' }), 1);
    assert.equal(sampleValue(f, 'c_total', { l: 'with "quotes" and \\ and\nnewline' }), 1);
  });

  const BAD: readonly [string, string][] = [
    ['no final newline', GOOD.trimEnd()],
    ['a bad metric name', '# HELP 1x x\n# TYPE 1x gauge\n1x 1\n'],
    ['a bad escape', '# HELP g g\n# TYPE g gauge\ng{a="\\t"} 1\n'],
    ['an unterminated label value', '# HELP g g\n# TYPE g gauge\ng{a="x} 1\n'],
    ['a reserved label name', '# HELP g g\n# TYPE g gauge\ng{__a="x"} 1\n'],
    ['a label twice', '# HELP g g\n# TYPE g gauge\ng{a="x",a="y"} 1\n'],
    ['a bad value', '# HELP g g\n# TYPE g gauge\ng one\n'],
    ['a series twice', '# HELP g g\n# TYPE g gauge\ng{a="x"} 1\ng{a="x"} 2\n'],
    ['TYPE after samples', '# HELP g g\ng 1\n# TYPE g gauge\n'],
    ['TYPE twice', '# HELP g g\n# TYPE g gauge\n# TYPE g gauge\ng 1\n'],
    ['an unknown type', '# HELP g g\n# TYPE g meter\ng 1\n'],
    ['interleaved families', '# HELP g g\n# TYPE g gauge\n# HELP k k\n# TYPE k gauge\ng{a="1"} 1\nk 1\ng{a="2"} 1\n'],
    ['no HELP', '# TYPE g gauge\ng 1\n'],
    ['a counter without _total', '# HELP c c\n# TYPE c counter\nc 1\n'],
    ['a gauge named _total', '# HELP g_total g\n# TYPE g_total gauge\ng_total 1\n'],
    ['buckets that are not cumulative', GOOD.replace('h_bucket{le="1"} 2', 'h_bucket{le="1"} 0')],
    ['no +Inf bucket', GOOD.replace('h_bucket{le="+Inf"} 2\n', '')],
    ['+Inf not equal to _count', GOOD.replace('h_count 2', 'h_count 3')],
    ['a histogram without _sum', GOOD.replace('h_sum 0.6\n', '')],
    ['le outside a histogram', '# HELP g g\n# TYPE g gauge\ng{le="1"} 1\n'],
  ];
  for (const [what, text] of BAD) {
    it(`refuses ${what}`, () => {
      assert.throws(() => parseExposition(text));
    });
  }
});
