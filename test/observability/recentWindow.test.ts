// The status board's per-model window: counts and percentiles over the last
// minutes, forgetting what is older, on an injected clock.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { percentile, RecentWindow } from '../../src/observability/recentWindow.js';

describe('RecentWindow', () => {
  it('counts attempts and failures in the window and forgets older buckets', () => {
    const w = new RecentWindow(60_000, 10_000);
    w.attempt(1_000, false);
    w.attempt(2_000, true);
    w.failure(3_000);
    assert.deepEqual([w.read(5_000).attempts, w.read(5_000).failures], [2, 2]);
    w.attempt(65_000, false);
    // At 75 s the bucket of 0-10 s has left the 60 s window.
    assert.deepEqual([w.read(75_000).attempts, w.read(75_000).failures], [1, 0]);
    assert.deepEqual([w.read(200_000).attempts, w.read(200_000).failures], [0, 0]);
  });

  it('reads nearest-rank percentiles of recent samples only', () => {
    const w = new RecentWindow(60_000, 10_000, 100);
    for (let i = 1; i <= 20; i++) w.ttft(1_000, i * 10);
    const r = w.read(2_000);
    assert.equal(r.ttftSamples, 20);
    assert.equal(r.ttftP50Ms, 100);
    assert.equal(r.ttftP95Ms, 190);
    assert.equal(w.read(70_000).ttftSamples, 0);
    assert.equal(w.read(70_000).ttftP50Ms, undefined);
  });

  it('keeps a fixed number of samples', () => {
    const w = new RecentWindow(60_000, 10_000, 4);
    for (let i = 0; i < 10; i++) w.ttft(1_000 + i, i);
    assert.equal(w.read(2_000).ttftSamples, 4);
    assert.equal(w.read(2_000).ttftP50Ms, 7);
  });

  it('percentile is nearest-rank', () => {
    assert.equal(percentile([], 0.5), undefined);
    assert.equal(percentile([5], 0.95), 5);
    assert.equal(percentile([1, 2, 3, 4], 0.5), 2);
    assert.equal(percentile([1, 2, 3, 4], 1), 4);
  });
});
