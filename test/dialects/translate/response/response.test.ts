import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { anthropicToOpenAIResponse } from '../../../../src/dialects/translate/response/toOpenAI.js';
import { openAIToAnthropicResponse } from '../../../../src/dialects/translate/response/toAnthropic.js';
import type { AnthropicResponse } from '../../../../src/dialects/anthropic/types.js';
import type { OpenAIResponse } from '../../../../src/dialects/openai/types.js';

const clock = { now: () => 1_700_000_000_500 };

const anthropic = (over: Partial<AnthropicResponse> = {}): AnthropicResponse => ({
  id: 'msg_01',
  type: 'message',
  role: 'assistant',
  model: 'claude-sonnet-4-20250514',
  content: [{ type: 'text', text: 'Hello' }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: { input_tokens: 10, output_tokens: 5 },
  ...over,
});

const openai = (over: Partial<OpenAIResponse['choices'][number]> = {}, usage?: OpenAIResponse['usage']): OpenAIResponse => ({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1,
  model: 'gpt-4o-2024-08-06',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hello', refusal: null }, finish_reason: 'stop', logprobs: null, ...over }],
  usage: usage ?? { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
});

describe('anthropicToOpenAIResponse', () => {
  it('maps text, id, the upstream model, created from the clock and usage', () => {
    assert.deepEqual(anthropicToOpenAIResponse(anthropic(), clock), {
      id: 'msg_01',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: 'claude-sonnet-4-20250514',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hello', refusal: null }, finish_reason: 'stop', logprobs: null }],
      usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15, prompt_tokens_details: { cached_tokens: 0 } },
    });
  });

  it('maps tool_use blocks to tool_calls with JSON-string arguments', () => {
    const out = anthropicToOpenAIResponse(
      anthropic({
        content: [
          { type: 'tool_use', id: 'toolu_1', name: 'get', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'toolu_2', name: 'get', input: { city: 'Rome' } },
        ],
        stop_reason: 'tool_use',
      }),
      clock,
    );
    const choice = out.choices[0]!;
    assert.equal(choice.finish_reason, 'tool_calls');
    assert.equal(choice.message.content, null);
    assert.deepEqual(choice.message.tool_calls, [
      { id: 'toolu_1', type: 'function', function: { name: 'get', arguments: '{"city":"Paris"}' } },
      { id: 'toolu_2', type: 'function', function: { name: 'get', arguments: '{"city":"Rome"}' } },
    ]);
  });

  it('maps every stop_reason; stop_sequence becomes stop (documented loss of which sequence)', () => {
    const cases = [
      ['end_turn', 'stop'],
      ['stop_sequence', 'stop'],
      ['max_tokens', 'length'],
      ['tool_use', 'tool_calls'],
      ['refusal', 'content_filter'],
      ['pause_turn', 'stop'],
      ['model_context_window_exceeded', 'length'],
    ] as const;
    for (const [reason, finish] of cases) {
      const out = anthropicToOpenAIResponse(anthropic({ stop_reason: reason, stop_sequence: reason === 'stop_sequence' ? '###' : null }), clock);
      assert.equal(out.choices[0]!.finish_reason, finish, reason);
    }
  });

  it('counts cache reads and writes in prompt_tokens, reports reads as cached_tokens (writes: documented loss)', () => {
    const out = anthropicToOpenAIResponse(
      anthropic({ usage: { input_tokens: 10, output_tokens: 5, cache_read_input_tokens: 100, cache_creation_input_tokens: 20 } }),
      clock,
    );
    assert.deepEqual(out.usage, { prompt_tokens: 130, completion_tokens: 5, total_tokens: 135, prompt_tokens_details: { cached_tokens: 100 } });
  });

  it('joins text blocks and drops thinking blocks (documented losses)', () => {
    const out = anthropicToOpenAIResponse(
      anthropic({ content: [{ type: 'thinking', thinking: 'hmm', signature: 's' }, { type: 'text', text: 'a' }, { type: 'text', text: 'b' }] }),
      clock,
    );
    assert.equal(out.choices[0]!.message.content, 'ab');
  });
});

describe('openAIToAnthropicResponse', () => {
  it('maps text, id, the upstream model and usage', () => {
    assert.deepEqual(openAIToAnthropicResponse(openai()), {
      id: 'chatcmpl-1',
      type: 'message',
      role: 'assistant',
      model: 'gpt-4o-2024-08-06',
      content: [{ type: 'text', text: 'Hello' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 10, output_tokens: 5, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    });
  });

  it('maps tool_calls to tool_use with parsed input; unparseable arguments stay visible (documented)', () => {
    const out = openAIToAnthropicResponse(
      openai({
        message: {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'get', arguments: '{"city":"Paris"}' } },
            { id: 'call_2', type: 'function', function: { name: 'get', arguments: '{"city":' } },
          ],
        },
        finish_reason: 'tool_calls',
      }),
    );
    assert.equal(out.stop_reason, 'tool_use');
    assert.deepEqual(out.content, [
      { type: 'tool_use', id: 'call_1', name: 'get', input: { city: 'Paris' } },
      { type: 'tool_use', id: 'call_2', name: 'get', input: { _unparsed_arguments: '{"city":' } },
    ]);
  });

  it('maps finish reasons; "stop" always becomes end_turn (documented loss: stop sequences indistinguishable)', () => {
    const cases = [
      ['stop', 'end_turn'],
      ['length', 'max_tokens'],
      ['tool_calls', 'tool_use'],
      ['function_call', 'tool_use'],
      ['content_filter', 'refusal'],
    ] as const;
    for (const [finish, reason] of cases) assert.equal(openAIToAnthropicResponse(openai({ finish_reason: finish })).stop_reason, reason, finish);
  });

  it('turns a refusal into text with stop_reason refusal', () => {
    const out = openAIToAnthropicResponse(openai({ message: { role: 'assistant', content: null, refusal: 'No.' } }));
    assert.deepEqual(out.content, [{ type: 'text', text: 'No.' }]);
    assert.equal(out.stop_reason, 'refusal');
  });

  it('splits cached prompt tokens out of input_tokens; cache writes are unknown (0)', () => {
    const out = openAIToAnthropicResponse(
      openai({}, { prompt_tokens: 130, completion_tokens: 5, total_tokens: 135, prompt_tokens_details: { cached_tokens: 100 } }),
    );
    assert.deepEqual(out.usage, { input_tokens: 30, output_tokens: 5, cache_creation_input_tokens: 0, cache_read_input_tokens: 100 });
  });
});
