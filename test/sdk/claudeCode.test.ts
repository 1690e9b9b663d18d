// Claude Code 2.1.332's real requests (test/fixtures/claude-code) sent through
// a real gateway with the official Anthropic SDK's stream helpers, as Claude
// Code itself sends them (?beta=true, its anthropic-beta header, streaming), to
// real loopback mocks that check requests the way the real APIs do.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Anthropic from '@anthropic-ai/sdk';
import { countTokens, encodeChat } from 'gpt-tokenizer/encoding/o200k_base';
import { startMockProvider, type MockProvider } from '../support/mockProviders.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { listenerYaml } from '../support/sdkClients.js';
import { join } from 'node:path';
import { FIXTURES_DIR } from '../support/paths.js';
import { anthropicToOpenAIRequest } from '../../src/dialects/translate/request/fromAnthropic.js';
import type { AnthropicRequest } from '../../src/dialects/anthropic/types.js';

interface Capture {
  readonly path: string;
  readonly query: Record<string, string>;
  readonly headers: Record<string, string>;
  readonly body: Record<string, unknown>;
}

const capture = (name: string): Capture => JSON.parse(readFileSync(join(FIXTURES_DIR, 'claude-code', `${name}.json`), 'utf8')) as Capture;

const TURN1 = capture('turn1-tool-use');
const TURN2 = capture('turn2-tool-result');
const SONNET = capture('turn1-plain-sonnet-4-5');
const HAIKU = capture('background-haiku');
const COUNT = capture('count-tokens');

/** The gateway's models, each reached by the name Claude Code asks for through an exact alias. */
function gatewayYaml(openai: string, anthropic: string): string {
  return `${listenerYaml()}model_providers:
  - model: openai/gpt-4o-mini
    name: gpt
    base_url: ${openai}/v1
    access_key: sk-up-openai
  - model: openai/o4-mini
    name: reasoner
    base_url: ${openai}/v1
    access_key: sk-up-openai
    reasoning: true
    max_output_tokens: 32000
  - model: anthropic/claude-opus-5-5
    name: claude
    base_url: ${anthropic}
    access_key: sk-up-anthropic
    retry_policy:
      fallback_models: [gpt]
      on_status_codes:
        - codes: [429]
          strategy: different_provider
          max_attempts: 2
model_aliases:
  claude-*-haiku-*:
    target: gpt
  claude-haiku-*:
    target: gpt
`;
}

/** Claude Code's request as its own SDK would send it: same body, same betas, ?beta=true. */
function streamAs(client: Anthropic, c: Capture, model: string) {
  const { stream: _stream, ...body } = c.body;
  return client.messages.stream({ ...body, model } as unknown as Anthropic.MessageStreamParams, {
    headers: { 'anthropic-beta': c.headers['anthropic-beta'] },
    query: c.query,
  });
}

