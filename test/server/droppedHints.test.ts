// x-switchyard-dropped and translation: strict, end to end: a real gateway in
// front of a real OpenAI-format mock, an Anthropic client speaking plain HTTP.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startMockProvider, type MockProvider } from '../support/mockProviders.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { listenerYaml } from '../support/sdkClients.js';

const body = (extra: Record<string, unknown>) =>
  JSON.stringify({ model: 'gpt', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }], ...extra });

async function post(gw: TestGateway, model: string, extra: Record<string, unknown>): Promise<Response> {
  return fetch(`${gw.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': 'sk-client', 'anthropic-version': '2023-06-01' },
    body: body({ model, ...extra }),
  });
}

describe('dropped hints and translation: strict', () => {
  let openai: MockProvider;
  let gw: TestGateway;
  before(async () => {
    openai = await startMockProvider('openai');
    gw = await startTestGateway(`${listenerYaml()}model_providers:
  - model: openai/gpt-lenient
    base_url: ${openai.url}/v1
    access_key: sk-up
  - model: openai/gpt-strict
    base_url: ${openai.url}/v1
    access_key: sk-up
    translation: strict
`);
  });
  after(async () => {
    await gw.close();
    await openai.close();
  });

  it('a hint is dropped, named in x-switchyard-dropped, and never reaches the provider', async () => {
    const res = await post(gw, 'gpt-lenient', { service_tier: 'auto' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-switchyard-dropped'), 'service_tier');
    await res.json();
    assert.equal('service_tier' in openai.last().body, false);
  });

  it('nothing dropped: no header', async () => {
    const res = await post(gw, 'gpt-lenient', {});
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-switchyard-dropped'), null);
    await res.json();
  });

  it('translation: strict refuses the same hint with a 400 naming it, in the client\'s dialect', async () => {
    const before = openai.requests.length;
    const res = await post(gw, 'gpt-strict', { service_tier: 'auto' });
    assert.equal(res.status, 400);
    const err = (await res.json()) as { type: string; error: { type: string; message: string } };
    assert.equal(err.type, 'error');
    assert.equal(err.error.type, 'invalid_request_error');
    assert.match(err.error.message, /service_tier/);
    assert.equal(openai.requests.length, before, 'nothing was sent upstream');
  });
});
