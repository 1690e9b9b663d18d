// Trace and span ids: W3C's format (lower-case hex, 16 and 8 bytes), never the
// all-zero invalid id, distinct across refills of the random pool.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RandomIds } from '../../src/observability/tracing/randomIds.js';

describe('random trace and span ids', () => {
  it('are lower-case hex of the W3C lengths, and distinct across many pool refills', () => {
    const ids = new RandomIds();
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const trace = ids.traceId();
      const span = ids.spanId();
      assert.match(trace, /^[0-9a-f]{32}$/);
      assert.match(span, /^[0-9a-f]{16}$/);
      seen.add(trace).add(span);
    }
    assert.equal(seen.size, 10_000);
  });

  it('skips an all-zero id, which W3C Trace Context makes invalid', () => {
    // A source that gives zeros first: the first pool is all zeros, the next counts up.
    let calls = 0;
    const ids = new RandomIds((n) => (calls++ === 0 ? Buffer.alloc(n) : Buffer.from(Array.from({ length: n }, (_, i) => (i % 255) + 1))));
    assert.equal(ids.spanId(), '0102030405060708');
    assert.equal(calls, 2);
    assert.equal(ids.traceId(), '090a0b0c0d0e0f101112131415161718');
  });
});
