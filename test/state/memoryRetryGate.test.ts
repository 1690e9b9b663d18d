import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryRetryGate } from '../../src/state/memoryRetryGate.js';

describe('MemoryRetryGate', () => {
  it('admits up to its capacity, then refuses until a slot is released', () => {
    const gate = new MemoryRetryGate(2);
    assert.equal(gate.acquire(), true);
    assert.equal(gate.acquire(), true);
    assert.equal(gate.acquire(), false);
    assert.equal(gate.active, 2);
    gate.release();
    assert.equal(gate.acquire(), true);
  });

  it('does not go negative on an extra release', () => {
    const gate = new MemoryRetryGate(1);
    gate.release();
    assert.equal(gate.active, 0);
    assert.equal(gate.acquire(), true);
    assert.equal(gate.acquire(), false);
  });

  it('with capacity 0 admits no retry', () => {
    assert.equal(new MemoryRetryGate(0).acquire(), false);
  });

  it('a resize keeps the slots in use and applies the new cap to new retries', () => {
    const gate = new MemoryRetryGate(2);
    gate.acquire();
    gate.acquire();
    gate.resize(1);
    assert.equal(gate.active, 2);
    assert.equal(gate.acquire(), false);
    gate.release();
    gate.release();
    assert.equal(gate.acquire(), true);
    assert.equal(gate.acquire(), false);
    gate.resize(3);
    assert.equal(gate.acquire(), true);
    assert.equal(gate.capacity, 3);
  });
});
