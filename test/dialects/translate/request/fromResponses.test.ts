// The Responses request translation, to Chat Completions and through it to
// Messages: what maps, which hints are dropped and named, which contracts are
// refused naming the field.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { responsesToChatRequest, responsesToMessagesRequest, type ResponsesRequest, type TranslationTarget } from '../../../../src/dialects/index.js';

type Body = Record<string, unknown>;

const target = (modelId: string, extra: Partial<TranslationTarget> = {}): TranslationTarget => ({
  modelId,
  mode: 'lenient',
  reasoning: false,
  maxOutputTokens: undefined,
  ...extra,
});
const m = target('m');
const strict = target('m', { mode: 'strict' });

function chat(req: ResponsesRequest, into: TranslationTarget = target('up-model', { reasoning: true })): { value: Body; dropped: readonly string[] } {
  const t = responsesToChatRequest(req, into);
  assert.ok(t.ok, t.ok ? '' : `${t.field}: ${t.message}`);
  return { value: t.value as unknown as Body, dropped: t.dropped };
}

function messages(req: ResponsesRequest, into: TranslationTarget = target('claude-up')): { value: Body; dropped: readonly string[] } {
  const t = responsesToMessagesRequest(req, into);
  assert.ok(t.ok, t.ok ? '' : `${t.field}: ${t.message}`);
  return { value: t.value as unknown as Body, dropped: t.dropped };
}

function refusedField(t: ReturnType<typeof responsesToChatRequest> | ReturnType<typeof responsesToMessagesRequest>): string {
  assert.ok(!t.ok, 'refused');
  return t.field;
}

describe('responsesToChatRequest', () => {
  it('instructions, a string input and the sampling fields', () => {
    const { value, dropped } = chat({ model: 'x', instructions: 'Be brief.', input: 'Hi', max_output_tokens: 40, temperature: 0.2, top_p: 0.9, user: 'u1' }, target('up-model'));
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

  it('reasoning.effort is mapped for a reasoning entry only, and dropped as a hint otherwise', () => {
    const reasoning = chat({ input: 'x', reasoning: { effort: 'low' }, max_output_tokens: 900 }, target('o', { reasoning: true, maxOutputTokens: 500 }));
    assert.equal(reasoning.value.reasoning_effort, 'low');
    assert.equal(reasoning.value.max_completion_tokens, 500, "a reasoning model's token limit, lowered to the entry's max_output_tokens");
    assert.equal(reasoning.value.max_tokens, undefined);
    const plain = chat({ input: 'x', reasoning: { effort: 'low' } }, target('qwen'));
    assert.equal(plain.value.reasoning_effort, undefined);
    assert.deepEqual(plain.dropped, ['reasoning.effort']);
  });

  it('translation: strict refuses each hint, naming the field', () => {
    const field = (req: ResponsesRequest) => refusedField(responsesToChatRequest(req, strict));
    assert.equal(field({ input: 'x', include: ['reasoning.encrypted_content'] }), 'include');
    assert.equal(field({ input: 'x', prompt_cache_key: 'k' }), 'prompt_cache_key');
    assert.equal(field({ input: 'x', reasoning: { summary: 'auto' } }), 'reasoning.summary');
    assert.equal(field({ input: 'x', reasoning: { effort: 'high' } }), 'reasoning.effort', 'on an entry that does not reason');
    assert.equal(field({ input: 'x', tools: [{ type: 'web_search' }] as ResponsesRequest['tools'] }), 'tools');
    assert.equal(field({ input: [{ type: 'reasoning', id: 'rs_1', summary: [] }, { role: 'user', content: 'hi' }] as ResponsesRequest['input'] }), 'input[0]');
    assert.equal(field({ input: 'x', text: { verbosity: 'low' } }), 'text.verbosity');
    assert.ok(responsesToChatRequest({ input: 'x', temperature: 0.3 }, strict).ok, 'nothing to drop: strict translates as usual');
  });

  it('a stream asks for usage, which a Response always reports', () => {
    assert.deepEqual(chat({ input: 'x', stream: true }).value.stream_options, { include_usage: true });
  });

  it('contracts are refused naming the field', () => {
    assert.equal(refusedField(responsesToChatRequest({ input: 'x', tools: [{ type: 'web_search' }] as ResponsesRequest['tools'], tool_choice: { type: 'web_search' } }, m)), 'tool_choice');
    assert.equal(refusedField(responsesToChatRequest({ input: 'x', conversation: 'conv_1' }, m)), 'conversation');
    assert.equal(refusedField(responsesToChatRequest({ input: [{ type: 'computer_call', call_id: 'c' }] as unknown as ResponsesRequest['input'] }, m)), 'input[0]');
    assert.equal(refusedField(responsesToChatRequest({ input: [{ role: 'user', content: [{ type: 'input_file', file_id: 'f' }] }] as unknown as ResponsesRequest['input'] }, m)), 'input[0].content[0]');
    assert.equal(refusedField(responsesToChatRequest({ input: 'x', tools: [{ type: 'web_search' }] as ResponsesRequest['tools'], tool_choice: 'required' }, m)), 'tool_choice');
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

  it('reasoning.effort is a hint on an entry that does not reason, named as the client sent it', () => {
    assert.deepEqual(messages({ input: 'x', reasoning: { effort: 'low' } }).dropped, ['reasoning.effort']);
  });

  it('reasoning.effort becomes a thinking budget on a reasoning entry, max_tokens lowered to its ceiling', () => {
    const { value, dropped } = messages({ input: 'x', reasoning: { effort: 'low' }, max_output_tokens: 64000 }, target('claude-up', { reasoning: true, maxOutputTokens: 32000 }));
    assert.equal(value.max_tokens, 32000);
    assert.deepEqual(value.thinking, { type: 'enabled', budget_tokens: 4096 });
    assert.equal(value.reasoning_effort, undefined);
    assert.deepEqual(dropped, []);
  });

  it('both steps drop into one list, each hint named once', () => {
    const { dropped } = messages({
      input: [{ type: 'reasoning', id: 'rs_1', summary: [] }, { type: 'reasoning', id: 'rs_2', summary: [] }, { role: 'user', content: 'hi' }] as ResponsesRequest['input'],
      tools: [{ type: 'web_search' }, { type: 'web_search' }] as ResponsesRequest['tools'],
      include: ['reasoning.encrypted_content'],
      // Dropped by the second step (Chat Completions → Messages), under its Responses name.
      reasoning: { effort: 'high' },
    });
    assert.deepEqual(dropped, ['include', 'input.reasoning', 'tools.web_search', 'reasoning.effort']);
  });

  it('translation: strict refuses a hint in either step, naming the Responses field', () => {
    assert.equal(refusedField(responsesToMessagesRequest({ input: 'x', include: ['reasoning.encrypted_content'] }, strict)), 'include');
    // The thinking-budget obstacle is met by the second step: temperature 0.2 rules thinking out.
    const obstacle = responsesToMessagesRequest({ input: 'x', reasoning: { effort: 'high' }, temperature: 0.2 }, target('c', { mode: 'strict', reasoning: true }));
    assert.equal(refusedField(obstacle), 'reasoning.effort');
  });

  it('a structured-output text.format is a contract Messages cannot keep', () => {
    assert.equal(refusedField(responsesToMessagesRequest({ input: 'x', text: { format: { type: 'json_object' } } }, m)), 'text.format');
  });
});
