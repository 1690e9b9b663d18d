// 200 requests at once, every one failing over: all succeed, none is lost or
// doubled, and the retry gate ends empty.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { anthropicAnswer, attemptLogs, chat, retryConfig, scriptedMock, status, withGateway } from './support.js';

const N = 200;

describe('concurrent failover', () => {
  it(`${N} concurrent requests that each fail over all succeed`, async () => {
    const primary = await scriptedMock([], status(429));
    // A little latency on the fallback so the retries really overlap.
    const secondary = await scriptedMock([], { kind: 'json', status: 200, body: anthropicAnswer('ok', 'claude-3-5-sonnet'), delayMs: 50 });
    await withGateway(retryConfig('retry_it1_basic_429.yaml', { PRIMARY: primary, SECONDARY: secondary }), [primary, secondary], async (gw) => {
      const gate = gw.gw.http.runtime().shared.gate;
      let peak = 0;
      const sampler = setInterval(() => (peak = Math.max(peak, gate.active)), 5);
      const replies = await Promise.all(Array.from({ length: N }, (_, i) => chat(gw, {}, { 'x-request-id': `c-${i}` })));
      clearInterval(sampler);
      const statuses = new Map<number, number>();
      for (const r of replies) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      assert.deepEqual([...statuses], [[200, N]]);
      for (const [i, r] of replies.entries()) {
        assert.equal(r.headers['x-request-id'], `c-${i}`);
        assert.equal(r.headers['x-switchyard-attempts'], '2');
        assert.equal(attemptLogs(gw, `c-${i}`).length, 2);
      }
      assert.equal(primary.requests.length, N);
      assert.equal(secondary.requests.length, N);
      assert.ok(peak > 1, `retries overlapped (peak ${peak} in flight)`);
      assert.equal(gate.active, 0, 'every gate slot was given back');
    });
  });
});
