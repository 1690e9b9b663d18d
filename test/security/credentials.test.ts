// Configured secrets never leave the gateway. A realistic run (successes,
// streams, translations, failovers, exhaustion, client errors, providers that
// echo the credential they were sent in bodies and headers) is captured whole:
// every response status line, header and body, and every log line. None may
// contain a provider key, a credential header value, or a client key. And no
// provider ever receives another provider's key.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { openAIChatBody, openAIStreamFrames, startMockUpstream, type MockStep, type MockUpstream, type RecordedRequest } from '../support/mockUpstream.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { anthropicMessageBody } from '../reliability/support/anthropicReplies.js';
import { anthropicFrames } from '../support/streamMocks.js';
import { CHAT_PATH, chatBody, type Dialect } from '../reliability/support/assertions.js';

const SECRETS = {
  openai: 'sk-proj-SECRET-openai-0123456789',
  anthropic: 'sk-ant-SECRET-anthropic-0123456789',
  echo: 'sk-SECRET-echoing-provider-0123456789',
  token: 'tok-SECRET-custom-header-0123456789',
  client: 'sy-SECRET-client-key-0123456789',
} as const;

/** What a careless provider does: repeat the credential it received. */
function credentialOf(r: RecordedRequest): string {
  return String(r.headers['authorization'] ?? r.headers['x-api-key'] ?? '');
}

function echoing(r: RecordedRequest): MockStep {
  const cred = credentialOf(r);
  if (r.body.includes('"echo-html"')) return { kind: 'raw', status: 502, body: `<html>bad gateway for ${cred}</html>`, headers: { 'content-type': 'text/html' } };
  if (r.body.includes('"echo-ok"')) return { kind: 'json', status: 200, body: openAIChatBody('fine'), headers: { 'x-debug-auth': cred, 'x-token-seen': String(r.headers['x-api-token']) } };
  return { kind: 'json', status: 401, body: { error: { message: `Incorrect API key provided: ${cred}`, type: 'invalid_request_error' } }, headers: { 'x-debug-auth': cred } };
}

describe('credentials never leak', () => {
  let openai: MockUpstream;
  let anthropic: MockUpstream;
  let echo: MockUpstream;
  let gw: TestGateway;
  const captured: string[] = [];

  before(async () => {
    openai = await startMockUpstream((r) =>
      r.body.includes('"stream":true') ? { kind: 'sse', frames: openAIStreamFrames(['hi']) } : { kind: 'json', status: 200, body: openAIChatBody('hi') },
    );
    anthropic = await startMockUpstream((r) =>
      r.body.includes('"stream":true') ? { kind: 'sse', frames: anthropicFrames(['hi']) } : { kind: 'json', status: 200, body: anthropicMessageBody('hi') },
    );
    echo = await startMockUpstream(echoing);
    gw = await startTestGateway(
      `version: v0.4.0
listeners:
  - type: model
    name: secrets
    port: 0
    timeout: 10s
model_providers:
  - model: openai/gpt-4o
    base_url: ${openai.url}
    access_key: $OPENAI_KEY
    default: true
  - model: anthropic/claude-sonnet-4
    base_url: ${anthropic.url}
    access_key: $ANTHROPIC_KEY
  - model: groq/echo
    base_url: ${echo.url}
    access_key: $ECHO_KEY
    headers:
      X-Api-Token: $CUSTOM_TOKEN
    retry_policy:
      fallback_models: [deepseek/echo-two]
      default_strategy: different_provider
      default_max_attempts: 1
      on_status_codes:
        - codes: [401, 502]
          strategy: different_provider
          max_attempts: 1
  - model: deepseek/echo-two
    base_url: ${echo.url}
    access_key: $ECHO_KEY
  - model: xai/echo-single
    base_url: ${echo.url}
    access_key: $ECHO_KEY
switchyard:
  client_keys:
    - key: $CLIENT_KEY
`,
      { OPENAI_KEY: SECRETS.openai, ANTHROPIC_KEY: SECRETS.anthropic, ECHO_KEY: SECRETS.echo, CUSTOM_TOKEN: SECRETS.token, CLIENT_KEY: SECRETS.client },
    );
  });
  after(async () => {
    await gw.close();
    await Promise.all([openai.close(), anthropic.close(), echo.close()]);
  });

  /** Sends a request and records everything the client could see. */
  async function capture(path: string, opts: { method?: string; body?: string; headers?: Record<string, string>; auth?: boolean } = {}): Promise<number> {
    const res = await request(`${gw.url}${path}`, {
      method: opts.method ?? (opts.body === undefined ? 'GET' : 'POST'),
      headers: { ...(opts.auth === false ? {} : { authorization: `Bearer ${SECRETS.client}` }), ...opts.headers },
      ...(opts.body !== undefined ? { body: opts.body } : {}),
    });
    let text = '';
    try {
      for await (const c of res.body) text += (c as Buffer).toString();
    } catch {
      text += '<cut>';
    }
    captured.push(`${path} ${res.statusCode}\n${JSON.stringify(res.headers)}\n${text}`);
    return res.statusCode;
  }

  it('runs a realistic mix of requests', async () => {
    const models = ['openai/gpt-4o', 'anthropic/claude-sonnet-4', 'groq/echo', 'xai/echo-single', 'nope/unknown'];
    for (const dialect of ['openai', 'anthropic'] as const satisfies readonly Dialect[]) {
      for (const model of models) {
        for (const stream of [false, true]) {
          for (const marker of [{}, { metadata: 'echo-ok' }, { metadata: 'echo-html' }]) {
            await capture(CHAT_PATH[dialect], { body: chatBody(dialect, { model, stream, ...marker }) });
          }
        }
      }
      await capture(CHAT_PATH[dialect], { body: '{bad json' });
      await capture(CHAT_PATH[dialect], { body: chatBody(dialect), auth: false });
      await capture(CHAT_PATH[dialect], { body: chatBody(dialect), headers: { authorization: `Bearer ${SECRETS.client}x` }, auth: false });
      await capture(CHAT_PATH[dialect], { method: 'GET' });
    }
    for (const path of ['/v1/models', '/healthz', '/readyz', '/nowhere']) await capture(path);
    // The run must have exercised the echoing paths, or the scan below proves little.
    const all = captured.join('\n');
    assert.match(all, /Incorrect API key provided: Bearer \[redacted\]/);
    assert.match(all, /retry_exhausted/);
    assert.match(all, /"x-debug-auth":"Bearer \[redacted\]"/);
    assert.ok(captured.length > 40);
    assert.ok(gw.logs.length > 40);
  });

  it('no response and no log line contains a configured secret', () => {
    const texts = [...captured, ...gw.logs.map((l) => JSON.stringify(l))];
    for (const [name, secret] of Object.entries(SECRETS)) {
      const hits = texts.filter((t) => t.includes(secret));
      assert.deepEqual(hits, [], `${name} leaked`);
    }
  });

  it('each provider received only its own credentials', () => {
    const sentTo = (m: MockUpstream): string => m.requests.map((r) => JSON.stringify(r.headers)).join('\n');
    assert.ok(!/SECRET-(anthropic|echoing|custom|client)/.test(sentTo(openai)), 'openai');
    assert.ok(!/SECRET-(openai|echoing|custom|client)/.test(sentTo(anthropic)), 'anthropic');
    assert.ok(!/SECRET-(openai|anthropic|client)/.test(sentTo(echo)), 'echo');
    assert.ok(openai.requests.length > 0 && anthropic.requests.length > 0 && echo.requests.length > 0);
  });
});