describe('Claude Code 2.1 through Switchyard', () => {
  let openai: MockProvider;
  let anthropicMock: MockProvider;
  let gw: TestGateway;
  let client: Anthropic;
  before(async () => {
    openai = await startMockProvider('openai', 'openai-mock');
    anthropicMock = await startMockProvider('anthropic', 'anthropic-mock');
    gw = await startTestGateway(gatewayYaml(openai.url, anthropicMock.url));
    client = new Anthropic({ baseURL: gw.url, apiKey: 'sk-client', maxRetries: 0 });
  });
  after(async () => {
    await gw.close();
    await Promise.all([openai.close(), anthropicMock.close()]);
  });
  beforeEach(() => {
    openai.reset();
    anthropicMock.reset();
  });

  it('turn 1 to an OpenAI-format model: a well-formed stream, the dropped hints named, no beta query upstream', async () => {
    openai.reply({ kind: 'answer', text: 'hi there' });
    const stream = streamAs(client, TURN1, 'gpt');
    const starts: number[] = [];
    stream.on('streamEvent', (e) => {
      if (e.type === 'message_start') starts.push(e.message.usage.input_tokens);
    });
    const message = await stream.finalMessage();
    const { response } = await stream.withResponse();
    assert.equal(response.status, 200);
    assert.deepEqual(message.content, [{ type: 'text', text: 'hi there' }]);
    assert.equal(message.stop_reason, 'end_turn');
    const dropped = (response.headers.get('x-switchyard-dropped') ?? '').split(',');
    for (const hint of ['thinking', 'output_config.effort', 'context_management', 'cache_control', 'anthropic-beta']) {
      assert.ok(dropped.includes(hint), `${hint} in x-switchyard-dropped (${dropped.join(',')})`);
    }
    const seen = openai.last();
    assert.equal(seen.status, 200);
    assert.equal(seen.query.toString(), '', '?beta=true is not forwarded to another format');
    assert.equal(seen.headers['anthropic-beta'], undefined);
    assert.equal(seen.body.model, 'gpt-4o-mini');
    assert.equal(seen.body.reasoning_effort, undefined, 'a model that does not reason gets no effort');
    assert.equal((seen.body.tools as unknown[]).length, (TURN1.body.tools as unknown[]).length, 'every tool reaches the model');
    assert.equal(starts.length, 1);
    assert.ok(starts[0] !== undefined && starts[0] > 1000, `message_start carries an estimate of the ~10k-token prompt, got ${String(starts[0])}`);
    assert.equal(message.usage.input_tokens, 11, "message_delta carries the provider's exact count");
  });

  it('effort and a thinking budget become reasoning_effort for a reasoning-flagged entry, max_tokens its ceiling', async () => {
    openai.reply({ kind: 'answer', text: 'ok' }, { kind: 'answer', text: 'ok' });
    const adaptive = streamAs(client, TURN1, 'reasoner');
    await adaptive.finalMessage();
    const first = openai.last().body;
    assert.equal(first.reasoning_effort, 'medium', 'output_config.effort: medium');
    assert.equal(first.max_completion_tokens, 32000, 'Claude Code asks for 64000; the entry allows 32000');
    assert.equal(first.max_tokens, undefined);
    const { response } = await adaptive.withResponse();
    const dropped = response.headers.get('x-switchyard-dropped') ?? '';
    assert.doesNotMatch(dropped, /(^|,)(thinking|output_config\.effort)(,|$)/, 'mapped, not dropped');

    await streamAs(client, SONNET, 'reasoner').finalMessage();
    assert.equal(openai.last().body.reasoning_effort, 'high', 'thinking.budget_tokens 31999 of 64000');
  });

  it('tools and tool_result round-trip over two turns', async () => {
    openai.reply({ kind: 'answer', toolCalls: [{ name: 'Bash', input: { command: 'echo hi', description: 'Print hi' } }] });
    const first = await streamAs(client, TURN1, 'gpt').finalMessage();
    assert.equal(first.stop_reason, 'tool_use');
    const toolUse = first.content.find((b) => b.type === 'tool_use');
    assert.ok(toolUse);
    assert.equal(toolUse.name, 'Bash');
    assert.deepEqual(toolUse.input, { command: 'echo hi', description: 'Print hi' });

    // Turn 2 as Claude Code sent it, around the tool_use this gateway answered with.
    const messages = structuredClone(TURN2.body.messages) as { role: string; content: unknown }[];
    const assistant = messages.find((m) => m.role === 'assistant') as { content: { type: string; id?: string }[] };
    const captured = assistant.content.find((b) => b.type === 'tool_use');
    assert.ok(captured?.id !== undefined);
    const capturedId = captured.id;
    const reply = messages.at(-1) as { content: { type: string; tool_use_id?: string }[] };
    for (const b of assistant.content) if (b.type === 'tool_use') Object.assign(b, { id: toolUse.id, input: toolUse.input });
    for (const b of reply.content) if (b.tool_use_id === capturedId) b.tool_use_id = toolUse.id;

    openai.reply({ kind: 'answer', text: 'It printed hi.' });
    const second = await streamAs(client, { ...TURN2, body: { ...TURN2.body, messages } }, 'gpt').finalMessage();
    assert.equal(second.content.map((b) => (b.type === 'text' ? b.text : b.type)).join(''), 'It printed hi.');

    const sent = openai.last().body.messages as { role: string; tool_calls?: { id: string; function: { name: string; arguments: string } }[]; tool_call_id?: string; content?: unknown }[];
    const call = sent.find((m) => m.role === 'assistant')?.tool_calls?.[0];
    assert.ok(call);
    assert.equal(call.id, toolUse.id);
    assert.equal(call.function.name, 'Bash');
    assert.deepEqual(JSON.parse(call.function.arguments), toolUse.input);
    const result = sent.find((m) => m.role === 'tool');
    assert.ok(result);
    assert.equal(result.tool_call_id, toolUse.id);
    assert.match(JSON.stringify(result.content), /hi/);
    assert.ok(!JSON.stringify(sent).includes('"signature"'), 'the signed thinking block of turn 1 is dropped from the history');
  });

  it('an Anthropic primary answering 429 fails over to the OpenAI-format fallback on the same bodies', async () => {
    for (const c of [TURN1, TURN2, SONNET]) {
      anthropicMock.reply({ kind: 'error', status: 429, message: 'rate limited' });
      openai.reply({ kind: 'answer', text: 'from the fallback' });
      const stream = streamAs(client, c, 'claude');
      const message = await stream.finalMessage();
      const { response } = await stream.withResponse();
      assert.equal(response.headers.get('x-switchyard-model'), 'gpt');
      assert.equal(response.headers.get('x-switchyard-attempts'), '2');
      assert.match(response.headers.get('x-switchyard-dropped') ?? '', /context_management/);
      assert.equal(message.content.map((b) => (b.type === 'text' ? b.text : '')).join(''), 'from the fallback');
      const primary = anthropicMock.last();
      assert.equal(primary.status, 429, 'the Anthropic primary accepted the body as sent (betas, query and all) and answered 429');
      assert.equal(primary.query.get('beta'), 'true');
    }
  });

  it('a background haiku request resolves through the pattern alias', async () => {
    openai.reply({ kind: 'answer', text: 'fast' });
    const stream = streamAs(client, HAIKU, 'claude-haiku-4-5-20251001');
    await stream.finalMessage();
    const { response } = await stream.withResponse();
    assert.equal(response.headers.get('x-switchyard-model'), 'gpt');
  });

  it('count_tokens is forwarded to an Anthropic-format entry, ?beta=true and betas kept', async () => {
    const res = await client.messages.countTokens({ ...COUNT.body, model: 'claude' } as unknown as Anthropic.MessageCountTokensParams, {
      headers: { 'anthropic-beta': COUNT.headers['anthropic-beta'] },
      query: COUNT.query,
    }).withResponse();
    assert.equal(res.response.headers.get('x-switchyard-estimated'), null);
    const seen = anthropicMock.last();
    assert.equal(seen.path, '/v1/messages/count_tokens');
    assert.equal(seen.query.get('beta'), 'true');
    assert.equal(seen.body.model, 'claude-opus-5-5');
    assert.ok(res.data.input_tokens > 0);
  });

  it('count_tokens for an OpenAI-format entry is estimated locally, within 10% of the tokenizer\'s count of the translated prompt', async () => {
    const res = await client.messages.countTokens({ ...COUNT.body, model: 'gpt' } as unknown as Anthropic.MessageCountTokensParams, {
      headers: { 'anthropic-beta': COUNT.headers['anthropic-beta'] },
      query: COUNT.query,
    }).withResponse();
    assert.equal(res.response.headers.get('x-switchyard-estimated'), 'true');
    assert.equal(openai.requests.length, 0, 'no upstream call');

    const translated = anthropicToOpenAIRequest({ ...COUNT.body, model: 'gpt', max_tokens: 1 } as unknown as AnthropicRequest, {
      modelId: 'gpt-4o-mini',
      mode: 'lenient',
      reasoning: false,
      maxOutputTokens: undefined,
    });
    assert.ok(translated.ok);
    const chat = translated.value.messages.map((m) => ({ role: m.role as 'user', content: typeof m.content === 'string' ? m.content : JSON.stringify(m.content) }));
    const reference = encodeChat(chat, 'gpt-4o-mini').length + (translated.value.tools ?? []).reduce((n, t) => n + countTokens(JSON.stringify(t.function)), 0);
    const ratio = res.data.input_tokens / reference;
    assert.ok(ratio > 0.9 && ratio < 1.1, `estimate ${res.data.input_tokens} vs tokenizer ${reference}`);
  });

  describe('with translation: strict on the only fallback', () => {
    let strictGw: TestGateway;
    let strictClient: Anthropic;
    before(async () => {
      strictGw = await startTestGateway(`${listenerYaml()}model_providers:
  - model: anthropic/claude-opus-5-5
    name: claude
    base_url: ${anthropicMock.url}
    access_key: sk-up-anthropic
    retry_policy:
      fallback_models: [gpt-strict]
      on_status_codes:
        - codes: [429]
          strategy: different_provider
          max_attempts: 2
  - model: openai/gpt-4o-mini
    name: gpt-strict
    base_url: ${openai.url}/v1
    access_key: sk-up-openai
    translation: strict
`);
      strictClient = new Anthropic({ baseURL: strictGw.url, apiKey: 'sk-client', maxRetries: 0 });
    });
    after(() => strictGw.close());

    it('sent to the strict entry, Claude Code\'s request gets a 400 naming the field, in Anthropic\'s shape, and nothing is sent', async () => {
      const before = openai.requests.length;
      const err = await streamAs(strictClient, TURN1, 'gpt-strict').finalMessage().then(
        () => assert.fail('expected a refusal'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof Anthropic.APIError, String(err));
      assert.equal(err.status, 400);
      const body = err.error as { type: string; error: { type: string; message: string } };
      assert.equal(body.type, 'error');
      assert.equal(body.error.type, 'invalid_request_error');
      assert.match(body.error.message, /context_management|thinking|output_config|cache_control/);
      assert.equal(openai.requests.length, before);
    });

    it('after the Anthropic primary\'s 429 the strict fallback is ineligible: nothing reaches it, and the client gets the 400 naming the refused field', async () => {
      anthropicMock.reply({ kind: 'error', status: 429, message: 'rate limited' });
      const before = openai.requests.length;
      const err = await streamAs(strictClient, TURN1, 'claude').finalMessage().then(
        () => assert.fail('expected the failover to give up'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof Anthropic.BadRequestError, String(err));
      assert.equal(err.status, 400);
      const report = (err.error as { type: string; error: { type: string; message: string; attempts: { model: string; error_type: string }[] } });
      assert.equal(report.type, 'error');
      assert.equal(report.error.type, 'retry_exhausted');
      assert.match(report.error.message, /(context_management|thinking|output_config|cache_control).*translation: strict/);
      assert.equal(report.error.attempts[0]?.error_type, 'http_429');
      assert.match(report.error.attempts[1]?.error_type ?? '', /^untranslatable_(context_management|thinking|output_config|cache_control)/);
      assert.equal(openai.requests.length, before, 'nothing reached the strict fallback');
    });
  });
});
