// The mock providers, checked against the official SDKs with no gateway in
// between: if an SDK can read a mock's JSON, SSE and errors, the mock speaks
// the real wire format, and the gateway tests that use it prove something.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { startMockProvider, type MockProvider } from '../support/mockProviders.js';

const weather = { name: 'get_weather', input: { city: 'Paris', unit: 'c' } };
const time = { name: 'get_time', input: { zone: 'Europe/Paris' } };

describe('OpenAI-format mock, read by the openai SDK', () => {
  let mock: MockProvider;
  let client: OpenAI;
  before(async () => {
    mock = await startMockProvider('openai');
    client = new OpenAI({ baseURL: `${mock.url}/v1`, apiKey: 'sk-direct', maxRetries: 0 });
  });
  after(() => mock.close());

  it('answers a completion with usage and honours stop', async () => {
    mock.reply({ kind: 'answer', text: 'one two STOP three', usage: { input: 10, output: 4, cacheRead: 6 } });
    const res = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], stop: ['STOP'] });
    assert.equal(res.choices[0]!.message.content, 'one two ');
    assert.equal(res.choices[0]!.finish_reason, 'stop');
    assert.deepEqual([res.usage?.prompt_tokens, res.usage?.completion_tokens, res.usage?.prompt_tokens_details?.cached_tokens], [16, 4, 6]);
  });

  it('streams text and parallel tool calls that the stream helper accumulates', async () => {
    mock.reply({ kind: 'answer', text: 'Checking both. ', toolCalls: [weather, time], usage: { input: 3, output: 9 } });
    const stream = client.chat.completions.stream({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'hi' }],
      stream_options: { include_usage: true },
    });
    const final = await stream.finalChatCompletion();
    const msg = final.choices[0]!.message;
    assert.equal(msg.content, 'Checking both. ');
    assert.deepEqual(
      msg.tool_calls?.map((c) => [c.function.name, JSON.parse(c.function.arguments) as unknown]),
      [['get_weather', weather.input], ['get_time', time.input]],
    );
    assert.equal(final.choices[0]!.finish_reason, 'tool_calls');
    assert.equal(final.usage?.total_tokens, 12);
  });

  it('rejects what the real API rejects, in its error shape', async () => {
    mock.reply({ kind: 'error', status: 429, message: 'slow down' });
    await assert.rejects(client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] }), (err: unknown) => {
      assert.ok(err instanceof OpenAI.RateLimitError);
      assert.equal(err.message, '429 slow down');
      return true;
    });
    await assert.rejects(
      client.chat.completions.create({ model: 'm', messages: [{ role: 'tool', tool_call_id: 'nope', content: 'x' }] }),
      (err: unknown) => err instanceof OpenAI.BadRequestError && /preceeding message with 'tool_calls'/.test(err.message),
    );
    await assert.rejects(
      client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }], top_k: 3 } as never),
      (err: unknown) => err instanceof OpenAI.BadRequestError && /Unrecognized request argument supplied: top_k/.test(err.message),
    );
  });
});

describe('Anthropic-format mock, read by the @anthropic-ai/sdk SDK', () => {
  let mock: MockProvider;
  let client: Anthropic;
  before(async () => {
    mock = await startMockProvider('anthropic');
    client = new Anthropic({ baseURL: mock.url, apiKey: 'sk-ant-direct', maxRetries: 0 });
  });
  after(() => mock.close());

  it('answers a message with usage and reports the stop sequence that matched', async () => {
    mock.reply({ kind: 'answer', text: 'one two STOP three', usage: { input: 10, output: 4, cacheRead: 6, cacheWrite: 2 } });
    const res = await client.messages.create({
      model: 'claude-test',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'hi' }],
      stop_sequences: ['STOP'],
    });
    assert.deepEqual(res.content.map((b) => (b.type === 'text' ? b.text : b.type)), ['one two ']);
    assert.equal(res.stop_reason, 'stop_sequence');
    assert.equal(res.stop_sequence, 'STOP');
    assert.deepEqual([res.usage.input_tokens, res.usage.cache_read_input_tokens, res.usage.cache_creation_input_tokens], [10, 6, 2]);
  });

  it('streams named events that the stream helper accumulates, tool inputs included', async () => {
    mock.reply({ kind: 'answer', text: 'Checking both. ', toolCalls: [weather, time], usage: { input: 3, output: 9 } });
    const stream = client.messages.stream({ model: 'claude-test', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] });
    const seen = new Set<string>();
    stream.on('streamEvent', (ev) => seen.add(ev.type));
    const final = await stream.finalMessage();
    assert.deepEqual(
      final.content.map((b) => (b.type === 'text' ? b.text : b.type === 'tool_use' ? [b.name, b.input] : b.type)),
      ['Checking both. ', ['get_weather', weather.input], ['get_time', time.input]],
    );
    assert.equal(final.stop_reason, 'tool_use');
    assert.deepEqual([final.usage.input_tokens, final.usage.output_tokens], [3, 9]);
    assert.deepEqual([...seen].sort(), ['content_block_delta', 'content_block_start', 'content_block_stop', 'message_delta', 'message_start', 'message_stop']);
  });

  it('rejects what the real API rejects, in its error shape', async () => {
    mock.reply({ kind: 'error', status: 529, message: 'Overloaded' });
    await assert.rejects(client.messages.create({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }), (err: unknown) => {
      assert.ok(err instanceof Anthropic.APIError);
      assert.equal(err.status, 529);
      assert.deepEqual((err.error as { error: unknown }).error, { type: 'overloaded_error', message: 'Overloaded' });
      return true;
    });
    await assert.rejects(
      client.messages.create({
        model: 'm',
        max_tokens: 5,
        messages: [
          { role: 'user', content: 'a' },
          { role: 'user', content: 'b' },
        ],
      }),
      (err: unknown) => err instanceof Anthropic.BadRequestError && /roles must alternate/.test(err.message),
    );
    await assert.rejects(
      client.messages.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] } as never),
      (err: unknown) => err instanceof Anthropic.BadRequestError && /max_tokens: Field required/.test(err.message),
    );
  });
});
