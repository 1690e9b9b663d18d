// The hint/contract split in both request translators: each hint mapped where
// the target has an equivalent, dropped and named otherwise, refused under
// translation: strict; contracts refused either way.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { anthropicToOpenAIRequest } from '../../../../src/dialects/translate/request/fromAnthropic.js';
import { openAIToAnthropicRequest } from '../../../../src/dialects/translate/request/fromOpenAI.js';
import type { AnthropicRequest } from '../../../../src/dialects/anthropic/types.js';
import type { TranslationTarget } from '../../../../src/dialects/translationTarget.js';
import { target } from './targets.js';

const anthropicBase = { model: 'claude', max_tokens: 256, messages: [{ role: 'user' as const, content: 'hi' }] };
const openAIBase = { model: 'gpt', messages: [{ role: 'user' as const, content: 'hi' }] };

function toOpenAI(req: Record<string, unknown>, t: Partial<TranslationTarget> = {}) {
  const r = anthropicToOpenAIRequest({ ...anthropicBase, ...req }, target('gpt-up', t));
  assert.ok(r.ok, r.ok ? '' : `${r.field}: ${r.message}`);
  return { body: r.value, dropped: r.dropped };
}

function toAnthropic(req: Record<string, unknown>, t: Partial<TranslationTarget> = {}) {
  const r = openAIToAnthropicRequest({ ...openAIBase, ...req }, target('claude-up', t));
  assert.ok(r.ok, r.ok ? '' : `${r.field}: ${r.message}`);
  return { body: r.value, dropped: r.dropped };
}

const strictToOpenAI = (req: Record<string, unknown>, t: Partial<TranslationTarget> = {}) =>
  anthropicToOpenAIRequest({ ...anthropicBase, ...req }, target('gpt-up', { mode: 'strict', ...t }));
const strictToAnthropic = (req: Record<string, unknown>, t: Partial<TranslationTarget> = {}) =>
  openAIToAnthropicRequest({ ...openAIBase, ...req }, target('claude-up', { mode: 'strict', ...t }));

describe('Anthropic → OpenAI: thinking and effort', () => {
  it('a non-reasoning entry drops adaptive or budgeted thinking and effort, naming them', () => {
    const { body, dropped } = toOpenAI({ thinking: { type: 'adaptive', display: 'omitted' }, output_config: { effort: 'high' } });
    assert.equal(body.reasoning_effort, undefined);
    assert.deepEqual(dropped, ['thinking', 'output_config.effort']);
    assert.deepEqual(toOpenAI({ thinking: { type: 'enabled', budget_tokens: 2048 } }).dropped, ['thinking']);
    assert.deepEqual(toOpenAI({ thinking: { type: 'disabled' } }).dropped, []);
  });

  it('a reasoning entry maps effort words (xhigh and max to high) and sends max_completion_tokens', () => {
    for (const [word, effort] of [['low', 'low'], ['medium', 'medium'], ['high', 'high'], ['xhigh', 'high'], ['max', 'high']] as const) {
      const { body, dropped } = toOpenAI({ thinking: { type: 'adaptive' }, output_config: { effort: word } }, { reasoning: true });
      assert.equal(body.reasoning_effort, effort, word);
      assert.deepEqual(dropped, []);
    }
    const { body } = toOpenAI({}, { reasoning: true });
    assert.equal(body.max_completion_tokens, 256);
    assert.equal(body.max_tokens, undefined);
  });

  it('a reasoning entry maps a thinking budget by size; adaptive without effort leaves the model default', () => {
    const effortOf = (budget: number) => toOpenAI({ thinking: { type: 'enabled', budget_tokens: budget } }, { reasoning: true }).body.reasoning_effort;
    assert.equal(effortOf(1024), 'low');
    assert.equal(effortOf(8191), 'low');
    assert.equal(effortOf(8192), 'medium');
    assert.equal(effortOf(24575), 'medium');
    assert.equal(effortOf(31999), 'high');
    assert.equal(toOpenAI({ thinking: { type: 'adaptive' } }, { reasoning: true }).body.reasoning_effort, undefined);
  });

  it('the effort of the last system turn wins over the top level; an unknown word is dropped', () => {
    const messages = [
      { role: 'user', content: 'hi' },
      { role: 'system', content: 'env', output_config: { effort: 'low' } },
    ];
    assert.equal(toOpenAI({ messages, output_config: { effort: 'high' } }, { reasoning: true }).body.reasoning_effort, 'low');
    const unknown = toOpenAI({ output_config: { effort: 'ludicrous' } }, { reasoning: true });
    assert.equal(unknown.body.reasoning_effort, undefined);
    assert.deepEqual(unknown.dropped, ['output_config.effort']);
  });

  it('a reasoning model cannot stop reasoning: thinking disabled is dropped there, and temperature ≠ 1 too', () => {
    const { body, dropped } = toOpenAI({ thinking: { type: 'disabled' }, temperature: 0.3, top_p: 1 }, { reasoning: true });
    assert.equal(body.temperature, undefined);
    assert.equal(body.top_p, 1);
    assert.deepEqual(dropped, ['thinking', 'temperature']);
  });

  it('output_config.format (a contract) becomes response_format json_schema; other output_config keys are refused', () => {
    const schema = { type: 'object', properties: { title: { type: 'string' } }, required: ['title'], additionalProperties: false };
    const { body, dropped } = toOpenAI({ output_config: { format: { type: 'json_schema', schema } } });
    assert.deepEqual(body.response_format, { type: 'json_schema', json_schema: { name: 'output', schema } });
    assert.deepEqual(dropped, []);
    const r = anthropicToOpenAIRequest({ ...anthropicBase, output_config: { task_budget: 5 } } as unknown as AnthropicRequest, target('g'));
    assert.equal(r.ok, false);
    assert.equal(r.field, 'output_config.task_budget');
  });
});

