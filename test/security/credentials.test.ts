// Configured secrets never leave the gateway. A realistic run (successes,
// streams, translations, failovers, exhaustion, client errors, providers that
// echo the credential they were sent in bodies and headers, a base_url with a
// key in its path, a client key in a header copied onto spans) is captured
// whole: every response status line, header and body, every log line, the
// metrics, the status JSON and page, and every span exported over OTLP. None
// may contain a provider key, a credential header value, or a client key. And
// no provider ever receives another provider's key. The same run with
// redaction turned off must show leaks, or the scan proves nothing.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { openAIChatBody, openAIStreamFrames, startMockUpstream, type MockStep, type MockUpstream, type RecordedRequest } from '../support/mockUpstream.js';
import { startTestGateway } from '../support/gateway.js';
import { startOtlpReceiver } from '../support/otlpReceiver.js';
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

/** Everything a secret could leak into, by channel. */
interface Channels {
  readonly responses: string[];
  readonly logs: string[];
  readonly metrics: string[];
  readonly statusJson: string[];
  readonly statusPage: string[];
  readonly traces: string[];
}

interface Run {
  readonly channels: Channels;
  readonly providers: { readonly openai: MockUpstream; readonly anthropic: MockUpstream; readonly echo: MockUpstream };
}

function configYaml(openai: MockUpstream, anthropic: MockUpstream, echo: MockUpstream): string {
  return `version: v0.4.0
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
  # Some gateways put a key in the URL path: it shows in status and spans unless redacted.
  - model: together_ai/keyed
    base_url: ${echo.url}/k/$ECHO_KEY/v1
    access_key: $ECHO_KEY
tracing:
  span_attributes:
    header_prefixes: [x-]
switchyard:
  client_keys:
    - key: $CLIENT_KEY
`;
}

async function exercise(redactSecrets: boolean): Promise<Run> {
  const openai = await startMockUpstream((r) =>
    r.body.includes('"stream":true') ? { kind: 'sse', frames: openAIStreamFrames(['hi']) } : { kind: 'json', status: 200, body: openAIChatBody('hi') },
  );
  const anthropic = await startMockUpstream((r) =>
    r.body.includes('"stream":true') ? { kind: 'sse', frames: anthropicFrames(['hi']) } : { kind: 'json', status: 200, body: anthropicMessageBody('hi') },
  );
  const echo = await startMockUpstream(echoing);
  const receiver = await startOtlpReceiver();
  const gw = await startTestGateway(
    configYaml(openai, anthropic, echo),
    { OPENAI_KEY: SECRETS.openai, ANTHROPIC_KEY: SECRETS.anthropic, ECHO_KEY: SECRETS.echo, CUSTOM_TOKEN: SECRETS.token, CLIENT_KEY: SECRETS.client },
    { env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpUrl, OTEL_BSP_SCHEDULE_DELAY: '50' }, redactSecrets },
  );
  const responses: string[] = [];
  const read = async (path: string, opts: { method?: string; body?: string; headers?: Record<string, string>; auth?: boolean } = {}): Promise<string> => {
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
    return `${path} ${res.statusCode}\n${JSON.stringify(res.headers)}\n${text}`;
  };
  const capture = async (path: string, opts: Parameters<typeof read>[1] = {}): Promise<void> => {
    responses.push(await read(path, opts));
  };
  try {
    const models = ['openai/gpt-4o', 'anthropic/claude-sonnet-4', 'groq/echo', 'xai/echo-single', 'together_ai/keyed', 'nope/unknown'];
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
      // A client key in a header header_prefixes copies onto the request span (an unknown model, so
      // no provider is sent the header: forwarding the client's own headers is by design), and in
      // the one that never is copied.
      await capture(CHAT_PATH[dialect], { body: chatBody(dialect, { model: 'nope/unknown' }), headers: { 'x-custom-auth': SECRETS.client } });
      await capture(CHAT_PATH[dialect], { body: chatBody(dialect), headers: { 'x-switchyard-key': SECRETS.client }, auth: false });
    }
    for (const path of ['/v1/models', '/healthz', '/readyz', '/nowhere', '/metrics', '/status', '/status.json']) await capture(path, { auth: false });
    const metrics = [await read('/metrics')];
    const statusJson = [await read('/status.json')];
    const statusPage = [await read('/status')];
    // Closing flushes the spans still queued.
    await gw.close();
    const traces = receiver.raw.map((b) => b.toString('utf8'));
    return {
      channels: { responses, logs: gw.logs.map((l) => JSON.stringify(l)), metrics, statusJson, statusPage, traces },
      providers: { openai, anthropic, echo },
    };
  } finally {
    await gw.close();
    await Promise.all([openai.close(), anthropic.close(), echo.close(), receiver.close()]);
  }
}

