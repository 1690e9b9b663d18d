import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RetryGate } from '../../src/state/retryGate.js';

describe('RetryGate', () => {
  it('admits up to its capacity, then refuses until a slot is released', () => {
    const gate = new RetryGate(2);
    assert.equal(gate.tryAcquire(), true);
    assert.equal(gate.tryAcquire(), true);
    assert.equal(gate.tryAcquire(), false);
    assert.equal(gate.active, 2);
    gate.release();
    assert.equal(gate.tryAcquire(), true);
  });

  it('does not go negative on an extra release', () => {
    const gate = new RetryGate(1);
    gate.release();
    assert.equal(gate.active, 0);
    assert.equal(gate.tryAcquire(), true);
    assert.equal(gate.tryAcquire(), false);
  });

  it('with capacity 0 admits no retry', () => {
    assert.equal(new RetryGate(0).tryAcquire(), false);
  });

  it('a resize keeps the slots in use and applies the new cap to new retries', () => {
    const gate = new RetryGate(2);
    gate.tryAcquire();
    gate.tryAcquire();
    gate.resize(1);
    assert.equal(gate.active, 2);
    assert.equal(gate.tryAcquire(), false);
    gate.release();
    gate.release();
    assert.equal(gate.tryAcquire(), true);
    assert.equal(gate.tryAcquire(), false);
    gate.resize(3);
    assert.equal(gate.tryAcquire(), true);
    assert.equal(gate.capacity, 3);
  });
});
