// Failover across wire formats, seen through the official SDKs: a primary of
// one format fails (429, 503, or an overloaded error as the first stream
// event) and a fallback of the other format answers; the client never notices.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type OpenAI from 'openai';
import type Anthropic from '@anthropic-ai/sdk';
import { startMockProvider, type MockFormat, type MockProvider, type MockReply } from '../support/mockProviders.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { listenerYaml, sdkClients } from '../support/sdkClients.js';
import { TARGETS, weatherTool } from './harness.js';

const targetOf = (format: MockFormat) => TARGETS.find((t) => t.format === format)!;
const other = (format: MockFormat): MockFormat => (format === 'openai' ? 'anthropic' : 'openai');

function failoverYaml(urls: Record<MockFormat, string>): string {
  const entry = (format: MockFormat): string => {
    const t = targetOf(format);
    return `  - model: ${t.model}
    base_url: ${urls[format]}
    access_key: ${t.accessKey}
    retry_policy:
      fallback_models: [${targetOf(other(format)).model}]
      on_status_codes:
        - codes: [429, 503, 529]
          strategy: different_provider
          max_attempts: 2
`;
  };
  return `${listenerYaml()}model_providers:\n${entry('openai')}${entry('anthropic')}`;
}

interface Scenario {
  readonly primary: MockFormat;
  readonly failure: MockReply;
  readonly label: string;
}

const SCENARIOS: readonly Scenario[] = [
  { primary: 'openai', failure: { kind: 'error', status: 429, message: 'Rate limit reached' }, label: 'OpenAI-format 429 → Anthropic-format' },
  { primary: 'anthropic', failure: { kind: 'error', status: 503, message: 'Service unavailable' }, label: 'Anthropic-format 503 → OpenAI-format' },
];