/** Which secrets each channel contains. */
function leaks(channels: Channels): Record<keyof Channels, string[]> {
  const out = {} as Record<keyof Channels, string[]>;
  for (const [channel, texts] of Object.entries(channels) as [keyof Channels, string[]][]) {
    out[channel] = Object.entries(SECRETS)
      .filter(([, secret]) => texts.some((t) => t.includes(secret)))
      .map(([name]) => name);
  }
  return out;
}

const NONE: Record<keyof Channels, string[]> = { responses: [], logs: [], metrics: [], statusJson: [], statusPage: [], traces: [] };

describe('credentials never leak', () => {
  let run: Run;
  before(async () => {
    run = await exercise(true);
  });

  it('runs a realistic mix of requests', () => {
    const { channels } = run;
    // The run must have exercised the echoing paths and every channel, or the scan below proves little.
    const all = channels.responses.join('\n');
    assert.match(all, /Incorrect API key provided: Bearer \[redacted\]/);
    assert.match(all, /retry_exhausted/);
    assert.match(all, /"x-debug-auth":"Bearer \[redacted\]"/);
    assert.ok(channels.responses.length > 40);
    assert.ok(channels.logs.length > 40);
    assert.match(channels.metrics[0]!, /switchyard_requests_total\{dialect="anthropic",model="groq\/echo"/);
    assert.match(channels.statusJson[0]!, /"endpoint":"http:\/\/127\.0\.0\.1:\d+\/k\/\[redacted\]\/v1\/chat\/completions"/);
    assert.match(channels.statusPage[0]!, /\/k\/\[redacted\]\/v1/);
    const traces = channels.traces.join('\n');
    assert.ok(channels.traces.length > 0);
    assert.match(traces, /http\.request\.header\.x-custom-auth/);
    assert.match(traces, /\/k\/\[redacted\]\/v1\/chat\/completions/);
    assert.ok(!traces.includes('http.request.header.x-switchyard-key'), 'a credential header is never copied onto a span');
  });

  it('no response, log line, metric, status, page or span contains a configured secret', () => {
    assert.deepEqual(leaks(run.channels), NONE);
  });

  it('each provider received only its own credentials', () => {
    const { openai, anthropic, echo } = run.providers;
    const sentTo = (m: MockUpstream): string => m.requests.map((r) => JSON.stringify(r.headers)).join('\n');
    assert.ok(!/SECRET-(anthropic|echoing|custom|client)/.test(sentTo(openai)), 'openai');
    assert.ok(!/SECRET-(openai|echoing|custom|client)/.test(sentTo(anthropic)), 'anthropic');
    assert.ok(!/SECRET-(openai|anthropic|client)/.test(sentTo(echo)), 'echo');
    assert.ok(openai.requests.length > 0 && anthropic.requests.length > 0 && echo.requests.length > 0);
  });
});

describe('the credential scan without redaction', () => {
  it('finds the leaks redaction prevents: in responses, the status JSON and page, and the spans', async () => {
    const found = leaks((await exercise(false)).channels);
    assert.ok(found.responses.includes('echo'), `responses: ${found.responses.join()}`);
    assert.ok(found.statusJson.includes('echo'), `status JSON: ${found.statusJson.join()}`);
    assert.ok(found.statusPage.includes('echo'), `status page: ${found.statusPage.join()}`);
    assert.ok(found.traces.includes('echo') && found.traces.includes('client'), `traces: ${found.traces.join()}`);
    // These carry no secret by construction (labels are configured names; logs never see a key).
    assert.deepEqual([found.metrics, found.logs], [[], []]);
  });
});
