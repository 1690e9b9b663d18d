// Plano's retry_configs examples 1–5 and 7, each against real loopback mocks:
// the behaviour each file's name promises, seen from the client.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ANTHROPIC_OVERLOADED,
  ANTHROPIC_RATE_LIMIT,
  OPENAI_RATE_LIMIT,
  attemptLogs,
  chat,
  claudeOk,
  exhaustedOf,
  ok,
  retryConfig,
  scriptedMock,
  status,
  withGateway,
} from './support.js';

// Each test has its own gateway and mocks, so they run side by side.
describe('retry_configs examples', { concurrency: true }, () => {
  describe('retry_it1_basic_429', () => {
    it('fails over a 429 to the other provider, which answers in the client dialect', async () => {
      const primary = await scriptedMock([], status(429));
      const secondary = await scriptedMock([], claudeOk('hi from claude'));
      await withGateway(retryConfig('retry_it1_basic_429.yaml', { PRIMARY: primary, SECONDARY: secondary }), [primary, secondary], async (gw) => {
        const r = await chat(gw, {}, { 'x-request-id': 'it1-req' });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.headers['x-switchyard-attempts'], '2');
        assert.equal(r.headers['x-switchyard-model'], 'anthropic/claude-3-5-sonnet');
        assert.equal(r.headers['x-request-id'], 'it1-req');
        const body = r.json() as { model: string; choices: { message: { content: string } }[] };
        assert.equal(body.model, 'claude-3-5-sonnet', 'the response names the model that answered');
        assert.equal(body.choices[0]?.message.content, 'hi from claude');
        assert.equal(primary.requests.length, 1);
        assert.equal(secondary.requests.length, 1);
        assert.equal(primary.requests[0]?.headers['authorization'], 'Bearer test-key-primary');
        assert.equal(secondary.requests[0]?.path, '/v1/messages');
        assert.equal(secondary.requests[0].headers['x-api-key'], 'test-key-secondary');
        assert.equal(secondary.requests[0].headers['authorization'], undefined);

        const logs = attemptLogs(gw, 'it1-req');
        assert.deepEqual(
          logs.map((l) => [l['level'], l['attempt'], l['model'], l['outcome']]),
          [
            [30, 1, 'openai/gpt-4o', 'http_429'],
            [30, 2, 'anthropic/claude-3-5-sonnet', 'success'],
          ],
          'each attempt is logged once, at info level',
        );
        for (const l of logs) assert.equal(typeof l['latencyMs'], 'number');
      });
    });
  });

  describe('retry_it2_503_different_provider', () => {
    it('fails a 503 over to a provider with another prefix, skipping one with the same prefix', async () => {
      const primary = await scriptedMock([], status(503, { error: { message: 'unavailable' } }));
      const sibling = await scriptedMock([], ok('sibling', 'gpt-4o-mini'));
      const secondary = await scriptedMock([], claudeOk());
      // A same-prefix entry placed before the other provider: different_provider must pass over it.
      const yaml = retryConfig('retry_it2_503_different_provider.yaml', { PRIMARY: primary, SECONDARY: secondary }).replace(
        '  - model: anthropic/claude-3-5-sonnet',
        `  - model: openai/gpt-4o-mini\n    base_url: ${sibling.url}\n    access_key: sibling-key\n\n  - model: anthropic/claude-3-5-sonnet`,
      );
      await withGateway(yaml, [primary, sibling, secondary], async (gw) => {
        const r = await chat(gw);
        assert.equal(r.status, 200, r.text);
        assert.equal(r.headers['x-switchyard-model'], 'anthropic/claude-3-5-sonnet');
        assert.equal(sibling.requests.length, 0);
        assert.equal(secondary.requests.length, 1);
      });
    });

    it('fails over an unlisted retriable status (500) through the default rule', async () => {
      const primary = await scriptedMock([], status(500, { error: { message: 'boom' } }));
      const secondary = await scriptedMock([], claudeOk());
      await withGateway(retryConfig('retry_it2_503_different_provider.yaml', { PRIMARY: primary, SECONDARY: secondary }), [primary, secondary], async (gw) => {
        const r = await chat(gw);
        assert.equal(r.status, 200, r.text);
        assert.equal(r.headers['x-switchyard-attempts'], '2');
      });
    });

    it('passes an unlisted 4xx (400) back unchanged without retrying', async () => {
      const bad = { error: { message: 'bad request from upstream', type: 'invalid_request_error' } };
      const primary = await scriptedMock([], status(400, bad));
      const secondary = await scriptedMock([], claudeOk());
      await withGateway(retryConfig('retry_it2_503_different_provider.yaml', { PRIMARY: primary, SECONDARY: secondary }), [primary, secondary], async (gw) => {
        const r = await chat(gw);
        assert.equal(r.status, 400);
        assert.equal(r.text, JSON.stringify(bad));
        assert.equal(secondary.requests.length, 0);
      });
    });
  });

  describe('retry_it3_all_exhausted', () => {
    it('answers the last upstream status with the retry_exhausted report, x-request-id and no Retry-After when no block is known', async () => {
      const primary = await scriptedMock([], status(429));
      const secondary = await scriptedMock([], status(429, ANTHROPIC_RATE_LIMIT));
      await withGateway(retryConfig('retry_it3_all_exhausted.yaml', { PRIMARY: primary, SECONDARY: secondary }), [primary, secondary], async (gw) => {
        const r = await chat(gw, {}, { 'x-request-id': 'it3-req' });
        assert.equal(r.status, 429);
        assert.equal(r.headers['x-request-id'], 'it3-req');
        assert.match(String(r.headers['content-type']), /application\/json/);
        assert.equal(r.headers['retry-after'], undefined);
        assert.deepEqual(r.json(), {
          error: {
            message: 'All retry attempts exhausted',
            type: 'retry_exhausted',
            attempts: [
              { model: 'openai/gpt-4o', error_type: 'http_429', attempt: 1, rule: 'on_status_codes[0]' },
              { model: 'anthropic/claude-3-5-sonnet', error_type: 'http_429', attempt: 2, rule: 'on_status_codes[0]' },
            ],
            total_attempts: 2,
            retry_budget_exhausted: false,
            shortest_remaining_block_seconds: null,
            last_error: { status: 429, body: ANTHROPIC_RATE_LIMIT },
          },
        });
        assert.equal(primary.requests.length, 1);
        assert.equal(secondary.requests.length, 1);
      });
    });

    it('reports the soonest known block end and sends it as Retry-After', async () => {
      const primary = await scriptedMock([], status(429, OPENAI_RATE_LIMIT, { 'retry-after': '30' }));
      const secondary = await scriptedMock([], status(503, ANTHROPIC_OVERLOADED, { 'retry-after': '7' }));
      await withGateway(retryConfig('retry_it3_all_exhausted.yaml', { PRIMARY: primary, SECONDARY: secondary }), [primary, secondary], async (gw) => {
        const r = await chat(gw);
        assert.equal(r.status, 503, 'the last attempt decides the status');
        assert.equal(r.headers['retry-after'], '7');
        const e = exhaustedOf(r);
        assert.equal(e.shortest_remaining_block_seconds, 7);
        assert.deepEqual(e.last_error, { status: 503, body: ANTHROPIC_OVERLOADED });
      });
    });
  });

  describe('retry_it4_no_retry_policy', () => {
    for (const code of [429, 503]) {
      it(`passes a ${code} through unchanged after one upstream call`, async () => {
        const raw = `{"error": {"message": "upstream said ${code}", "type": "requests",  "code": "${code}"}}`;
        const primary = await scriptedMock([], { kind: 'raw', status: code, body: raw, headers: { 'retry-after': '5' } });
        const secondary = await scriptedMock([], claudeOk());
        await withGateway(retryConfig('retry_it4_no_retry_policy.yaml', { PRIMARY: primary, SECONDARY: secondary }), [primary, secondary], async (gw) => {
          const first = await chat(gw);
          assert.equal(first.status, code);
          assert.equal(first.text, raw, 'the upstream body byte for byte');
          assert.equal(first.headers['x-switchyard-attempts'], '1');
          // Without a policy a Retry-After blocks nothing: the next request goes to the primary again.
          const second = await chat(gw);
          assert.equal(second.status, code);
          assert.equal(primary.requests.length, 2);
          assert.equal(secondary.requests.length, 0);
        });
      });
    }
  });

  describe('retry_it5_max_attempts', () => {
    const files = (primary: unknown, secondary: unknown, tertiary: unknown) =>
      ({ PRIMARY: primary, SECONDARY: secondary, TERTIARY: tertiary }) as Parameters<typeof retryConfig>[1];

    it('max_attempts: 1 allows one retry beyond the original attempt, then gives up', async () => {
      const [p, s, t] = await Promise.all([scriptedMock([], status(429)), scriptedMock([], status(429, ANTHROPIC_RATE_LIMIT)), scriptedMock([], ok())]);
      await withGateway(retryConfig('retry_it5_max_attempts.yaml', files(p, s, t)), [p, s, t], async (gw) => {
        const r = await chat(gw);
        assert.equal(r.status, 429);
        const e = exhaustedOf(r);
        assert.equal(e.total_attempts, 2);
        assert.deepEqual(e.attempts.map((a) => a.model), ['openai/gpt-4o', 'anthropic/claude-3-5-sonnet']);
        assert.equal(t.requests.length, 0, 'the third provider is never tried');
      });
    });

    it('counts each rule separately: a 429 retry and a 503 retry in one request', async () => {
      const [p, s, t] = await Promise.all([
        scriptedMock([], status(429)),
        scriptedMock([], status(503, ANTHROPIC_OVERLOADED)),
        scriptedMock([], ok('third', 'mistral-large')),
      ]);
      await withGateway(retryConfig('retry_it5_max_attempts.yaml', files(p, s, t)), [p, s, t], async (gw) => {
        const r = await chat(gw);
        assert.equal(r.status, 200, r.text);
        assert.equal(r.headers['x-switchyard-attempts'], '3');
        assert.equal(r.headers['x-switchyard-model'], 'mistral/mistral-large');
        assert.equal((r.json() as { model: string }).model, 'mistral-large');
      });
    });

    it('max_attempts: 0 means no retry', async () => {
      const [p, s, t] = await Promise.all([scriptedMock([], status(429)), scriptedMock([], claudeOk()), scriptedMock([], ok())]);
      const yaml = retryConfig('retry_it5_max_attempts.yaml', files(p, s, t)).replace(
        /(codes: \[429\]\n\s+strategy: "different_provider"\n\s+max_attempts:) 1/,
        '$1 0',
      );
      assert.match(yaml, /max_attempts: 0/);
      await withGateway(yaml, [p, s, t], async (gw) => {
        const r = await chat(gw);
        assert.equal(r.status, 429);
        assert.equal(exhaustedOf(r).total_attempts, 1);
        assert.equal(s.requests.length + t.requests.length, 0);
      });
    });
  });

  describe('retry_it7_fallback_priority', () => {
    const mocks = async () =>
      Promise.all([scriptedMock([], status(429)), scriptedMock([], status(429, ANTHROPIC_RATE_LIMIT)), scriptedMock([], ok('from mistral', 'mistral-large'))]);

    it('tries fallback_models in the order given', async () => {
      const [p, f1, f2] = await mocks();
      await withGateway(retryConfig('retry_it7_fallback_priority.yaml', { PRIMARY: p, FALLBACK1: f1, FALLBACK2: f2 }), [p, f1, f2], async (gw) => {
        const r = await chat(gw);
        assert.equal(r.status, 200, r.text);
        assert.equal(r.headers['x-switchyard-attempts'], '3');
        assert.equal(r.headers['x-switchyard-model'], 'mistral/mistral-large');
        assert.ok(f1.arrivals[0]! < f2.arrivals[0]!, 'the first fallback is tried first');
        assert.equal(f2.requests[0]?.headers['authorization'], 'Bearer test-key-fallback2');
      });
    });

    it('follows fallback_models over config order', async () => {
      const [p, f1, f2] = await mocks();
      const yaml = retryConfig('retry_it7_fallback_priority.yaml', { PRIMARY: p, FALLBACK1: f1, FALLBACK2: f2 }).replace(
        'fallback_models: [anthropic/claude-3-5-sonnet, mistral/mistral-large]',
        'fallback_models: [mistral/mistral-large, anthropic/claude-3-5-sonnet]',
      );
      await withGateway(yaml, [p, f1, f2], async (gw) => {
        const r = await chat(gw);
        assert.equal(r.status, 200, r.text);
        assert.equal(r.headers['x-switchyard-attempts'], '2');
        assert.equal(r.headers['x-switchyard-model'], 'mistral/mistral-large');
        assert.equal(f1.requests.length, 0);
      });
    });
  });
});
