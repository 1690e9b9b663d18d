// Issue 15's first scenario, as a user would write it: a 90 s listener, a
// primary whose retry_policy has on_timeout (different_provider) and a
// fallback, and no per-attempt timeout anywhere, so the first-byte limit is its
// 120 s default. The primary accepts the request and says nothing. Before the
// deadline split the client waited 90 s for a 504 and the fallback was never
// tried; now the primary's attempt leaves the fallback half of the deadline.
// (`validate` warns about this config with the split turned off:
// test/config/deadlineWarnings.test.ts.)
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { attemptLogs, chat, claudeOk, eventually, retryConfig, scriptedMock, withGateway, withListenerTimeout } from './support.js';

describe('the silent primary (listener 90 s, on_timeout and a fallback, no per-attempt timeouts)', () => {
  it('gets a 200 from the fallback well inside the deadline, and the primary sees its request aborted', { timeout: 120_000 }, async () => {
    const primary = await scriptedMock([], { kind: 'hang' });
    const fallback = await scriptedMock([], claudeOk('the fallback answered'));
    const yaml = withListenerTimeout(retryConfig('retry_it10_timeout_triggers_retry.yaml', { PRIMARY: primary, SECONDARY: fallback }), '90s');
    assert.doesNotMatch(yaml, /timeout_ms/, 'no per-attempt timeout is configured');
    await withGateway(yaml, [primary, fallback], async (gw) => {
      const r = await chat(gw, {}, { 'x-request-id': 'silent' });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.headers['x-switchyard-model'], 'anthropic/claude-3-5-sonnet');
      assert.match(r.text, /the fallback answered/);
      // The split gives the primary about 45 s; the 90 s deadline (and the 120 s default) never come into it.
      assert.ok(r.ms > 40_000 && r.ms < 60_000, `answered after ${Math.round(r.ms)} ms`);
      const logs = attemptLogs(gw, 'silent');
      assert.equal(logs.length, 2);
      const [cut, answered] = logs;
      assert.ok(cut !== undefined && answered !== undefined);
      assert.match(String(cut['outcome']), /^timeout_4\d{4}ms$/);
      assert.equal(cut['rule'], 'on_timeout');
      assert.equal(cut['limit'], 'deadline-split');
      assert.equal(answered['outcome'], 'success');
      await eventually(() => primary.requests[0]?.aborted === true, "the primary's socket to be closed");
    });
  });
});
