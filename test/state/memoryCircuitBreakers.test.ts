import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CircuitBreakerPolicy } from '../../src/config/types.js';
import { PROBE_LEASE_MS } from '../../src/state/circuitBreakers.js';
import { MemoryCircuitBreakers } from '../../src/state/memoryCircuitBreakers.js';
import { modelBlockKey } from '../../src/state/blockStore.js';
import { MemoryBlockStore } from '../../src/state/memoryBlockStore.js';
import { provider } from '../failover/fixtures.js';

const POLICY: CircuitBreakerPolicy = {
  enabled: true,
  failureThreshold: 3,
  failureRatio: undefined,
  minRequests: 4,
  windowMs: 10_000,
  openMs: 1_000,
  maxOpenMs: 3_000,
};
const target = provider(0, 'openai/gpt-4o');
const key = modelBlockKey(target);

function setup(): { blocks: MemoryBlockStore; cb: MemoryCircuitBreakers } {
  const blocks = new MemoryBlockStore();
  return { blocks, cb: new MemoryCircuitBreakers(blocks) };
}

describe('MemoryCircuitBreakers', () => {
  it('opens after failure_threshold consecutive failures, as a circuit-open block', () => {
    const { blocks, cb } = setup();
    assert.equal(cb.record(target, POLICY, 'failure', 0), undefined);
    assert.equal(cb.record(target, POLICY, 'ok', 1), undefined); // resets the count
    cb.record(target, POLICY, 'failure', 2);
    cb.record(target, POLICY, 'failure', 3);
    assert.equal(cb.record(target, POLICY, 'failure', 4), 'opened');
    assert.deepEqual(blocks.lookup(key, 5), { untilMs: 1_004, reason: { cause: 'circuit-open' } });
    assert.equal(cb.admit(target, POLICY, 500), false);
  });

  it('lets exactly one probe through after the open period; success closes and lifts the block', () => {
    const { blocks, cb } = setup();
    for (let t = 0; t < 3; t++) cb.record(target, POLICY, 'failure', t);
    assert.equal(cb.admit(target, POLICY, 1_002), true);
    assert.equal(cb.phase(target), 'half-open');
    assert.equal(cb.admit(target, POLICY, 1_003), false, 'a second probe is refused');
    assert.ok(blocks.lookup(key, 1_003) !== undefined, 'others skip the entry while it is probed');
    assert.equal(cb.record(target, POLICY, 'ok', 1_050), 'closed');
    assert.equal(blocks.lookup(key, 1_051), undefined);
    assert.equal(cb.admit(target, POLICY, 1_052), true);
  });

  it('a failed probe reopens with the period doubled, up to max_open', () => {
    const { blocks, cb } = setup();
    for (let t = 0; t < 3; t++) cb.record(target, POLICY, 'failure', t);
    let now = 1_002;
    for (const expected of [2_000, 3_000, 3_000]) {
      assert.equal(cb.admit(target, POLICY, now), true);
      assert.equal(cb.record(target, POLICY, 'failure', now), 'opened');
      assert.equal(blocks.blockedUntil(key, now), now + expected);
      now += expected;
    }
  });

  it('a probe that tells nothing (client gone) lets the next request probe', () => {
    const { cb } = setup();
    for (let t = 0; t < 3; t++) cb.record(target, POLICY, 'failure', t);
    assert.equal(cb.admit(target, POLICY, 1_002), true);
    cb.record(target, POLICY, 'neutral', 1_010);
    assert.equal(cb.admit(target, POLICY, 1_011), true);
  });

  it('a probe that never reports is replaced after the lease', () => {
    const { cb } = setup();
    for (let t = 0; t < 3; t++) cb.record(target, POLICY, 'failure', t);
    assert.equal(cb.admit(target, POLICY, 1_002), true);
    assert.equal(cb.admit(target, POLICY, 1_002 + PROBE_LEASE_MS), true);
  });

  it('opens on a failure ratio above the threshold over min_requests in the window', () => {
    const { cb } = setup();
    const ratio = { ...POLICY, failureThreshold: 100, failureRatio: 0.5 };
    cb.record(target, ratio, 'failure', 0);
    cb.record(target, ratio, 'ok', 1);
    cb.record(target, ratio, 'failure', 2);
    assert.equal(cb.record(target, ratio, 'ok', 3), undefined, '2 of 4 is not above 0.5');
    assert.equal(cb.record(target, ratio, 'failure', 4), 'opened');
    // Old events leave the window.
    const { cb: fresh } = setup();
    for (let t = 0; t < 3; t++) fresh.record(target, ratio, 'failure', t);
    assert.equal(fresh.record(target, ratio, 'ok', 20_000), undefined);
  });

  it('does nothing when disabled', () => {
    const { blocks, cb } = setup();
    const off = { ...POLICY, enabled: false };
    for (let t = 0; t < 10; t++) cb.record(target, off, 'failure', t);
    assert.equal(blocks.size, 0);
    assert.equal(cb.admit(target, off, 20), true);
  });
});
