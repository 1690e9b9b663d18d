// Headers across the gateway: the client's credentials reach only
// passthrough_auth providers; hop-by-hop and injected upstream headers never
// reach the client; the gateway's own headers cannot be overwritten upstream.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { openAIChatBody, startMockUpstream, type MockUpstream } from '../support/mockUpstream.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { assertDialectError, chatBody } from '../reliability/support/assertions.js';
import { rawResponse, startRawUpstream, type RawUpstream } from '../reliability/support/rawUpstream.js';

const CLIENT_CREDENTIALS = { authorization: 'Bearer sk-client-own-0123456789', 'x-api-key': 'sk-client-x-0123456789', 'api-key': 'sk-client-azure-0123' };

describe('client credentials upstream', () => {
  let own: MockUpstream;
  let passthrough: MockUpstream;
  let gw: TestGateway;
  before(async () => {
    own = await startMockUpstream();
    passthrough = await startMockUpstream();
    gw = await startTestGateway(`version: v0.4.0
listeners:
  - type: model
    name: creds
    port: 0
    timeout: 10s
model_providers:
  - model: openai/own-key
    base_url: ${own.url}
    access_key: sk-gateway-owned-0123456789
    default: true
    retry_policy:
      fallback_models: [groq/passthrough]
      default_strategy: different_provider
      default_max_attempts: 1
  - model: groq/passthrough
    base_url: ${passthrough.url}
    passthrough_auth: true
    retry_policy:
      fallback_models: [openai/own-key]
      default_strategy: different_provider
      default_max_attempts: 1
  - model: anthropic/own-key
    base_url: ${own.url}
    access_key: sk-ant-gateway-owned-0123456789
`);
  });
  after(async () => {
    await gw.close();
    await own.close();
    await passthrough.close();
  });

  async function send(model: string): Promise<void> {
    const res = await request(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: CLIENT_CREDENTIALS, body: chatBody('openai', { model }) });
    await res.body.dump();
  }

  function assertNoClientCredential(headers: Record<string, unknown>, label: string): void {
    assert.doesNotMatch(JSON.stringify(headers), /sk-client-/, label);
  }

  it('a provider with its own key gets only that key, in its own header', async () => {
    await send('openai/own-key');
    const seen = own.requests.at(-1)!.headers;
    assert.equal(seen['authorization'], 'Bearer sk-gateway-owned-0123456789');
    assertNoClientCredential(seen, 'openai');
    await send('anthropic/own-key');
    const seenAnthropic = own.requests.at(-1)!.headers;
    assert.equal(seenAnthropic['x-api-key'], 'sk-ant-gateway-owned-0123456789');
    assert.equal(seenAnthropic['authorization'], undefined);
    assertNoClientCredential(seenAnthropic, 'anthropic');
  });

  it('a passthrough_auth provider gets the client’s credentials', async () => {
    await send('groq/passthrough');
    const seen = passthrough.requests.at(-1)!.headers;
    assert.equal(seen['authorization'], CLIENT_CREDENTIALS.authorization);
    assert.equal(seen['x-api-key'], CLIENT_CREDENTIALS['x-api-key']);
  });

  it('failing over from a passthrough provider does not carry the client’s credentials along', async () => {
    passthrough.queue.push({ kind: 'json', status: 503, body: { error: { message: 'down' } } });
    await send('groq/passthrough');
    assert.equal(passthrough.requests.at(-1)!.headers['authorization'], CLIENT_CREDENTIALS.authorization);
    const fallback = own.requests.at(-1)!.headers;
    assert.equal(fallback['authorization'], 'Bearer sk-gateway-owned-0123456789');
    assertNoClientCredential(fallback, 'fallback');
  });

  it('failing over to a passthrough provider hands it the client’s credentials, not the gateway’s key', async () => {
    own.queue.push({ kind: 'json', status: 503, body: { error: { message: 'down' } } });
    await send('openai/own-key');
    const seen = passthrough.requests.at(-1)!.headers;
    assert.equal(seen['authorization'], CLIENT_CREDENTIALS.authorization);
    assert.doesNotMatch(JSON.stringify(seen), /gateway-owned/);
  });
});

