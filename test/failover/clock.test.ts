import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { systemClock } from '../../src/failover/clock.js';

describe('systemClock.sleep', () => {
  it('resolves at once, without a timer, when the signal is already aborted', async () => {
    const abort = new AbortController();
    abort.abort();
    const started = Date.now();
    await systemClock.sleep(60_000, abort.signal);
    assert.ok(Date.now() - started < 1_000);
  });

  it('an abort during the wait resolves it early and cancels the timer', async () => {
    const abort = new AbortController();
    const started = Date.now();
    const wait = systemClock.sleep(60_000, abort.signal);
    setTimeout(() => { abort.abort(); }, 5);
    await wait;
    // A leaked 60 s timer would also keep this test file's process alive past the runner timeout.
    assert.ok(Date.now() - started < 1_000);
  });

  it('resolves after the delay when not aborted', async () => {
    const started = Date.now();
    await systemClock.sleep(20, new AbortController().signal);
    assert.ok(Date.now() - started >= 19);
  });
});
