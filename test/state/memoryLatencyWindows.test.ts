import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryBlockStore } from '../../src/state/memoryBlockStore.js';
import { MemoryLatencyWindows } from '../../src/state/memoryLatencyWindows.js';

const windows = (): MemoryLatencyWindows => new MemoryLatencyWindows(new MemoryBlockStore());

describe('MemoryLatencyWindows', () => {
  it('triggers on the first event when min_triggers is 1', () => {
    assert.equal(windows().record('k', 0, 1, undefined), true);
  });

  it('triggers once min_triggers events fall within the window', () => {
    const w = windows();
    assert.equal(w.record('k', 0, 3, 10_000), false);
    assert.equal(w.record('k', 4_000, 3, 10_000), false);
    assert.equal(w.record('k', 10_000, 3, 10_000), true);
  });

  it('does not trigger when the events are spread wider than the window', () => {
    const w = windows();
    w.record('k', 0, 3, 10_000);
    w.record('k', 6_000, 3, 10_000);
    assert.equal(w.record('k', 10_001, 3, 10_000), false, 'the first event slid out');
    assert.equal(w.record('k', 12_000, 3, 10_000), true, '6000, 10001, 12000 fit');
  });

  it('starts counting afresh after a trigger', () => {
    const w = windows();
    w.record('k', 0, 2, 1_000);
    assert.equal(w.record('k', 1, 2, 1_000), true);
    assert.equal(w.record('k', 2, 2, 1_000), false);
    assert.equal(w.record('k', 3, 2, 1_000), true);
  });

  it('counts keys separately', () => {
    const w = windows();
    w.record('a', 0, 2, 1_000);
    assert.equal(w.record('b', 1, 2, 1_000), false);
    assert.equal(w.record('a', 2, 2, 1_000), true);
  });

  it('a global event that fills the window blocks the shared store', () => {
    const blocks = new MemoryBlockStore();
    const w = new MemoryLatencyWindows(blocks);
    const event = { key: 'model:a', minTriggers: 2, windowMs: 1_000, blockUntilMs: 60_000 };
    assert.equal(w.recordGlobal({ ...event, atMs: 0 }), false);
    assert.equal(blocks.lookup('model:a', 1), undefined);
    assert.equal(w.recordGlobal({ ...event, atMs: 500 }), true);
    assert.deepEqual(blocks.lookup('model:a', 501), { untilMs: 60_000, reason: { cause: 'high-latency' } });
  });
});
