// The gateway calls only the providers in its config. Nothing in a request
// (body fields, headers, the request target, the model name) can point it at
// another host: no SSRF.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { startMockUpstream, type MockUpstream } from '../support/mockUpstream.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { anthropicMessageBody } from '../reliability/support/anthropicReplies.js';
import { CHAT_PATH, chatBody } from '../reliability/support/assertions.js';
import { sendRaw } from '../reliability/support/rawClient.js';

describe('configured targets only', () => {
  let provider: MockUpstream;
  let anthropicProvider: MockUpstream;
  let attacker: MockUpstream;
  let gw: TestGateway;
  before(async () => {
    provider = await startMockUpstream();
    anthropicProvider = await startMockUpstream({ kind: 'json', status: 200, body: anthropicMessageBody('ok') });
    attacker = await startMockUpstream();
    gw = await startTestGateway(`version: v0.4.0
listeners:
  - type: model
    name: ssrf
    port: 0
    timeout: 10s
model_providers:
  - model: openai/gpt-4o
    base_url: ${provider.url}
    access_key: sk-ssrf-0123456789
    default: true
  - model: anthropic/claude-sonnet-4
    base_url: ${anthropicProvider.url}
    access_key: sk-ant-ssrf-0123456789
`);
  });
  after(async () => {
    await gw.close();
    await Promise.all([provider.close(), anthropicProvider.close(), attacker.close()]);
  });

  it('ignores URL-like body fields in both dialects and for both wire formats', async () => {
    const evil = `${attacker.url}/v1`;
    const fields = {
      base_url: evil,
      api_base: evil,
      url: evil,
      baseURL: evil,
      endpoint: evil,
      host: evil,
      proxy: evil,
      callback_url: evil,
      extra_body: { base_url: evil },
    };
    // Same wire format: the body goes byte for byte to the configured provider, fields and all.
    // Other format: the translator refuses fields it cannot map (a 400 naming the field).
    for (const [dialect, model, status] of [
      ['openai', 'openai/gpt-4o', 200],
      ['anthropic', 'anthropic/claude-sonnet-4', 200],
      ['openai', 'anthropic/claude-sonnet-4', 400],
      ['anthropic', 'openai/gpt-4o', 400],
    ] as const) {
      const res = await request(`${gw.url}${CHAT_PATH[dialect]}`, { method: 'POST', body: chatBody(dialect, { model, ...fields }) });
      assert.equal(res.statusCode, status, `${dialect} → ${model}`);
      await res.body.dump();
    }
    assert.equal(attacker.requests.length, 0);
    assert.equal(provider.requests.length, 1);
    assert.equal(anthropicProvider.requests.length, 1);
    assert.equal(provider.requests[0]!.path, '/v1/chat/completions');
    assert.equal(anthropicProvider.requests[0]!.path, '/v1/messages');
  });

  it('never fetches an image URL itself, even when translating', async () => {
    const body = chatBody('openai', {
      model: 'anthropic/claude-sonnet-4',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'look' }, { type: 'image_url', image_url: { url: `${attacker.url}/cat.png` } }] }],
    });
    const res = await request(`${gw.url}/v1/chat/completions`, { method: 'POST', body });
    assert.equal(res.statusCode, 200);
    await res.body.dump();
    assert.equal(attacker.requests.length, 0);
  });

  it('ignores Host and forwarding headers', async () => {
    const { host } = new URL(attacker.url);
    const res = await request(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'x-forwarded-host': host, forwarded: `host=${host}`, 'x-original-url': `${attacker.url}/v1/chat/completions`, 'x-rewrite-url': '/x', 'x-forwarded-proto': 'http' },
      body: chatBody('openai'),
    });
    assert.equal(res.statusCode, 200);
    await res.body.dump();
    const raw = await sendRaw(gw.url, [`POST /v1/chat/completions HTTP/1.1\r\nHost: ${host}\r\nContent-Length: ${chatBody('openai').length}\r\nConnection: close\r\n\r\n${chatBody('openai')}`]);
    assert.equal(raw.status, 200);
    assert.equal(attacker.requests.length, 0);
    assert.equal(provider.requests.at(-1)!.path, '/v1/chat/completions');
  });

  it('does not act as a forward proxy for an absolute request target', async () => {
    const reply = await sendRaw(gw.url, [`POST ${attacker.url}/v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`]);
    assert.equal(reply.status, 404);
    const connect = await sendRaw(gw.url, [`CONNECT ${new URL(attacker.url).host} HTTP/1.1\r\nHost: ${new URL(attacker.url).host}\r\n\r\n`], { giveUpMs: 3000 });
    assert.notEqual(connect.status, 200);
    assert.equal(attacker.requests.length, 0);
  });

  it('treats a URL as a model name like any other unknown name', async () => {
    const res = await request(`${gw.url}/v1/chat/completions`, { method: 'POST', body: chatBody('openai', { model: `${attacker.url}/v1` }) });
    assert.equal(res.statusCode, 400);
    await res.body.dump();
    assert.equal(attacker.requests.length, 0);
  });
});