describe('Anthropic → OpenAI: other hints', () => {
  it('context_management, safeguards, service_tier, extra metadata and cache_control are dropped and named', () => {
    const { body, dropped } = toOpenAI({
      context_management: { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] },
      safeguards: [{ type: 'dangerous_tool_use' }],
      service_tier: 'auto',
      metadata: { user_id: '{"device_id":"0"}', tenant: 't' },
      system: [{ type: 'text', text: 's', cache_control: { type: 'ephemeral' } }],
    });
    assert.deepEqual(dropped, ['context_management', 'safeguards', 'service_tier', 'cache_control', 'metadata']);
    assert.equal(body.user, '{"device_id":"0"}');
    for (const key of ['context_management', 'safeguards', 'service_tier', 'metadata']) assert.equal(key in body, false, key);
  });

  it('thinking blocks in history are dropped (not refused); tool_use and tool_result round-trip exactly', () => {
    const { body, dropped } = toOpenAI({
      messages: [
        { role: 'user', content: 'run it' },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'plan', signature: 'c2ln' },
            { type: 'redacted_thinking', data: 'xx' },
            { type: 'tool_use', id: 'toolu_1', name: 'Bash', input: { command: 'echo hi' } },
          ],
        },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'hi', is_error: false }] },
      ],
    });
    assert.deepEqual(dropped, ['thinking_blocks']);
    assert.deepEqual(body.messages.slice(1), [
      { role: 'assistant', content: null, tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'Bash', arguments: '{"command":"echo hi"}' } }] },
      { role: 'tool', tool_call_id: 'toolu_1', content: 'hi' },
    ]);
  });

  it('a system turn inside messages stays a system message in place, string or blocks', () => {
    const { body } = toOpenAI({
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'system', content: [{ type: 'text', text: '# Environment', cache_control: { type: 'ephemeral' } }], output_config: { effort: 'medium' } },
        { role: 'assistant', content: 'hello' },
        { role: 'system', content: 'later' },
      ],
    });
    assert.deepEqual(body.messages, [
      { role: 'user', content: 'hi' },
      { role: 'system', content: '# Environment' },
      { role: 'assistant', content: 'hello' },
      { role: 'system', content: 'later' },
    ]);
  });

  it('is_error: true on a tool_result is dropped and named', () => {
    const { dropped } = toOpenAI({
      messages: [
        { role: 'user', content: 'x' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'f', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: 'boom', is_error: true }] },
      ],
    });
    assert.deepEqual(dropped, ['is_error']);
  });

  it('defer_loading is dropped (the tool is sent at once) and $schema leaves the parameters', () => {
    const { body, dropped } = toOpenAI({
      tools: [
        { name: 'Read', input_schema: { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', properties: {} } },
        { name: 'Later', input_schema: { type: 'object', properties: {} }, defer_loading: true },
      ],
    });
    assert.deepEqual(dropped, ['defer_loading']);
    assert.deepEqual(body.tools?.map((t) => t.function), [
      { name: 'Read', parameters: { type: 'object', properties: {} } },
      { name: 'Later', parameters: { type: 'object', properties: {} } },
    ]);
  });

  it('max_tokens is lowered to the entry\'s max_output_tokens, never raised', () => {
    assert.equal(toOpenAI({ max_tokens: 128000 }, { maxOutputTokens: 16384 }).body.max_tokens, 16384);
    assert.equal(toOpenAI({ max_tokens: 100 }, { maxOutputTokens: 16384 }).body.max_tokens, 100);
    assert.equal(toOpenAI({ max_tokens: 64000 }, { maxOutputTokens: 32768, reasoning: true }).body.max_completion_tokens, 32768);
  });

  it('translation: strict refuses every one of these hints, naming the field', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ thinking: { type: 'adaptive' } }, 'thinking'],
      [{ output_config: { effort: 'high' } }, 'output_config.effort'],
      [{ context_management: { edits: [] } }, 'context_management'],
      [{ safeguards: [] }, 'safeguards'],
      [{ metadata: { user_id: 'u', extra: 1 } }, 'metadata.extra'],
      [{ system: [{ type: 'text', text: 's', cache_control: { type: 'ephemeral' } }] }, 'system[0].cache_control'],
      [{ tools: [{ name: 'T', input_schema: { type: 'object' }, defer_loading: true }] }, 'tools[0].defer_loading'],
    ];
    for (const [req, field] of cases) {
      const r = strictToOpenAI(req);
      assert.equal(r.ok, false, field);
      assert.equal(r.field, field);
    }
    const ok = strictToOpenAI({ thinking: { type: 'disabled' }, metadata: { user_id: 'u' } });
    assert.ok(ok.ok && ok.dropped.length === 0);
  });

  it('contracts stay refused in lenient mode: top_k, server tools, documents', () => {
    for (const [req, field] of [
      [{ top_k: 3 }, 'top_k'],
      [{ tools: [{ type: 'web_search_20250305', name: 'web_search' }] }, 'tools[0].type'],
      [{ messages: [{ role: 'user', content: [{ type: 'document', source: {} }] }] }, 'messages[0].content[0].type'],
    ] as const) {
      const r = anthropicToOpenAIRequest({ ...anthropicBase, ...req } as unknown as AnthropicRequest, target('g'));
      assert.equal(!r.ok && r.field, field);
    }
  });
});

