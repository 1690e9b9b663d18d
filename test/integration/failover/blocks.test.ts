// Waiting and steering: backoff (retry_it6), Retry-After per request and
// process-wide (retry_it8, retry_it9), every candidate blocked, the retry time
// budget and the retry gate. Timing is checked with lower bounds only.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ANTHROPIC_RATE_LIMIT,
  OPENAI_RATE_LIMIT,
  chat,
  claudeOk,
  eventually,
  exhaustedOf,
  insertAfter,
  ok,
  retryConfig,
  scriptedMock,
  status,
  withGateway,
  withTopLevel,
} from './support.js';

const rateLimited = (retryAfter: string) => status(429, OPENAI_RATE_LIMIT, { 'retry-after': retryAfter });

// Each test has its own gateway and mocks, so they run side by side.
describe('waiting and steering', { concurrency: true }, () => {
  describe('retry_it6_backoff_delay', () => {
    it('waits base_ms, then twice that, before same-model retries (jitter off)', async () => {
      const primary = await scriptedMock([status(429), status(429)], ok());
      await withGateway(retryConfig('retry_it6_backoff_delay.yaml', { PRIMARY: primary }), [primary], async (gw) => {
        const r = await chat(gw);
        assert.equal(r.status, 200, r.text);
        assert.equal(r.headers['x-switchyard-attempts'], '3');
        const [a, b, c] = primary.arrivals as [number, number, number];
        // 500 ms then 1000 ms; timers may fire a hair early, so the bounds leave a little room.
        assert.ok(b - a >= 490, `first backoff was ${b - a} ms`);
        assert.ok(c - b >= 990, `second backoff was ${c - b} ms`);
      });
    });

    it('gives up with retry_budget_exhausted once max_retry_duration_ms would be passed', async () => {
      const primary = await scriptedMock([], status(429));
      // Retries start 500 ms and 1500 ms after the first failure: a 1200 ms budget allows only the first.
      const yaml = insertAfter(retryConfig('retry_it6_backoff_delay.yaml', { PRIMARY: primary }), /^ {4}retry_policy:$/m, '      max_retry_duration_ms: 1200\n');
      await withGateway(yaml, [primary], async (gw) => {
        const r = await chat(gw);
        assert.equal(r.status, 429);
        const e = exhaustedOf(r);
        assert.equal(e.retry_budget_exhausted, true);
        assert.equal(e.total_attempts, 2);
        assert.equal(primary.requests.length, 2);
      });
    });
  });

  describe('retry_it8_retry_after_honored', () => {
    it('a same-model retry waits out Retry-After', async () => {
      const primary = await scriptedMock([rateLimited('1')], ok());
      await withGateway(retryConfig('retry_it8_retry_after_honored.yaml', { PRIMARY: primary }), [primary], async (gw) => {
        const r = await chat(gw);
        assert.equal(r.status, 200, r.text);
        assert.equal(r.headers['x-switchyard-attempts'], '2');
        const [a, b] = primary.arrivals as [number, number];
        assert.ok(b - a >= 990, `retried after ${b - a} ms`);
      });
    });

    it('retry-after-ms is honoured too', async () => {
      const primary = await scriptedMock([status(429, OPENAI_RATE_LIMIT, { 'retry-after-ms': '400' })], ok());
      await withGateway(retryConfig('retry_it8_retry_after_honored.yaml', { PRIMARY: primary }), [primary], async (gw) => {
        const r = await chat(gw);
        assert.equal(r.status, 200, r.text);
        const [a, b] = primary.arrivals as [number, number];
        assert.ok(b - a >= 390, `retried after ${b - a} ms`);
      });
    });

    it('apply_to: request blocks only the request that saw it', async () => {
      const primary = await scriptedMock([rateLimited('1')], ok());
      await withGateway(retryConfig('retry_it8_retry_after_honored.yaml', { PRIMARY: primary }), [primary], async (gw) => {
        const waiting = chat(gw);
        await eventually(() => primary.requests.length === 1, 'the first attempt');
        const other = await chat(gw);
        assert.equal(other.status, 200, 'another request still reaches the primary');
        assert.equal(other.headers['x-switchyard-attempts'], '1');
        assert.equal(primary.requests.length, 2);
        assert.equal((await waiting).status, 200);
        assert.equal(primary.requests.length, 3);
      });
    });

    it('apply_to: global blocks every request: one that cannot move answers 429 at once', async () => {
      const primary = await scriptedMock([rateLimited('1')], ok());
      const yaml = retryConfig('retry_it8_retry_after_honored.yaml', { PRIMARY: primary }).replace('apply_to: "request"', 'apply_to: "global"');
      await withGateway(yaml, [primary], async (gw) => {
        const waiting = chat(gw);
        await eventually(() => primary.requests.length === 1, 'the first attempt');
        const other = await chat(gw);
        assert.equal(other.status, 429);
        assert.equal(other.headers['retry-after'], '1');
        const e = exhaustedOf(other);
        assert.equal(e.total_attempts, 0);
        assert.equal(e.shortest_remaining_block_seconds, 1);
        assert.equal(primary.requests.length, 1, 'the blocked primary got no call');
        assert.equal((await waiting).status, 200);
      });
    });
  });

  describe('retry_it9_retry_after_blocks_selection', () => {
    it('a global Retry-After block steers later requests away from the primary, then all-blocked answers at once', async () => {
      const primary = await scriptedMock([rateLimited('60')], ok());
      const secondary = await scriptedMock([claudeOk(), claudeOk('steered'), status(429, ANTHROPIC_RATE_LIMIT, { 'retry-after': '20' })], claudeOk());
      await withGateway(retryConfig('retry_it9_retry_after_blocks_selection.yaml', { PRIMARY: primary, SECONDARY: secondary }), [primary, secondary], async (gw) => {
        const first = await chat(gw);
        assert.equal(first.status, 200, first.text);
        assert.equal(first.headers['x-switchyard-attempts'], '2');

        // The primary is blocked for 60 s: the next request goes straight to the fallback.
        const second = await chat(gw);
        assert.equal(second.status, 200, second.text);
        assert.equal(second.headers['x-switchyard-attempts'], '1');
        assert.equal(second.headers['x-switchyard-model'], 'anthropic/claude-3-5-sonnet');
        assert.equal(primary.requests.length, 1, 'the blocked primary got no call');

        // The fallback now answers 429 with its own Retry-After: nothing is left.
        const third = await chat(gw);
        assert.equal(third.status, 429);
        assert.equal(third.headers['retry-after'], '20');
        assert.deepEqual(
          exhaustedOf(third).attempts.map((a) => [a.model, a.error_type]),
          [['anthropic/claude-3-5-sonnet', 'http_429']],
        );

        // Every candidate is blocked: 429 at once, no upstream call, the soonest block end reported.
        const fourth = await chat(gw, {}, { 'x-request-id': 'all-blocked' });
        assert.equal(fourth.status, 429);
        assert.equal(fourth.headers['x-request-id'], 'all-blocked');
        assert.equal(fourth.headers['retry-after'], '20');
        const e = exhaustedOf(fourth);
        assert.equal(e.type, 'retry_exhausted');
        assert.equal(e.total_attempts, 0);
        assert.deepEqual(e.attempts, []);
        assert.equal(e.shortest_remaining_block_seconds, 20);
        assert.equal(e.last_error, null);
        assert.equal(primary.requests.length, 1);
        assert.equal(secondary.requests.length, 3);
      });
    });
  });

  describe('retry gate', () => {
    it('when max_concurrent_retries is reached, a failed request gets its error instead of a retry', async () => {
      const primary = await scriptedMock([], status(429));
      // The first retry is held open long enough for a second request to fail meanwhile.
      const secondary = await scriptedMock([{ kind: 'json', status: 200, body: (claudeOk() as { body: object }).body, delayMs: 800 }], claudeOk());
      const yaml = withTopLevel(retryConfig('retry_it1_basic_429.yaml', { PRIMARY: primary, SECONDARY: secondary }), 'switchyard:\n  max_concurrent_retries: 1');
      await withGateway(yaml, [primary, secondary], async (gw) => {
        const holding = chat(gw);
        await eventually(() => secondary.requests.length === 1, 'the first retry');
        const refused = await chat(gw);
        assert.equal(refused.status, 429);
        const e = exhaustedOf(refused);
        assert.equal(e.total_attempts, 1);
        assert.deepEqual(e.last_error, { status: 429, body: OPENAI_RATE_LIMIT });
        assert.equal(secondary.requests.length, 1, 'no retry was made');
        assert.equal((await holding).status, 200);
        // The slot is released when the retry ends.
        const later = await chat(gw);
        assert.equal(later.status, 200, later.text);
        assert.equal(secondary.requests.length, 2);
      });
    });
  });
});
