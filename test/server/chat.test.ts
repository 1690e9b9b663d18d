import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { openAIChatBody, openAIStreamFrames, startMockUpstream, type MockUpstream } from '../support/mockUpstream.js';
import { oneProviderYaml, startTestGateway, type TestGateway } from '../support/gateway.js';

const chat = (model: string | undefined, extra: object = {}) =>
  JSON.stringify({ ...(model !== undefined ? { model } : {}), messages: [{ role: 'user', content: 'hi' }], ...extra });

describe('chat completions pass-through', () => {
  let upstream: MockUpstream;
  let gw: TestGateway;
  before(async () => {
    upstream = await startMockUpstream();
    gw = await startTestGateway(
      oneProviderYaml(
        upstream.url,
        `  - model: mistral/mistral-small
    name: small
    base_url: ${upstream.url}/custom/v2
    access_key: sk-test-secret-second
    headers:
      X-Team: search
  - model: openai/gpt-4o-mini
    base_url: ${upstream.url}
    passthrough_auth: true
model_aliases:
  smart:
    target: openai/gpt-4o
`,
      ),
    );
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  it('sends the provider model id, its credentials and the body bytes otherwise untouched', async () => {
    const body = '{"model":"openai/gpt-4o",  "messages":[{"role":"user","content":"hi"}], "temperature": 0.25}';
    const res = await request(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer client-key', 'x-custom': 'kept', 'x-request-id': 'req-123' },
      body,
    });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['x-request-id'], 'req-123');
    assert.equal(res.headers['x-switchyard-model'], 'openai/gpt-4o');
    assert.equal(res.headers['x-switchyard-attempts'], '1');
    assert.deepEqual(await res.body.json(), openAIChatBody('ok'));
    const seen = upstream.requests.at(-1)!;
    assert.equal(seen.path, '/v1/chat/completions');
    assert.equal(seen.body, body.replace('"openai/gpt-4o"', '"gpt-4o"'));
    assert.equal(seen.headers['authorization'], 'Bearer sk-test-secret-primary');
    assert.equal(seen.headers['x-custom'], 'kept');
  });

  it('a prompt of 1 MB, sent in its pieces rather than joined, reaches the provider byte for byte with only the model changed', async () => {
    const text = 'größe ✓ "quoted" \\ '.repeat(40_000);
    const body = `{"messages":[{"role":"user","content":${JSON.stringify(text)}}],\n "model" : "openai/gpt-4o", "max_tokens": 8}`;
    assert.ok(Buffer.byteLength(body) > 1_000_000);
    const res = await request(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    assert.equal(res.statusCode, 200);
    await res.body.dump();
    const seen = upstream.requests.at(-1)!;
    assert.equal(seen.headers['content-length'], String(Buffer.byteLength(body) - 'openai/'.length));
    assert.equal(seen.body, body.replace('"openai/gpt-4o"', '"gpt-4o"'));
  });

  it('resolves names, aliases, bare ids and the default, and applies base_url paths and headers', async () => {
    for (const [model, path, upstreamModel] of [
      ['small', '/custom/v2/chat/completions', 'mistral-small'],
      ['mistral-small', '/custom/v2/chat/completions', 'mistral-small'],
      ['smart', '/v1/chat/completions', 'gpt-4o'],
      [undefined, '/v1/chat/completions', 'gpt-4o'],
    ] as const) {
      const res = await request(`${gw.url}/v1/chat/completions`, { method: 'POST', body: chat(model) });
      assert.equal(res.statusCode, 200, `model ${model}`);
      await res.body.dump();
      const seen = upstream.requests.at(-1)!;
      assert.equal(seen.path, path);
      assert.equal((JSON.parse(seen.body) as { model: string }).model, upstreamModel);
      if (model === 'small') assert.equal(seen.headers['x-team'], 'search');
    }
  });

  it('forwards the client credential only to a passthrough_auth provider', async () => {
    const res = await request(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer client-virtual-key', 'x-api-key': 'client-x' },
      body: chat('openai/gpt-4o-mini'),
    });
    await res.body.dump();
    const seen = upstream.requests.at(-1)!;
    assert.equal(seen.headers['authorization'], 'Bearer client-virtual-key');
    const res2 = await request(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer client-virtual-key', 'x-api-key': 'client-x' },
      body: chat('small'),
    });
    await res2.body.dump();
    const seen2 = upstream.requests.at(-1)!;
    assert.equal(seen2.headers['authorization'], 'Bearer sk-test-secret-second');
    assert.equal(seen2.headers['x-api-key'], undefined);
  });

  it('rejects an unknown model with a 400 naming it and the configured models, without calling upstream', async () => {
    const before = upstream.requests.length;
    const res = await request(`${gw.url}/v1/chat/completions`, { method: 'POST', body: chat('nope/model') });
    assert.equal(res.statusCode, 400);
    const body = (await res.body.json()) as { error: { message: string } };
    assert.match(body.error.message, /"nope\/model" is not configured/);
    assert.match(body.error.message, /openai\/gpt-4o, small, openai\/gpt-4o-mini, smart/);
    assert.ok(res.headers['x-request-id']);
    assert.equal(upstream.requests.length, before);
  });

  it('answers bad input in the client dialect and never reaches a provider', async () => {
    const before = upstream.requests.length;
    const cases: [string, string, Record<string, string>, number][] = [
      ['/v1/chat/completions', '{bad json', {}, 400],
      ['/v1/chat/completions', '[]', {}, 400],
      ['/v1/chat/completions', '{"model":"openai/gpt-4o"}', {}, 400],
      ['/v1/chat/completions', 'x=1', { 'content-type': 'application/x-www-form-urlencoded' }, 415],
      ['/v1/chat/completions', JSON.stringify({ messages: [], pad: 'x'.repeat(11 * 1024 * 1024) }), {}, 413],
    ];
    for (const [path, body, headers, status] of cases) {
      const res = await request(`${gw.url}${path}`, { method: 'POST', body, headers });
      assert.equal(res.statusCode, status, body.slice(0, 40));
      const json = (await res.body.json()) as { error: { message: string; type: string } };
      assert.equal(typeof json.error.message, 'string');
    }
    const anthropic = await request(`${gw.url}/v1/messages`, { method: 'POST', body: '{oops' });
    assert.equal(anthropic.statusCode, 400);
    const aj = (await anthropic.body.json()) as { type: string; error: { type: string } };
    assert.equal(aj.type, 'error');
    assert.equal(aj.error.type, 'invalid_request_error');
    assert.equal(upstream.requests.length, before);
  });

  it('answers 404 for unknown paths and 405 with Allow for wrong methods', async () => {
    const res = await request(`${gw.url}/v2/whatever`);
    assert.equal(res.statusCode, 404);
    await res.body.dump();
    const res2 = await request(`${gw.url}/v1/chat/completions`);
    assert.equal(res2.statusCode, 405);
    assert.equal(res2.headers['allow'], 'POST');
    await res2.body.dump();
  });

  it('lists models and aliases without leaking credentials or endpoints', async () => {
    const res = await request(`${gw.url}/v1/models`);
    const text = await res.body.text();
    const ids = (JSON.parse(text) as { data: { id: string }[] }).data.map((m) => m.id);
    assert.deepEqual(ids, ['openai/gpt-4o', 'small', 'openai/gpt-4o-mini', 'smart']);
    assert.doesNotMatch(text, /sk-test-secret|127\.0\.0\.1/);
  });

  it('answers /healthz and mints a request id', async () => {
    const res = await request(`${gw.url}/healthz`);
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    await res.body.dump();
  });
});