describe('OpenAI → Anthropic: reasoning_effort and other hints', () => {
  it('a reasoning entry turns reasoning_effort into a thinking budget below max_tokens', () => {
    assert.deepEqual(toAnthropic({ reasoning_effort: 'low', max_tokens: 20000 }, { reasoning: true }).body.thinking, { type: 'enabled', budget_tokens: 4096 });
    assert.deepEqual(toAnthropic({ reasoning_effort: 'high', max_tokens: 20000 }, { reasoning: true }).body.thinking, { type: 'enabled', budget_tokens: 19999 });
    assert.equal(toAnthropic({ reasoning_effort: 'none' }, { reasoning: true }).body.thinking, undefined);
  });

  it('drops reasoning_effort where thinking cannot follow: not a reasoning entry, temperature ≠ 1, a forced tool, too few tokens', () => {
    const tools = [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }];
    for (const [req, t] of [
      [{ reasoning_effort: 'high' }, {}],
      [{ reasoning_effort: 'high', temperature: 0.2, max_tokens: 9000 }, { reasoning: true }],
      [{ reasoning_effort: 'high', tools, tool_choice: 'required', max_tokens: 9000 }, { reasoning: true }],
      [{ reasoning_effort: 'low', max_tokens: 1000 }, { reasoning: true }],
    ] as const) {
      const { body, dropped } = toAnthropic(req, t);
      assert.equal(body.thinking, undefined);
      assert.deepEqual(dropped, ['reasoning_effort']);
    }
  });

  it('prompt_cache_key, store, service_tier and metadata are dropped and named; their no-op values are not', () => {
    assert.deepEqual(toAnthropic({ prompt_cache_key: 'k', store: true, service_tier: 'flex', metadata: { a: 'b' } }).dropped, [
      'prompt_cache_key', 'store', 'service_tier', 'metadata',
    ]);
    assert.deepEqual(toAnthropic({ store: false, service_tier: 'auto', metadata: {} }).dropped, []);
    const refused = strictToAnthropic({ prompt_cache_key: 'k' });
    assert.equal(!refused.ok && refused.field, 'prompt_cache_key');
  });

  it('max_tokens (default included) is lowered to max_output_tokens', () => {
    assert.equal(toAnthropic({ max_tokens: 100000 }, { maxOutputTokens: 8192 }).body.max_tokens, 8192);
    assert.equal(toAnthropic({}, { maxOutputTokens: 1000 }).body.max_tokens, 1000);
  });

  it('contracts stay refused in lenient mode: n > 1, logprobs, audio', () => {
    for (const [field, value] of [['n', 2], ['logprobs', true], ['audio', { voice: 'x' }]] as const) {
      const r = openAIToAnthropicRequest({ ...openAIBase, [field]: value }, target('c'));
      assert.equal(!r.ok && r.field, field);
    }
  });
});
