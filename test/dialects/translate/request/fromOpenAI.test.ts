import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_MAX_TOKENS, openAIToAnthropicRequest } from '../../../../src/dialects/translate/request/fromOpenAI.js';
import { target } from './targets.js';
import type { AnthropicRequest } from '../../../../src/dialects/anthropic/types.js';
import type { OpenAIRequest } from '../../../../src/dialects/openai/types.js';

const translate = (req: Partial<OpenAIRequest> & Record<string, unknown>): AnthropicRequest => {
  const result = openAIToAnthropicRequest({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], ...req }, target('claude-up'));
  assert.ok(result.ok, result.ok ? '' : `${result.field}: ${result.message}`);
  return result.value;
};

const refusal = (req: Record<string, unknown>): { field: string; message: string } => {
  const result = openAIToAnthropicRequest({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], ...req }, target('claude-up'));
  assert.equal(result.ok, false);
  return result;
};

describe('openAIToAnthropicRequest: parameters', () => {
  it('uses the upstream model id and the documented max_tokens default', () => {
    const out = translate({});
    assert.equal(out.model, 'claude-up');
    assert.equal(out.max_tokens, DEFAULT_MAX_TOKENS);
    assert.equal(DEFAULT_MAX_TOKENS, 4096);
  });

  it('maps max_tokens, and prefers max_completion_tokens', () => {
    assert.equal(translate({ max_tokens: 100 }).max_tokens, 100);
    assert.equal(translate({ max_tokens: 100, max_completion_tokens: 50 }).max_tokens, 50);
  });

  it('maps temperature, top_p, stream and user', () => {
    const out = translate({ temperature: 0.5, top_p: 0.9, stream: true, user: 'u-1' });
    assert.equal(out.temperature, 0.5);
    assert.equal(out.top_p, 0.9);
    assert.equal(out.stream, true);
    assert.deepEqual(out.metadata, { user_id: 'u-1' });
  });

  it('refuses temperature above Anthropic’s range, naming the field', () => {
    assert.equal(refusal({ temperature: 1.5 }).field, 'temperature');
  });

  it('maps stop as a string or an array to stop_sequences', () => {
    assert.deepEqual(translate({ stop: 'END' }).stop_sequences, ['END']);
    assert.deepEqual(translate({ stop: ['a', 'b'] }).stop_sequences, ['a', 'b']);
    assert.equal(translate({ stop: null }).stop_sequences, undefined);
  });

  it('accepts stream_options (the caller reads include_usage) without sending it upstream', () => {
    const out = translate({ stream: true, stream_options: { include_usage: true } });
    assert.equal('stream_options' in out, false);
  });

  for (const [field, value] of [
    ['n', 2],
    ['logprobs', true],
    ['top_logprobs', 3],
    ['modalities', ['text', 'audio']],
    ['audio', { voice: 'alloy', format: 'mp3' }],
    ['frequency_penalty', 0.5],
    ['presence_penalty', 1],
    ['seed', 42],
    ['logit_bias', { '50256': -100 }],
    ['response_format', { type: 'json_object' }],
    ['some_future_field', true],
  ] as const) {
    it(`refuses ${field} = ${JSON.stringify(value)}, naming the field`, () => {
      const r = refusal({ [field]: value });
      assert.equal(r.field, field);
      assert.match(r.message, new RegExp(field));
    });
  }

  it('accepts the no-op values of fields Anthropic lacks', () => {
    translate({ n: 1, logprobs: false, frequency_penalty: 0, presence_penalty: 0, modalities: ['text'], response_format: { type: 'text' } });
  });

  it('drops platform-only fields (store, service_tier, metadata) — documented loss', () => {
    const out = translate({ store: true, service_tier: 'auto', metadata: { k: 'v' } });
    assert.equal(out.metadata, undefined);
    assert.equal('store' in out || 'service_tier' in out, false);
  });
});