describe('streaming', () => {
  it('relays chunks incrementally: the first arrives long before the last', async () => {
    const pieces = Array.from({ length: 8 }, (_, i) => `w${i} `);
    const upstream = await startMockUpstream({ kind: 'sse', frames: openAIStreamFrames(pieces), intervalMs: 150 });
    const gw = await startTestGateway(oneProviderYaml(upstream.url));
    try {
      const started = performance.now();
      const res = await request(`${gw.url}/v1/chat/completions`, { method: 'POST', body: chat('openai/gpt-4o', { stream: true }) });
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /text\/event-stream/);
      let firstAt = 0;
      let text = '';
      for await (const chunk of res.body) {
        if (firstAt === 0) firstAt = performance.now() - started;
        text += (chunk as Buffer).toString();
      }
      const lastAt = performance.now() - started;
      // 10 frames 150 ms apart: the whole stream takes >= 1.35 s.
      assert.ok(lastAt - firstAt > 1000, `first chunk at ${firstAt} ms, last at ${lastAt} ms`);
      assert.equal(text, openAIStreamFrames(pieces).join(''));
    } finally {
      await gw.close();
      await upstream.close();
    }
  });

  it('a streamed request with a 1 MB prompt sends its pieces whole too, on a connection that stays alive', async () => {
    const upstream = await startMockUpstream({ kind: 'sse', frames: openAIStreamFrames(['a', 'b']) });
    const gw = await startTestGateway(oneProviderYaml(upstream.url));
    try {
      const body = chat('openai/gpt-4o', { stream: true, pad: 'größe ✓ \\ "q" '.repeat(60_000) });
      for (let i = 0; i < 2; i++) {
        const res = await request(`${gw.url}/v1/chat/completions`, { method: 'POST', body });
        assert.match(await res.body.text(), /\[DONE\]/);
        assert.equal(upstream.requests.at(-1)?.body, body.replace('"openai/gpt-4o"', '"gpt-4o"'));
      }
      assert.equal(upstream.connections, 1);
    } finally {
      await gw.close();
      await upstream.close();
    }
  });

  it('keeps the upstream connection alive across completed streams, for both clients', async () => {
    // The body's end arrives after [DONE], on its own: the gateway must wait for it, not cut the body.
    const upstream = await startMockUpstream({ kind: 'sse', frames: openAIStreamFrames(['a', 'b']), endDelayMs: 30 });
    const gw = await startTestGateway(oneProviderYaml(upstream.url));
    try {
      for (let i = 0; i < 3; i++) {
        const res = await request(`${gw.url}/v1/chat/completions`, { method: 'POST', body: chat('openai/gpt-4o', { stream: true }) });
        assert.match(await res.body.text(), /\[DONE\]/);
        await new Promise((r) => setTimeout(r, 100));
        const anthropic = await request(`${gw.url}/v1/messages`, {
          method: 'POST',
          body: JSON.stringify({ model: 'openai/gpt-4o', max_tokens: 10, stream: true, messages: [{ role: 'user', content: 'hi' }] }),
        });
        assert.match(await anthropic.body.text(), /message_stop/);
        // Give the body's late end time to arrive, so the connection is back in the pool.
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(upstream.requests.length, 6);
      assert.equal(upstream.connections, 1);
    } finally {
      await gw.close();
      await upstream.close();
    }
  });

  it('aborts the upstream call when the client disconnects mid-stream', async () => {
    const upstream = await startMockUpstream({ kind: 'sse', frames: openAIStreamFrames(Array(50).fill('x')), intervalMs: 50 });
    const gw = await startTestGateway(oneProviderYaml(upstream.url));
    try {
      const controller = new AbortController();
      const res = await request(`${gw.url}/v1/chat/completions`, {
        method: 'POST',
        body: chat('openai/gpt-4o', { stream: true }),
        signal: controller.signal,
      });
      for await (const chunk of res.body) {
        assert.ok(chunk);
        controller.abort();
        break;
      }
      const until = Date.now() + 5000;
      while (!upstream.requests[0]?.aborted && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      assert.equal(upstream.requests[0]?.aborted, true);
    } finally {
      await gw.close();
      await upstream.close();
    }
  });

  it('never finishes a stream cut upstream as if it were complete', async () => {
    const frames = openAIStreamFrames(['a', 'b', 'c']).slice(0, 3);
    const upstream = await startMockUpstream({ kind: 'sse', frames, end: 'cut' });
    const gw = await startTestGateway(oneProviderYaml(upstream.url));
    try {
      const res = await request(`${gw.url}/v1/chat/completions`, { method: 'POST', body: chat('openai/gpt-4o', { stream: true }) });
      const text = await res.body.text();
      assert.doesNotMatch(text, /\[DONE\]|"finish_reason":"stop"/);
      // Without a policy there is nothing to continue on: the stream ends with an in-band error.
      assert.match(text, /data: \{"error":\{"message":"[^"]*","type":"upstream_stream_error"/);
    } finally {
      await gw.close();
      await upstream.close();
    }
  });
});
