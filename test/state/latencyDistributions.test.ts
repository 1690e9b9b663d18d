// The in-memory distributions: quantiles within a few percent, a sliding
// 60 s window kept in 10 s slices, and models kept apart.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryLatencyDistributions } from '../../src/state/memoryLatencyDistributions.js';
import { SlidingHistogram } from '../../src/state/slidingHistogram.js';

const near = (actual: number | undefined, expected: number, tolerance = 0.03): void => {
  assert.ok(actual !== undefined && Math.abs(actual - expected) <= expected * tolerance, `expected about ${expected}, got ${actual}`);
};

describe('latency distributions', () => {
  it('reads quantiles within a few percent', () => {
    const h = new SlidingHistogram(60_000);
    for (let ms = 1; ms <= 1000; ms++) h.record(ms, 0);
    near(h.quantile(0.5, 0), 500);
    near(h.quantile(0.95, 0), 950);
    near(h.quantile(0.99, 0), 990);
    near(h.quantile(1, 0), 1000);
    assert.equal(h.size(0), 1000);
    assert.equal(new SlidingHistogram(60_000).quantile(0.5, 0), undefined);
  });

  it('keeps sub-millisecond and very long times in the end buckets', () => {
    const h = new SlidingHistogram(60_000);
    h.record(0.2, 0);
    h.record(10 * 3_600_000, 0);
    assert.equal(h.quantile(0.5, 0), 1);
    assert.ok((h.quantile(1, 0) ?? 0) > 3_000_000);
  });

  it('forgets samples once their slice leaves the 60 s window', () => {
    const h = new SlidingHistogram(60_000);
    for (let i = 0; i < 10; i++) h.record(100, 5_000);
    for (let i = 0; i < 10; i++) h.record(2000, 35_000);
    assert.equal(h.size(59_999), 20, 'both slices are inside the window');
    near(h.quantile(0.99, 59_999), 2000);
    assert.equal(h.size(60_000), 10, 'the first slice (0–10 s) has left');
    near(h.quantile(0.01, 60_000), 2000);
    assert.equal(h.size(100_000), 0, 'and then the second');
    assert.equal(h.quantile(0.5, 100_000), undefined);
    h.record(300, 1_000_000);
    assert.equal(h.size(1_000_000), 1, 'a long gap starts afresh');
  });

  it('keeps each model and metric apart', () => {
    const d = new MemoryLatencyDistributions();
    for (let i = 0; i < 30; i++) {
      d.record('a', 'first-byte', 100, 0);
      d.record('a', 'first-token', 400, 0);
      d.record('b', 'first-byte', 900, 0);
    }
    near(d.quantile('a', 'first-byte', 0.99, 0)?.valueMs, 100);
    near(d.quantile('a', 'first-token', 0.99, 0)?.valueMs, 400);
    near(d.quantile('b', 'first-byte', 0.99, 0)?.valueMs, 900);
    assert.equal(d.quantile('a', 'first-byte', 0.99, 0)?.samples, 30);
    assert.equal(d.quantile('c', 'first-byte', 0.99, 0), undefined);
    assert.equal(d.quantile('b', 'first-token', 0.99, 0), undefined);
  });
});