describe('failover between provider formats, through the SDKs', () => {
  let mocks: Record<MockFormat, MockProvider>;
  let gw: TestGateway;
  let openai: OpenAI;
  let anthropic: Anthropic;
  before(async () => {
    mocks = { openai: await startMockProvider('openai', 'openai-mock'), anthropic: await startMockProvider('anthropic', 'anthropic-mock') };
    gw = await startTestGateway(failoverYaml({ openai: mocks.openai.url, anthropic: mocks.anthropic.url }));
    ({ openai, anthropic } = sdkClients(gw.url));
  });
  after(async () => {
    await gw.close();
    await Promise.all([mocks.openai.close(), mocks.anthropic.close()]);
  });
  beforeEach(() => {
    mocks.openai.reset();
    mocks.anthropic.reset();
  });

  /** The primary failed once in its own format; the fallback got one request in its own format. */
  function assertFailedOver(s: Scenario, status: number): Record<string, unknown> {
    const fallback = other(s.primary);
    assert.deepEqual(mocks[s.primary].requests.map((r) => r.status), [status]);
    assert.equal(mocks[fallback].requests.length, 1);
    const seen = mocks[fallback].last();
    assert.equal(seen.status, 200);
    assert.equal(seen.body.model, targetOf(fallback).upstreamModel);
    return seen.body;
  }

  for (const s of SCENARIOS) {
    const status = s.failure.kind === 'error' ? s.failure.status : 200;
    const fallback = other(s.primary);
    const answer = `Answered by the ${fallback} fallback.`;

    it(`openai SDK, non-streaming: ${s.label}`, async () => {
      mocks[s.primary].reply(s.failure);
      mocks[fallback].reply({ kind: 'answer', text: answer, usage: { input: 4, output: 6 } });
      const { data, response } = await openai.chat.completions
        .create({ model: targetOf(s.primary).model, messages: [{ role: 'system', content: 'Terse.' }, { role: 'user', content: 'Who answers?' }] })
        .withResponse();
      assert.equal(data.choices[0]!.message.content, answer);
      assert.equal(data.model, targetOf(fallback).upstreamModel);
      assert.equal(data.usage?.total_tokens, 10);
      assert.equal(response.headers.get('x-switchyard-model'), targetOf(fallback).model);
      assert.equal(response.headers.get('x-switchyard-attempts'), '2');
      const body = assertFailedOver(s, status);
      if (fallback === 'anthropic') assert.equal(body.system, 'Terse.');
    });

    it(`openai SDK, streaming with a tool call: ${s.label}`, async () => {
      mocks[s.primary].reply(s.failure);
      mocks[fallback].reply({ kind: 'answer', text: answer, toolCalls: [{ name: 'get_weather', input: { city: 'Rome' } }], usage: { input: 4, output: 6 } });
      const final = await openai.chat.completions
        .stream({
          model: targetOf(s.primary).model,
          messages: [{ role: 'user', content: 'Weather in Rome?' }],
          tools: [{ type: 'function', function: { ...weatherTool, parameters: { ...weatherTool.parameters, required: ['city'] } } }],
          stream_options: { include_usage: true },
        })
        .finalChatCompletion();
      const message = final.choices[0]!.message;
      assert.equal(message.content, answer);
      const call = message.tool_calls?.[0];
      assert.ok(call?.type === 'function');
      assert.deepEqual([call.function.name, JSON.parse(call.function.arguments)], ['get_weather', { city: 'Rome' }]);
      assert.equal(final.choices[0]!.finish_reason, 'tool_calls');
      assert.equal(final.usage?.total_tokens, 10);
      const body = assertFailedOver(s, status);
      assert.equal(body.stream, true);
    });

    it(`@anthropic-ai/sdk, non-streaming: ${s.label}`, async () => {
      mocks[s.primary].reply(s.failure);
      mocks[fallback].reply({ kind: 'answer', text: answer, usage: { input: 4, output: 6 } });
      const { data, response } = await anthropic.messages
        .create({ model: targetOf(s.primary).model, max_tokens: 30, system: 'Terse.', messages: [{ role: 'user', content: 'Who answers?' }] })
        .withResponse();
      assert.deepEqual(data.content, [{ type: 'text', text: answer }]);
      assert.equal(data.model, targetOf(fallback).upstreamModel);
      assert.deepEqual([data.usage.input_tokens, data.usage.output_tokens], [4, 6]);
      assert.equal(response.headers.get('x-switchyard-model'), targetOf(fallback).model);
      assert.equal(response.headers.get('x-switchyard-attempts'), '2');
      const body = assertFailedOver(s, status);
      if (fallback === 'openai') assert.deepEqual((body.messages as unknown[])[0], { role: 'system', content: 'Terse.' });
    });

    it(`@anthropic-ai/sdk, streaming: ${s.label}`, async () => {
      mocks[s.primary].reply(s.failure);
      mocks[fallback].reply({ kind: 'answer', text: answer, usage: { input: 4, output: 6 } });
      const texts: string[] = [];
      const stream = anthropic.messages.stream({ model: targetOf(s.primary).model, max_tokens: 30, messages: [{ role: 'user', content: 'Who answers?' }] });
      stream.on('text', (t) => texts.push(t));
      const final = await stream.finalMessage();
      assert.deepEqual(final.content.map((b) => (b.type === 'text' ? b.text : b.type)), [answer]);
      assert.equal(final.stop_reason, 'end_turn');
      assert.equal(final.usage.output_tokens, 6);
      assert.ok(texts.length > 1);
      assertFailedOver(s, status);
    });
  }

  it('an overloaded error as the first event of an Anthropic-format stream fails over to the OpenAI-format fallback, for both SDKs', async () => {
    const overloaded: MockReply = { kind: 'stream-error', message: 'Overloaded' };
    const s: Scenario = { primary: 'anthropic', failure: overloaded, label: '' };
    mocks.anthropic.reply(overloaded);
    mocks.openai.reply({ kind: 'answer', text: 'Fallback speaking.' });
    const viaOpenAI = await openai.chat.completions
      .stream({ model: targetOf('anthropic').model, messages: [{ role: 'user', content: 'hi' }] })
      .finalChatCompletion();
    assert.equal(viaOpenAI.choices[0]!.message.content, 'Fallback speaking.');
    assertFailedOver(s, 200);

    mocks.anthropic.reset();
    mocks.openai.reset();
    mocks.anthropic.reply(overloaded);
    mocks.openai.reply({ kind: 'answer', text: 'Fallback speaking.' });
    const viaAnthropic = await anthropic.messages
      .stream({ model: targetOf('anthropic').model, max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] })
      .finalMessage();
    assert.deepEqual(viaAnthropic.content, [{ type: 'text', text: 'Fallback speaking.' }]);
    assertFailedOver(s, 200);
  });
});
