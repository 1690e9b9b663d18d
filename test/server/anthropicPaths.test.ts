// Every path under /v1/messages is Anthropic's API: its 404, 405, 400 and 401
// come back in Anthropic's error shape, and ?beta=true reaches an
// Anthropic-format target but not an OpenAI-format one.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startMockProvider, type MockProvider } from '../support/mockProviders.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { listenerYaml } from '../support/sdkClients.js';

interface AnthropicErrorBody {
  type: string;
  error: { type: string; message: string };
}

async function anthropicError(res: Response, status: number, type: string): Promise<string> {
  assert.equal(res.status, status);
  assert.match(res.headers.get('content-type') ?? '', /application\/json/);
  const body = (await res.json()) as AnthropicErrorBody;
  assert.equal(body.type, 'error', JSON.stringify(body));
  assert.equal(body.error.type, type);
  assert.equal(typeof body.error.message, 'string');
  return body.error.message;
}

const HEADERS = { 'content-type': 'application/json', 'x-api-key': 'sk-client', 'anthropic-version': '2023-06-01' };

describe('errors under /v1/messages/* in Anthropic\'s shape', () => {
  let openai: MockProvider;
  let anthropic: MockProvider;
  let gw: TestGateway;
  before(async () => {
    openai = await startMockProvider('openai');
    anthropic = await startMockProvider('anthropic');
    gw = await startTestGateway(`${listenerYaml()}model_providers:
  - model: openai/gpt-4o-mini
    name: gpt
    base_url: ${openai.url}/v1
    access_key: sk-up
  - model: anthropic/claude-sonnet-4-5
    name: claude
    base_url: ${anthropic.url}
    access_key: sk-up
switchyard:
  client_keys:
    - key: sk-client
`);
  });
  after(async () => {
    await gw.close();
    await Promise.all([openai.close(), anthropic.close()]);
  });

  it('404 for an unknown path under /v1/messages', async () => {
    const res = await fetch(`${gw.url}/v1/messages/batches?beta=true`, { method: 'POST', headers: HEADERS, body: '{}' });
    assert.match(await anthropicError(res, 404, 'not_found_error'), /no route/);
  });

  it('405 for a wrong method on /v1/messages/count_tokens, with Allow', async () => {
    const res = await fetch(`${gw.url}/v1/messages/count_tokens`, { headers: HEADERS });
    await anthropicError(res, 405, 'invalid_request_error');
    assert.equal(res.headers.get('allow'), 'POST');
  });

  it('400 for a body that is not JSON, and for an unknown model, on count_tokens', async () => {
    const bad = await fetch(`${gw.url}/v1/messages/count_tokens`, { method: 'POST', headers: HEADERS, body: '{nope' });
    await anthropicError(bad, 400, 'invalid_request_error');
    const unknown = await fetch(`${gw.url}/v1/messages/count_tokens`, {
      method: 'POST',
      headers: HEADERS,
      body: JSON.stringify({ model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] }),
    });
    assert.match(await anthropicError(unknown, 400, 'invalid_request_error'), /no-such-model/);
  });

  it('401 without a client key under /v1/messages/*', async () => {
    const res = await fetch(`${gw.url}/v1/messages/count_tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt', messages: [{ role: 'user', content: 'hi' }] }),
    });
    await anthropicError(res, 401, 'authentication_error');
  });

  it('OpenAI paths keep OpenAI\'s shape', async () => {
    const res = await fetch(`${gw.url}/v1/chat/nope`, { method: 'POST', headers: HEADERS, body: '{}' });
    assert.equal(res.status, 404);
    const body = (await res.json()) as { error: { type: string } };
    assert.equal(typeof body.error.type, 'string');
    assert.equal('type' in body, false);
  });

  it('?beta=true goes to an Anthropic-format target and not to an OpenAI-format one', async () => {
    const body = JSON.stringify({ model: 'claude', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] });
    const toClaude = await fetch(`${gw.url}/v1/messages?beta=true`, { method: 'POST', headers: HEADERS, body });
    assert.equal(toClaude.status, 200);
    await toClaude.json();
    assert.equal(anthropic.last().query.get('beta'), 'true');
    const toGpt = await fetch(`${gw.url}/v1/messages?beta=true`, { method: 'POST', headers: HEADERS, body: body.replace('"claude"', '"gpt"') });
    assert.equal(toGpt.status, 200);
    await toGpt.json();
    assert.equal(openai.last().query.toString(), '');
  });
});
