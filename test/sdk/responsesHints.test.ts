// Hints and translation: strict on /v1/responses, with the official `openai`
// SDK as the client: a translated target (Chat Completions or Messages) drops
// the hints it cannot carry and names them in x-switchyard-dropped; a strict
// entry refuses them with a 400 naming the field; a strict fallback is skipped
// like any fallback that cannot take the request; a native entry is sent
// everything, strict or not, because nothing is translated.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import type { ResponseCreateParamsNonStreaming } from 'openai/resources/responses/responses';
import { startMockProvider, type MockProvider } from '../support/mockProviders.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { listenerYaml, sdkClients } from '../support/sdkClients.js';

/** What Codex CLI sends on every request, less its tools: hints, all of them, on a translated target. */
const HINTED: Omit<ResponseCreateParamsNonStreaming, 'model'> = {
  input: 'What is new?',
  tools: [{ type: 'web_search' }],
  include: ['reasoning.encrypted_content'],
  reasoning: { summary: 'auto' },
  prompt_cache_key: 'session-1',
  store: false,
};

async function refusal(call: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  try {
    await call;
  } catch (err) {
    assert.ok(err instanceof OpenAI.APIError, String(err));
    return err;
  }
  assert.fail('the request was answered');
}

const dropped = (headers: Headers): string[] => (headers.get('x-switchyard-dropped') ?? '').split(',');

interface Mocks {
  readonly native: MockProvider;
  readonly chat: MockProvider;
  readonly claude: MockProvider;
}

/** One model_providers entry: `wire` picks the mock and how the entry speaks to it. */
function entry(mocks: Mocks, model: string, wire: keyof Mocks, extra: readonly string[] = []): string {
  const lines = [`model: ${model}`, `base_url: ${mocks[wire].url}/v1`, 'access_key: sk-up', ...(wire === 'chat' ? ['provider_interface: openai'] : []), ...extra];
  return `  - ${lines.join('\n    ')}\n`;
}

