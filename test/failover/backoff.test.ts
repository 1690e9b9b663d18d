import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backoffApplies, computeBackoffMs } from '../../src/failover/backoff.js';
import type { BackoffPolicy } from '../../src/config/types.js';
import { provider, seededRng } from './fixtures.js';

const plain: BackoffPolicy = { applyTo: 'global', baseMs: 100, maxMs: 1000, jitter: false };

describe('computeBackoffMs', () => {
  it('doubles from base_ms and stops at max_ms', () => {
    const never = (): number => assert.fail('no jitter, no RNG');
    assert.deepEqual([1, 2, 3, 4, 5, 6].map((n) => computeBackoffMs(n, plain, never)), [100, 200, 400, 800, 1000, 1000]);
  });

  it('with jitter stays within [d/2, d] and varies', () => {
    const rng = seededRng(42);
    const jittered = { ...plain, jitter: true };
    for (let n = 1; n <= 6; n++) {
      const d = Math.min(100 * 2 ** (n - 1), 1000);
      const seen = new Set<number>();
      for (let i = 0; i < 200; i++) {
        const v = computeBackoffMs(n, jittered, rng);
        assert.ok(v >= d / 2 && v <= d, `${v} outside [${d / 2}, ${d}]`);
        seen.add(v);
      }
      assert.ok(seen.size > 10, 'jitter spreads the delays');
    }
  });

  it('reaches both ends of the jitter range', () => {
    const jittered = { ...plain, jitter: true };
    assert.equal(computeBackoffMs(3, jittered, () => 0), 200);
    assert.equal(computeBackoffMs(3, jittered, () => 0.999999), 400);
  });
});

describe('backoffApplies', () => {
  const a = provider(0, 'openai/a');
  const b = provider(1, 'openai/b');
  const c = provider(2, 'anthropic/c');
  it('same_model: only a retry of the same entry', () => {
    const bo = { ...plain, applyTo: 'same_model' } as const;
    assert.deepEqual([backoffApplies(bo, a, a), backoffApplies(bo, a, b), backoffApplies(bo, a, c)], [true, false, false]);
  });
  it('same_provider: any retry within the prefix', () => {
    const bo = { ...plain, applyTo: 'same_provider' } as const;
    assert.deepEqual([backoffApplies(bo, a, a), backoffApplies(bo, a, b), backoffApplies(bo, a, c)], [true, true, false]);
  });
  it('global: every retry', () => {
    assert.deepEqual([backoffApplies(plain, a, a), backoffApplies(plain, a, b), backoffApplies(plain, a, c)], [true, true, true]);
  });
});
