// Learned limits with a fake clock: a model's time to first token drifts from
// 200 ms to 2 s and back; the `auto` guard follows within the 60 s window and
// never leaves its clamp.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { guardLimits } from '../../src/failover/attemptLimits.js';
import { learnedLimitMs, MIN_SAMPLES } from '../../src/failover/learnedLimit.js';
import type { ModelProvider } from '../../src/config/types.js';
import { MemoryLatencyDistributions } from '../../src/state/memoryLatencyDistributions.js';
import { FakeClock, policy, provider } from './fixtures.js';

const MODEL: ModelProvider = { ...provider(0, 'openai/drifting'), streamGuards: { firstTokenTimeoutMs: 'auto', idleTimeoutMs: undefined } };
const FLOOR = 2000;
const CEILING = 60_000;

describe('learned limits', () => {
  it('follow a drift in time to first token from 200 ms to 2 s (and back) within the window, never leaving the clamp', () => {
    const clock = new FakeClock(0, false);
    const times = new MemoryLatencyDistributions();
    const guard = (): number => guardLimits(MODEL, policy(), true, times, clock.now()).firstTokenMs;
    const seen: number[] = [];
    // One answer every 100 ms, for `seconds`, each taking `ms` to its first token; the guard read after each.
    const run = (seconds: number, ms: number): number[] => {
      const out: number[] = [];
      for (let i = 0; i < seconds * 10; i++) {
        clock.advance(100);
        times.record(MODEL.name, 'first-token', ms * (0.95 + 0.1 * ((i * 7) % 10) / 10), clock.now());
        out.push(guard());
      }
      seen.push(...out);
      return out;
    };

    assert.equal(guard(), CEILING, 'no samples: the static default');
    const learning = run(120, 200);
    assert.equal(learning[MIN_SAMPLES - 2], CEILING, 'still the static default with 19 samples');
    assert.equal(learning.at(-1), FLOOR, '5 × 200 ms is under the floor: 2 s');

    const drift = run(60, 2000);
    // p99 moves as soon as more than 1% of the window is slow, and the guard with it: 5 × ~2 s.
    const followedAfter = drift.findIndex((g) => g >= 9000);
    assert.ok(followedAfter >= 0 && followedAfter < 600, `followed within the window (after ${followedAfter} answers)`);
    assert.ok(Math.abs(drift.at(-1)! - 10_000) <= 500, `settled near 10 s, got ${drift.at(-1)}`);

    const back = run(61, 200);
    assert.equal(back.at(-1), FLOOR, 'once the slow answers have left the window, back to the floor');
    assert.ok(back.slice(0, 400).every((g) => g >= 9000), 'slow answers count until they leave the window');

    assert.ok(seen.every((g) => g >= FLOOR && g <= CEILING), 'never outside [floor, ceiling]');
  });

  it('learnedLimitMs: the static default below MIN_SAMPLES, then multiplier × p99 clamped', () => {
    const settings = { multiplier: 5, floorMs: 2000, ceilingMs: undefined };
    assert.equal(learnedLimitMs(undefined, settings, 60_000), 60_000);
    assert.equal(learnedLimitMs({ valueMs: 1000, samples: MIN_SAMPLES - 1 }, settings, 60_000), 60_000);
    assert.equal(learnedLimitMs({ valueMs: 1000, samples: MIN_SAMPLES }, settings, 60_000), 5000);
    assert.equal(learnedLimitMs({ valueMs: 100, samples: 500 }, settings, 60_000), 2000);
    assert.equal(learnedLimitMs({ valueMs: 100_000, samples: 500 }, settings, 60_000), 60_000);
    assert.equal(learnedLimitMs({ valueMs: 100_000, samples: 500 }, { ...settings, ceilingMs: 30_000 }, 60_000), 30_000);
  });
});
