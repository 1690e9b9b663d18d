// The access log: one info line per request through pino, refused requests
// included, with the fields an operator reads; switched off by access_log: false.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startMockProvider, type MockProvider } from '../support/mockProviders.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { listenerYaml } from '../support/sdkClients.js';

const HEADERS = { 'content-type': 'application/json', 'x-api-key': 'sk-client', 'anthropic-version': '2023-06-01' };
const ask = (model: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ model, max_tokens: 10, messages: [{ role: 'user', content: 'hi' }], ...extra });

function providersYaml(openai: string, anthropic: string, tail = ''): string {
  return `${listenerYaml()}model_providers:
  - model: anthropic/claude-sonnet-4-5
    name: claude
    base_url: ${anthropic}
    access_key: sk-up
    retry_policy:
      fallback_models: [gpt]
      on_status_codes:
        - codes: [429]
          strategy: different_provider
          max_attempts: 2
  - model: openai/gpt-4o-mini
    name: gpt
    base_url: ${openai}/v1
    access_key: sk-up
  - model: openai/gpt-4o-mini
    name: gpt-strict
    base_url: ${openai}/v1
    access_key: sk-up
    translation: strict
${tail}`;
}

describe('access log', () => {
  let openai: MockProvider;
  let anthropic: MockProvider;
  let gw: TestGateway;
  before(async () => {
    openai = await startMockProvider('openai');
    anthropic = await startMockProvider('anthropic');
    gw = await startTestGateway(providersYaml(openai.url, anthropic.url));
  });
  after(async () => {
    await gw.close();
    await Promise.all([openai.close(), anthropic.close()]);
  });
  beforeEach(() => {
    openai.reset();
    anthropic.reset();
  });

  /** The access line of the request that got `requestId`, once the response has closed. */
  async function lineFor(res: Response): Promise<Record<string, unknown>> {
    const id = res.headers.get('x-request-id');
    assert.ok(id);
    await res.arrayBuffer();
    // Generous: the line is written when the response closes, which a loaded machine may delay.
    for (let i = 0; i < 500; i++) {
      const lines = gw.logs.filter((l) => l.msg === 'request' && l.requestId === id);
      if (lines.length > 0) {
        assert.equal(lines.length, 1, 'one line per request');
        const [line] = lines;
        assert.ok(line);
        assert.equal(line.level, 30, 'info');
        assert.equal(typeof line.durationMs, 'number');
        return line;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.fail(`no access line for ${id}`);
  }

  const post = (path: string, body: string) => fetch(`${gw.url}${path}`, { method: 'POST', headers: HEADERS, body });

  it('a success', async () => {
    const line = await lineFor(await post('/v1/messages', ask('gpt', { service_tier: 'auto' })));
    assert.deepEqual(
      { method: line.method, path: line.path, dialect: line.dialect, model: line.model, entry: line.entry, status: line.status, attempts: line.attempts, dropped: line.dropped },
      { method: 'POST', path: '/v1/messages', dialect: 'anthropic', model: 'gpt', entry: 'gpt', status: 200, attempts: 1, dropped: 'service_tier' },
    );
  });

  it('a failover: the entry that answered and both attempts', async () => {
    anthropic.reply({ kind: 'error', status: 429, message: 'slow down' });
    const line = await lineFor(await post('/v1/messages', ask('claude')));
    assert.deepEqual({ model: line.model, entry: line.entry, status: line.status, attempts: line.attempts }, { model: 'claude', entry: 'gpt', status: 200, attempts: 2 });
  });

  it('a 404: no model, no entry, no attempt', async () => {
    const line = await lineFor(await post('/v1/nothing-here', '{}'));
    assert.deepEqual(
      { path: line.path, dialect: line.dialect, model: line.model, entry: line.entry, status: line.status, attempts: line.attempts },
      { path: '/v1/nothing-here', dialect: 'openai', model: undefined, entry: undefined, status: 404, attempts: 0 },
    );
  });

  it('an unknown model: the model asked for, no entry, no attempt', async () => {
    const line = await lineFor(await post('/v1/messages', ask('no-such-model')));
    assert.deepEqual({ model: line.model, entry: line.entry, status: line.status, attempts: line.attempts }, { model: 'no-such-model', entry: undefined, status: 400, attempts: 0 });
  });

  it('a refused field: the entry that refused it, and nothing sent', async () => {
    const line = await lineFor(await post('/v1/messages', ask('gpt-strict', { service_tier: 'auto' })));
    assert.deepEqual({ model: line.model, entry: line.entry, status: line.status, attempts: line.attempts }, { model: 'gpt-strict', entry: 'gpt-strict', status: 400, attempts: 0 });
    assert.equal(openai.requests.length, 0);
  });

  it('health probes are not logged', async () => {
    const res = await fetch(`${gw.url}/healthz`);
    const id = res.headers.get('x-request-id');
    await res.arrayBuffer();
    // A request after it has its line: by then the probe's would have been written too.
    await lineFor(await post('/v1/nothing-here', '{}'));
    assert.equal(gw.logs.filter((l) => l.msg === 'request' && l.requestId === id).length, 0);
  });

  it('access_log: false writes no line', async () => {
    const quiet = await startTestGateway(providersYaml(openai.url, anthropic.url, 'switchyard:\n  access_log: false\n'));
    try {
      const res = await fetch(`${quiet.url}/v1/messages`, { method: 'POST', headers: HEADERS, body: ask('gpt') });
      assert.equal(res.status, 200);
      await res.arrayBuffer();
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(quiet.logs.filter((l) => l.msg === 'request').length, 0);
    } finally {
      await quiet.close();
    }
  });
});
