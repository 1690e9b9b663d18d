// What a retry sends (retry_it13): the client's bytes with only `model`
// changed (or a faithful translation for another wire format), the path and
// query (to targets of the client's format), the client's headers minus credentials and hop-by-hop ones, and each
// target's own credentials and headers.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ANTHROPIC_OVERLOADED, attemptLogs, post, retryConfig, scriptedMock, status, ok, withGateway } from './support.js';

// Odd spacing, key order, unicode escapes and numbers a JSON round trip would rewrite (0.30, 1.0).
const RAW =
  '{\n  "messages": [{"role": "user", "content": "caf\\u00e9 \\"quoted\\" ☕"}],\n' +
  '  "temperature":0.30, "model" :  "openai/gpt-4o", "max_tokens": 50, "top_p": 1.0\n}';

describe('retry_it13_body_preserved', () => {
  it('each attempt gets the same request, re-addressed and re-credentialed for its target', async () => {
    const primary = await scriptedMock([], status(429));
    const secondary = await scriptedMock([], status(503, ANTHROPIC_OVERLOADED));
    const tertiary = await scriptedMock([], ok('third', 'mistral-large'));
    // A third, OpenAI-format target after the example's two, with its own headers.
    const yaml = `${retryConfig('retry_it13_body_preserved.yaml', { PRIMARY: primary, SECONDARY: secondary }).trimEnd()}

  - model: mistral/mistral-large
    base_url: ${tertiary.url}
    access_key: test-key-tertiary
    headers:
      X-Team: search
`;
    await withGateway(yaml, [primary, secondary, tertiary], async (gw) => {
      const r = await post(
        gw.url,
        RAW,
        {
          authorization: 'Bearer client-secret',
          'x-api-key': 'client-x-key',
          'x-custom': 'kept',
          'user-agent': 'it13-client/1.0',
          connection: 'keep-alive, x-hop',
          'x-hop': 'named by Connection, so hop-by-hop',
          'proxy-authorization': 'Basic cHJveHk=',
        },
        '/v1/chat/completions?trace=1&tag=a%20b',
      );
      assert.equal(r.status, 200, r.text);
      assert.equal(r.headers['x-switchyard-attempts'], '3');
      assert.equal(r.headers['x-switchyard-model'], 'mistral/mistral-large');

      const [p, s, t] = [primary.requests[0]!, secondary.requests[0]!, tertiary.requests[0]!];
      // Same wire format: the raw bytes, only the model value changed.
      assert.equal(p.body, RAW.replace('"openai/gpt-4o"', '"gpt-4o"'));
      assert.equal(t.body, RAW.replace('"openai/gpt-4o"', '"mistral-large"'));
      // Another wire format: a translation that keeps what the client asked for.
      const translated = JSON.parse(s.body) as Record<string, unknown>;
      assert.equal(translated['model'], 'claude-3-5-sonnet');
      assert.equal(translated['temperature'], 0.3);
      assert.equal(translated['top_p'], 1);
      assert.equal(translated['max_tokens'], 50);
      assert.deepEqual(translated['messages'], [{ role: 'user', content: 'café "quoted" ☕' }]);

      assert.equal(p.path, '/v1/chat/completions?trace=1&tag=a%20b');
      // The query is the client's format's: a target of the other format gets none (docs/failover.md).
      assert.equal(s.path, '/v1/messages');
      assert.equal(t.path, '/v1/chat/completions?trace=1&tag=a%20b');

      for (const seen of [p, s, t]) {
        assert.equal(seen.headers['x-custom'], 'kept');
        assert.equal(seen.headers['user-agent'], 'it13-client/1.0');
        assert.equal(seen.headers['x-hop'], undefined);
        assert.equal(seen.headers['proxy-authorization'], undefined);
      }
      assert.equal(p.headers['authorization'], 'Bearer test-key-primary');
      assert.equal(p.headers['x-api-key'], undefined);
      assert.equal(s.headers['x-api-key'], 'test-key-secondary');
      assert.equal(s.headers['authorization'], undefined);
      assert.equal(s.headers['anthropic-version'], '2023-06-01');
      assert.equal(t.headers['authorization'], 'Bearer test-key-tertiary');
      assert.equal(t.headers['x-api-key'], undefined);
      assert.equal(t.headers['x-team'], 'search');
      assert.equal(p.headers['x-team'], undefined);
    });
  });

  it('skips a fallback that cannot express the request and moves on to the next', async () => {
    const primary = await scriptedMock([], status(429));
    const secondary = await scriptedMock([], status(200, { never: 'called' }));
    const tertiary = await scriptedMock([], ok('third', 'mistral-large'));
    const yaml = `${retryConfig('retry_it13_body_preserved.yaml', { PRIMARY: primary, SECONDARY: secondary }).trimEnd()}

  - model: mistral/mistral-large
    base_url: ${tertiary.url}
`;
    await withGateway(yaml, [primary, secondary, tertiary], async (gw) => {
      // A field Anthropic's format has no place for.
      const raw = '{"model":"openai/gpt-4o","messages":[{"role":"user","content":"hi"}],"x_vendor_extra":{"a":1}}';
      const r = await post(gw.url, raw, { 'x-request-id': 'skip' });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.headers['x-switchyard-model'], 'mistral/mistral-large');
      assert.equal(secondary.requests.length, 0);
      assert.equal(tertiary.requests[0]?.body, raw.replace('"openai/gpt-4o"', '"mistral-large"'));
      assert.deepEqual(
        attemptLogs(gw, 'skip').map((l) => l['outcome']),
        ['http_429', 'untranslatable_x_vendor_extra', 'success'],
      );
    });
  });
});