describe('upstream response headers', () => {
  let upstream: RawUpstream;
  let backup: MockUpstream;
  let gw: TestGateway;
  before(async () => {
    upstream = await startRawUpstream((s) => void s.end(rawResponse(200, [], '{}')));
    backup = await startMockUpstream({ kind: 'json', status: 200, body: openAIChatBody('from backup') });
    gw = await startTestGateway(`version: v0.4.0
listeners:
  - type: model
    name: hop
    port: 0
    timeout: 10s
model_providers:
  - model: openai/raw
    base_url: ${upstream.url}
    access_key: sk-hop-0123456789
    default: true
  - model: openai/with-backup
    base_url: ${upstream.url}
    access_key: sk-hop-0123456789
    retry_policy:
      fallback_models: [mistral/backup]
      default_strategy: different_provider
      default_max_attempts: 1
  - model: mistral/backup
    base_url: ${backup.url}
    access_key: sk-hop-backup-0123456789
`);
  });
  after(async () => {
    await gw.close();
    await upstream.close();
    await backup.close();
  });

  it('drops hop-by-hop headers, those the Connection header lists, and cookies; keeps the rest', async () => {
    upstream.script = (s) =>
      void s.end(
        rawResponse(
          200,
          [
            'content-type: application/json',
            'connection: keep-alive, x-hop-secret',
            'keep-alive: timeout=1, max=7',
            'x-hop-secret: only-for-the-next-hop',
            'proxy-authenticate: Basic realm="upstream"',
            'upgrade: h2c',
            'trailer: x-checksum',
            'set-cookie: upstream_session=abc',
            'x-ratelimit-remaining-requests: 99',
          ],
          JSON.stringify(openAIChatBody('ok')),
        ),
      );
    const res = await request(`${gw.url}/v1/chat/completions`, { method: 'POST', body: chatBody('openai') });
    assert.equal(res.statusCode, 200);
    await res.body.dump();
    assert.equal(res.headers['x-hop-secret'], undefined);
    assert.equal(res.headers['proxy-authenticate'], undefined);
    assert.equal(res.headers['upgrade'], undefined);
    assert.equal(res.headers['trailer'], undefined);
    assert.equal(res.headers['set-cookie'], undefined);
    assert.doesNotMatch(String(res.headers['keep-alive']), /max=7/);
    assert.doesNotMatch(String(res.headers['connection']), /x-hop-secret/);
    assert.equal(res.headers['x-ratelimit-remaining-requests'], '99');
  });

  it('keeps the gateway’s own headers when the provider sends the same names', async () => {
    upstream.script = (s) =>
      void s.end(
        rawResponse(200, ['content-type: application/json', 'x-request-id: upstream-id', 'x-switchyard-model: spoofed', 'x-switchyard-attempts: 9'], JSON.stringify(openAIChatBody('ok'))),
      );
    const res = await request(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { 'x-request-id': 'client-id' }, body: chatBody('openai') });
    await res.body.dump();
    assert.equal(res.headers['x-request-id'], 'client-id');
    assert.equal(res.headers['x-switchyard-model'], 'openai/raw');
    assert.equal(res.headers['x-switchyard-attempts'], '1');
  });

  for (const [label, line] of [
    ['CR', 'x-note: a\rinjected: yes'],
    ['LF', 'x-note: a\ninjected: yes'],
    ['NUL', 'x-note: a\u0000b'],
  ] as const) {
    it(`never passes on a header value with ${label}: clean 502, or a failover`, async () => {
      upstream.script = (s) => void s.end(rawResponse(200, ['content-type: application/json', line], JSON.stringify(openAIChatBody('ok'))));
      const res = await request(`${gw.url}/v1/chat/completions`, { method: 'POST', body: chatBody('openai') });
      const text = await res.body.text();
      assert.equal(res.statusCode, 502);
      assertDialectError(JSON.parse(text), 'openai', label);
      assert.equal(res.headers['injected'], undefined);
      const moved = await request(`${gw.url}/v1/chat/completions`, { method: 'POST', body: chatBody('openai', { model: 'openai/with-backup' }) });
      assert.equal(moved.statusCode, 200);
      assert.equal(moved.headers['x-switchyard-model'], 'mistral/backup');
      assert.equal(moved.headers['injected'], undefined);
      await moved.body.dump();
    });
  }
});
