// The Responses request translation, to Chat Completions and through it to
// Messages: what maps, which hints are dropped and named, which contracts are
// refused naming the field.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { responsesToChatRequest, responsesToMessagesRequest, type ResponsesRequest } from '../../../../src/dialects/index.js';

type Body = Record<string, unknown>;

function chat(req: ResponsesRequest): { value: Body; dropped: readonly string[] } {
  const t = responsesToChatRequest(req, 'up-model');
  assert.ok(t.ok, t.ok ? '' : `${t.field}: ${t.message}`);
  return { value: t.value as unknown as Body, dropped: t.dropped };
}

function messages(req: ResponsesRequest): { value: Body; dropped: readonly string[] } {
  const t = responsesToMessagesRequest(req, 'claude-up');
  assert.ok(t.ok, t.ok ? '' : `${t.field}: ${t.message}`);
  return { value: t.value as unknown as Body, dropped: t.dropped };
}

function refusedField(t: ReturnType<typeof responsesToChatRequest> | ReturnType<typeof responsesToMessagesRequest>): string {
  assert.ok(!t.ok, 'refused');
  return t.field;
}

describe('responsesToChatRequest', () => {
  it('instructions, a string input and the sampling fields', () => {
    const { value, dropped } = chat({ model: 'x', instructions: 'Be brief.', input: 'Hi', max_output_tokens: 40, temperature: 0.2, top_p: 0.9, user: 'u1' });
    assert.deepEqual(value, {
      model: 'up-model',
      messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }],
      max_tokens: 40,
      temperature: 0.2,
      top_p: 0.9,
      user: 'u1',
    });
    assert.deepEqual(dropped, []);
  });

  it('function calls and their outputs: one assistant message with both calls, then the tool messages', () => {
    const { value } = chat({
      input: [
        { role: 'user', content: [{ type: 'input_text', text: 'Paris and Rome?' }, { type: 'input_image', image_url: 'https://x/y.png', detail: 'low' }] },
        { type: 'function_call', call_id: 'c1', name: 'weather', arguments: '{"city":"Paris"}' },
        { type: 'function_call', call_id: 'c2', name: 'weather', arguments: '{"city":"Rome"}' },
        { type: 'function_call_output', call_id: 'c1', output: 'sunny' },
        { type: 'function_call_output', call_id: 'c2', output: [{ type: 'input_text', text: 'rain' }] },
      ] as ResponsesRequest['input'],
    });
    assert.deepEqual(value.messages, [
      { role: 'user', content: [{ type: 'text', text: 'Paris and Rome?' }, { type: 'image_url', image_url: { url: 'https://x/y.png', detail: 'low' } }] },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'c1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } },
          { id: 'c2', type: 'function', function: { name: 'weather', arguments: '{"city":"Rome"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'c1', content: 'sunny' },
      { role: 'tool', tool_call_id: 'c2', content: [{ type: 'text', text: 'rain' }] },
    ]);
  });

  it('namespace tools are flattened, custom tools become a function of one string', () => {
    const { value } = chat({
      input: 'go',
      tools: [
        { type: 'namespace', name: 'shell', tools: [{ type: 'function', name: 'run', parameters: { type: 'object', properties: {} } }] },
        { type: 'custom', name: 'apply_patch', description: 'Patch files.' },
      ] as ResponsesRequest['tools'],
      tool_choice: { type: 'function', name: 'run', namespace: 'shell' },
    });
    const tools = value.tools as { function: Body }[];
    assert.deepEqual(tools.map((t) => t.function.name), ['shell__run', 'apply_patch']);
    assert.deepEqual((tools[1]?.function.parameters as Body).required, ['input']);
    assert.deepEqual(value.tool_choice, { type: 'function', function: { name: 'shell__run' } });
  });

  it('hints are dropped and named, each once', () => {
    const { value, dropped } = chat({
      input: [{ type: 'reasoning', id: 'rs_1', summary: [] }, { role: 'user', content: 'hi' }] as ResponsesRequest['input'],
      tools: [{ type: 'web_search' }, { type: 'file_search' }] as ResponsesRequest['tools'],
      include: ['reasoning.encrypted_content'],
      prompt_cache_key: 'k',
      reasoning: { effort: 'high', summary: 'auto' },
      text: { verbosity: 'low' },
    });
    assert.deepEqual([...dropped].sort(), ['include', 'input.reasoning', 'prompt_cache_key', 'reasoning.summary', 'text.verbosity', 'tools.file_search', 'tools.web_search']);
    assert.equal(value.reasoning_effort, 'high', 'reasoning.effort is kept where the target supports it');
    assert.equal(value.tools, undefined, 'no tool left to offer');
  });

  it('text.format json_schema and json_object become response_format', () => {
    const schema = { type: 'object', properties: {} };
    assert.deepEqual(chat({ input: 'x', text: { format: { type: 'json_schema', name: 'n', schema, strict: true } } }).value.response_format, {
      type: 'json_schema',
      json_schema: { name: 'n', schema, strict: true },
    });
    assert.deepEqual(chat({ input: 'x', text: { format: { type: 'json_object' } } }).value.response_format, { type: 'json_object' });
  });

  it('a stream asks for usage, which a Response always reports', () => {
    assert.deepEqual(chat({ input: 'x', stream: true }).value.stream_options, { include_usage: true });
  });

  it('contracts are refused naming the field', () => {
    assert.equal(refusedField(responsesToChatRequest({ input: 'x', tools: [{ type: 'web_search' }] as ResponsesRequest['tools'], tool_choice: { type: 'web_search' } }, 'm')), 'tool_choice');
    assert.equal(refusedField(responsesToChatRequest({ input: 'x', conversation: 'conv_1' }, 'm')), 'conversation');
    assert.equal(refusedField(responsesToChatRequest({ input: [{ type: 'computer_call', call_id: 'c' }] as unknown as ResponsesRequest['input'] }, 'm')), 'input[0]');
    assert.equal(refusedField(responsesToChatRequest({ input: [{ role: 'user', content: [{ type: 'input_file', file_id: 'f' }] }] as unknown as ResponsesRequest['input'] }, 'm')), 'input[0].content[0]');
    assert.equal(refusedField(responsesToChatRequest({ input: 'x', tools: [{ type: 'web_search' }] as ResponsesRequest['tools'], tool_choice: 'required' }, 'm')), 'tool_choice');
  });
});

describe('responsesToMessagesRequest', () => {
  it('goes through Chat Completions: system, messages and max_tokens in Messages form', () => {
    const { value } = messages({ instructions: 'Be brief.', input: 'Hi', max_output_tokens: 64 });
    assert.equal(value.model, 'claude-up');
    assert.equal(value.system, 'Be brief.');
    assert.deepEqual(value.messages, [{ role: 'user', content: 'Hi' }]);
    assert.equal(value.max_tokens, 64);
    assert.equal(value.stream_options, undefined);
  });

  it('reasoning.effort is a hint here', () => {
    assert.deepEqual(messages({ input: 'x', reasoning: { effort: 'low' } }).dropped, ['reasoning.effort']);
  });

  it('a structured-output text.format is a contract Messages cannot keep', () => {
    assert.equal(refusedField(responsesToMessagesRequest({ input: 'x', text: { format: { type: 'json_object' } } }, 'm')), 'text.format');
  });
});