describe('openAIToAnthropicRequest: messages', () => {
  it('concatenates every system and developer message into system, in order (not last-wins)', () => {
    const out = translate({
      messages: [
        { role: 'system', content: 'first' },
        { role: 'user', content: 'q' },
        { role: 'developer', content: [{ type: 'text', text: 'second' }] },
      ],
    });
    assert.deepEqual(out.system, [
      { type: 'text', text: 'first' },
      { type: 'text', text: 'second' },
    ]);
    assert.deepEqual(out.messages, [{ role: 'user', content: 'q' }]);
  });

  it('sends a single system message as a plain string', () => {
    assert.equal(translate({ messages: [{ role: 'system', content: 's' }, { role: 'user', content: 'q' }] }).system, 's');
  });

  it('merges consecutive messages of the same role into one turn', () => {
    const out = translate({ messages: [{ role: 'user', content: 'a' }, { role: 'user', content: [{ type: 'text', text: 'b' }] }] });
    assert.deepEqual(out.messages, [
      { role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] },
    ]);
  });

  it('maps http(s) and base64 data: image URLs to image sources; detail is dropped (documented loss)', () => {
    const out = translate({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image_url', image_url: { url: 'https://x.test/cat.png', detail: 'high' } },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          ],
        },
      ],
    });
    assert.deepEqual(out.messages[0]?.content, [
      { type: 'image', source: { type: 'url', url: 'https://x.test/cat.png' } },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
    ]);
  });

  it('refuses other image URL schemes and unknown part types, naming the part', () => {
    const r = refusal({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'ftp://x/y.png' } }] }] });
    assert.equal(r.field, 'messages[0].content[0].image_url.url');
    const audio = refusal({ messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: '', format: 'wav' } }] }] });
    assert.equal(audio.field, 'messages[0].content[0].type');
  });

  it('drops message names (documented loss)', () => {
    const out = translate({ messages: [{ role: 'user', content: 'hi', name: 'alice' }] });
    assert.deepEqual(out.messages, [{ role: 'user', content: 'hi' }]);
  });

  it('turns assistant tool_calls into tool_use blocks and tool results into one merged user turn', () => {
    const out = translate({
      messages: [
        { role: 'user', content: 'weather?' },
        {
          role: 'assistant',
          content: 'checking',
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'get', arguments: '{"city":"Paris"}' } },
            { id: 'call_2', type: 'function', function: { name: 'get', arguments: '{"city":"Rome"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: 'sunny' },
        { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: 'rain' }] },
      ],
    });
    assert.deepEqual(out.messages.slice(1), [
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'checking' },
          { type: 'tool_use', id: 'call_1', name: 'get', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'call_2', name: 'get', input: { city: 'Rome' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call_1', content: 'sunny' },
          { type: 'tool_result', tool_use_id: 'call_2', content: [{ type: 'text', text: 'rain' }] },
        ],
      },
    ]);
  });

  it('refuses tool-call arguments that are not a JSON object', () => {
    const r = refusal({
      messages: [{ role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{oops' } }] }],
    });
    assert.equal(r.field, 'messages[0].tool_calls[0].function.arguments');
  });

  it('pairs legacy function_call / function messages through a synthetic id', () => {
    const out = translate({
      messages: [
        { role: 'user', content: 'q' },
        { role: 'assistant', content: null, function_call: { name: 'f', arguments: '{}' } },
        { role: 'function', name: 'f', content: 'r' },
      ],
    });
    assert.deepEqual(out.messages.slice(1), [
      { role: 'assistant', content: [{ type: 'tool_use', id: 'call_legacy_1', name: 'f', input: {} }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_legacy_1', content: 'r' }] },
    ]);
  });

  it('turns assistant refusals into plain text and omits empty assistant messages (documented losses)', () => {
    const out = translate({
      messages: [
        { role: 'user', content: 'a' },
        { role: 'assistant', content: null, refusal: 'I cannot' },
        { role: 'user', content: 'b' },
        { role: 'assistant', content: null },
      ],
    });
    assert.deepEqual(out.messages, [
      { role: 'user', content: 'a' },
      { role: 'assistant', content: [{ type: 'text', text: 'I cannot' }] },
      { role: 'user', content: 'b' },
    ]);
  });
});

describe('openAIToAnthropicRequest: tools', () => {
  const fn = { type: 'function' as const, function: { name: 'get', description: 'd', parameters: { type: 'object', properties: { a: { type: 'string' } } } } };

  it('maps tools to input_schema; strict is dropped (documented loss); missing parameters get an empty object schema', () => {
    const out = translate({ tools: [{ ...fn, function: { ...fn.function, strict: true } }, { type: 'function', function: { name: 'bare' } }] });
    assert.deepEqual(out.tools, [
      { name: 'get', description: 'd', input_schema: fn.function.parameters },
      { name: 'bare', input_schema: { type: 'object', properties: {} } },
    ]);
  });

  it('maps legacy functions and function_call', () => {
    const out = translate({ functions: [fn.function], function_call: { name: 'get' } });
    assert.equal(out.tools?.[0]?.name, 'get');
    assert.deepEqual(out.tool_choice, { type: 'tool', name: 'get' });
  });

  it('maps tool_choice auto/none/required/named', () => {
    assert.deepEqual(translate({ tools: [fn], tool_choice: 'auto' }).tool_choice, { type: 'auto' });
    assert.deepEqual(translate({ tools: [fn], tool_choice: 'none' }).tool_choice, { type: 'none' });
    assert.deepEqual(translate({ tools: [fn], tool_choice: 'required' }).tool_choice, { type: 'any' });
    assert.deepEqual(translate({ tools: [fn], tool_choice: { type: 'function', function: { name: 'get' } } }).tool_choice, {
      type: 'tool',
      name: 'get',
    });
  });

  it('maps parallel_tool_calls: false to disable_parallel_tool_use', () => {
    assert.deepEqual(translate({ tools: [fn], parallel_tool_calls: false }).tool_choice, { type: 'auto', disable_parallel_tool_use: true });
    assert.deepEqual(translate({ tools: [fn], tool_choice: 'required', parallel_tool_calls: false }).tool_choice, {
      type: 'any',
      disable_parallel_tool_use: true,
    });
    assert.equal(translate({ tools: [fn], parallel_tool_calls: true }).tool_choice, undefined);
  });

  it('refuses non-function tools and tools+functions together', () => {
    assert.equal(refusal({ tools: [{ type: 'custom', custom: { name: 'x' } }] }).field, 'tools[0].type');
    assert.equal(refusal({ tools: [fn], functions: [fn.function] }).field, 'functions');
  });
});