describe('/v1/responses: hints dropped, or refused under translation: strict', () => {
  let mocks: Mocks;
  let native: MockProvider;
  let chat: MockProvider;
  let claude: MockProvider;
  const gateways: TestGateway[] = [];
  before(async () => {
    native = await startMockProvider('responses', 'native-mock');
    chat = await startMockProvider('openai', 'chat-mock');
    claude = await startMockProvider('anthropic', 'anthropic-mock');
    mocks = { native, chat, claude };
  });
  after(async () => {
    await Promise.all(gateways.map((g) => g.close()));
    await Promise.all([native, chat, claude].map((m) => m.close()));
  });
  beforeEach(() => {
    for (const m of [native, chat, claude]) m.reset();
  });

  async function gatewayClient(yaml: string): Promise<OpenAI> {
    const gw = await startTestGateway(`${listenerYaml()}${yaml}`);
    gateways.push(gw);
    return sdkClients(gw.url).openai;
  }

  describe('per entry', () => {
    let client: OpenAI;
    before(async () => {
      const strict = ['translation: strict'];
      client = await gatewayClient(`model_providers:
${entry(mocks, 'vllm/qwen3', 'chat')}${entry(mocks, 'anthropic/claude-sonnet-4-6', 'claude')}${entry(mocks, 'vllm/qwen3-strict', 'chat', strict)}${entry(mocks, 'anthropic/claude-strict', 'claude', strict)}${entry(mocks, 'openai/gpt-5', 'native', [
        'retry_policy:',
        '  fallback_models: [anthropic/claude-strict, anthropic/claude-sonnet-4-6]',
        '  on_status_codes:',
        '    - codes: [429]',
        '      strategy: different_provider',
        '      max_attempts: 2',
      ])}`);
    });

    for (const [model, mock] of [['vllm/qwen3', () => chat], ['anthropic/claude-sonnet-4-6', () => claude]] as const) {
      it(`lenient, ${model}: the hints are dropped, named in x-switchyard-dropped, and never sent`, async () => {
        mock().reply({ kind: 'answer', text: 'Nothing much.' });
        const { data, response } = await client.responses.create({ model, ...HINTED }).withResponse();
        assert.equal(data.output_text, 'Nothing much.');
        assert.deepEqual(dropped(response.headers).sort(), ['include', 'prompt_cache_key', 'reasoning.summary', 'tools.web_search']);
        const seen = mock().last().body;
        for (const key of ['include', 'prompt_cache_key', 'reasoning', 'tools', 'store']) assert.equal(key in seen, false, `${key} never sent`);
      });
    }

    it('lenient, Messages: the two steps (to Chat Completions, then to Messages) name their drops in one list, each once', async () => {
      claude.reply({ kind: 'answer', text: 'ok' });
      const { response } = await client.responses
        .create({
          model: 'anthropic/claude-sonnet-4-6',
          ...HINTED,
          tools: [{ type: 'web_search' }, { type: 'web_search_preview' }, { type: 'web_search' }],
          // Passed on by the first step; the second drops it: the entry does not reason.
          reasoning: { effort: 'high', summary: 'auto' },
        })
        .withResponse();
      assert.deepEqual(dropped(response.headers), ['include', 'prompt_cache_key', 'tools.web_search', 'tools.web_search_preview', 'reasoning.summary', 'reasoning.effort']);
      assert.equal('thinking' in claude.last().body, false);
    });

    for (const [model, mock] of [['vllm/qwen3-strict', () => chat], ['anthropic/claude-strict', () => claude]] as const) {
      it(`strict, ${model}: a hint is a 400 in the Responses error shape naming the field; nothing is sent`, async () => {
        const cases: [Partial<ResponseCreateParamsNonStreaming>, string][] = [
          [{ include: ['reasoning.encrypted_content'] }, 'include'],
          [{ tools: [{ type: 'web_search' }] }, 'tools'],
          [{ reasoning: { summary: 'auto' } }, 'reasoning.summary'],
          [{ prompt_cache_key: 'k' }, 'prompt_cache_key'],
          // The entry does not reason (no `reasoning: true`).
          [{ reasoning: { effort: 'low' } }, 'reasoning.effort'],
        ];
        for (const [extra, param] of cases) {
          const err = await refusal(client.responses.create({ model, input: 'hi', ...extra }));
          assert.equal(err.status, 400);
          assert.equal(err.type, 'invalid_request_error');
          assert.equal(err.param, param);
          assert.match(err.message, /translation: strict/);
        }
        assert.equal(mock().requests.length, 0, 'no provider was called');
      });

      it(`strict, ${model}: a request with nothing to drop is translated as usual`, async () => {
        mock().reply({ kind: 'answer', text: 'hello' });
        const { data, response } = await client.responses.create({ model, input: 'hi', temperature: 0.5 }).withResponse();
        assert.equal(data.output_text, 'hello');
        assert.equal(response.headers.get('x-switchyard-dropped'), null);
      });
    }

    it('a strict fallback behind a 429 primary is skipped; the next fallback answers, its drops named', async () => {
      native.reply({ kind: 'error', status: 429, message: 'Rate limit reached' });
      claude.reply({ kind: 'answer', text: 'From the lenient fallback.' });
      const { data, response } = await client.responses.create({ model: 'openai/gpt-5', ...HINTED }).withResponse();
      assert.equal(data.output_text, 'From the lenient fallback.');
      assert.equal(response.headers.get('x-switchyard-model'), 'anthropic/claude-sonnet-4-6');
      assert.deepEqual(dropped(response.headers).sort(), ['include', 'prompt_cache_key', 'reasoning.summary', 'tools.web_search']);
      assert.deepEqual(claude.requests.map((r) => r.body.model), ['claude-sonnet-4-6'], 'the strict fallback was sent nothing');
      assert.equal(native.requests.length, 1);
    });

    it('a native entry gets every hint as sent, and no header', async () => {
      native.reply({ kind: 'answer', text: 'native' });
      const { response } = await client.responses.create({ model: 'openai/gpt-5', ...HINTED }).withResponse();
      assert.equal(response.headers.get('x-switchyard-dropped'), null);
      const seen = native.last().body;
      assert.deepEqual(seen.include, ['reasoning.encrypted_content']);
      assert.deepEqual(seen.tools, [{ type: 'web_search' }]);
    });
  });

  describe('under a global switchyard.translation: strict', () => {
    let client: OpenAI;
    before(async () => {
      client = await gatewayClient(`switchyard:
  translation: strict
model_providers:
${entry(mocks, 'openai/gpt-5', 'native')}${entry(mocks, 'vllm/qwen3', 'chat')}${entry(mocks, 'vllm/qwen3-lenient', 'chat', ['translation: lenient'])}`);
    });

    it('a translated entry refuses; its own translation: lenient wins; a native entry is unaffected', async () => {
      const err = await refusal(client.responses.create({ model: 'vllm/qwen3', ...HINTED }));
      assert.equal(err.status, 400);
      assert.equal(err.param, 'include');
      assert.equal(chat.requests.length, 0);

      chat.reply({ kind: 'answer', text: 'lenient' });
      const lenient = await client.responses.create({ model: 'vllm/qwen3-lenient', ...HINTED }).withResponse();
      assert.equal(lenient.data.output_text, 'lenient');
      assert.ok(dropped(lenient.response.headers).includes('include'));

      native.reply({ kind: 'answer', text: 'native' });
      const { data, response } = await client.responses.create({ model: 'openai/gpt-5', ...HINTED }).withResponse();
      assert.equal(data.output_text, 'native');
      assert.equal(response.headers.get('x-switchyard-dropped'), null);
      assert.deepEqual(native.last().body.include, ['reasoning.encrypted_content']);
    });
  });
});
