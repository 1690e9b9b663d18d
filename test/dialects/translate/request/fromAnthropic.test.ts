import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { anthropicToOpenAIRequest } from '../../../../src/dialects/translate/request/fromAnthropic.js';
import { target } from './targets.js';
import type { TranslationTarget } from '../../../../src/dialects/translationTarget.js';
import type { OpenAIRequest } from '../../../../src/dialects/openai/types.js';

const base = { model: 'claude', max_tokens: 256, messages: [{ role: 'user' as const, content: 'hi' }] };

const translate = (req: Record<string, unknown>, opts: Partial<TranslationTarget> = {}): OpenAIRequest => {
  const result = anthropicToOpenAIRequest({ ...base, ...req }, target('gpt-up', opts));
  assert.ok(result.ok, result.ok ? '' : `${result.field}: ${result.message}`);
  return result.value;
};

const refusal = (req: Record<string, unknown>): { field: string; message: string } => {
  const result = anthropicToOpenAIRequest({ ...base, ...req }, target('gpt-up'));
  assert.equal(result.ok, false);
  return result;
};

describe('anthropicToOpenAIRequest: parameters', () => {
  it('maps model, max_tokens, temperature, top_p, stop_sequences and user', () => {
    const out = translate({ temperature: 0.2, top_p: 0.8, stop_sequences: ['X'], metadata: { user_id: 'u' } });
    assert.equal(out.model, 'gpt-up');
    assert.equal(out.max_tokens, 256);
    assert.equal(out.temperature, 0.2);
    assert.equal(out.top_p, 0.8);
    assert.deepEqual(out.stop, ['X']);
    assert.equal(out.user, 'u');
  });

  it('sends max_completion_tokens instead for reasoning entries', () => {
    const out = translate({}, { reasoning: true });
    assert.equal(out.max_completion_tokens, 256);
    assert.equal(out.max_tokens, undefined);
  });

  it('asks the upstream for usage whenever it streams', () => {
    const out = translate({ stream: true });
    assert.equal(out.stream, true);
    assert.deepEqual(out.stream_options, { include_usage: true });
    assert.equal(translate({}).stream_options, undefined);
  });

  it('refuses top_k and unknown fields, naming them (thinking is a hint: see hints.test.ts)', () => {
    assert.equal(refusal({ top_k: 5 }).field, 'top_k');
    assert.equal(refusal({ mcp_servers: [] }).field, 'mcp_servers');
    translate({ thinking: { type: 'disabled' } });
  });

  it('drops service_tier (documented loss)', () => {
    assert.equal('service_tier' in translate({ service_tier: 'auto' }), false);
  });
});

describe('anthropicToOpenAIRequest: messages', () => {
  it('turns a string system into one system message and blocks into one per block; cache_control dropped', () => {
    assert.deepEqual(translate({ system: 'be brief' }).messages[0], { role: 'system', content: 'be brief' });
    const out = translate({ system: [{ type: 'text', text: 'a', cache_control: { type: 'ephemeral' } }, { type: 'text', text: 'b' }] });
    assert.deepEqual(out.messages.slice(0, 2), [
      { role: 'system', content: 'a' },
      { role: 'system', content: 'b' },
    ]);
  });

  it('maps text and images (url and base64) to content parts', () => {
    const out = translate({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'look', cache_control: { type: 'ephemeral' } },
            { type: 'image', source: { type: 'url', url: 'https://x.test/a.png' } },
            { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: 'AAAA' } },
          ],
        },
      ],
    });
    assert.deepEqual(out.messages, [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'look' },
          { type: 'image_url', image_url: { url: 'https://x.test/a.png' } },
          { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,AAAA' } },
        ],
      },
    ]);
  });

  it('turns tool_use into tool_calls (input → JSON string) and splits tool_result blocks into tool messages', () => {
    const out = translate({
      messages: [
        { role: 'user', content: 'weather?' },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'hmm', signature: 'sig' },
            { type: 'text', text: 'checking' },
            { type: 'tool_use', id: 'toolu_1', name: 'get', input: { city: 'Paris' } },
            { type: 'tool_use', id: 'toolu_2', name: 'get', input: { city: 'Rome' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: 'sunny', is_error: true },
            { type: 'tool_result', tool_use_id: 'toolu_2', content: [{ type: 'text', text: 'rain' }] },
            { type: 'text', text: 'thanks' },
          ],
        },
      ],
    });
    assert.deepEqual(out.messages.slice(1), [
      {
        role: 'assistant',
        content: 'checking',
        tool_calls: [
          { id: 'toolu_1', type: 'function', function: { name: 'get', arguments: '{"city":"Paris"}' } },
          { id: 'toolu_2', type: 'function', function: { name: 'get', arguments: '{"city":"Rome"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'toolu_1', content: 'sunny' },
      { role: 'tool', tool_call_id: 'toolu_2', content: [{ type: 'text', text: 'rain' }] },
      { role: 'user', content: [{ type: 'text', text: 'thanks' }] },
    ]);
  });

  it('joins assistant text blocks and puts tool calls after them (documented loss of interleaving)', () => {
    const out = translate({
      messages: [
        { role: 'user', content: 'q' },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'a' },
            { type: 'tool_use', id: 't', name: 'f', input: {} },
            { type: 'text', text: 'b' },
          ],
        },
      ],
    });
    assert.deepEqual(out.messages[1], {
      role: 'assistant',
      content: 'ab',
      tool_calls: [{ id: 't', type: 'function', function: { name: 'f', arguments: '{}' } }],
    });
  });

  it('refuses images inside tool results and unknown blocks, naming them', () => {
    const img = refusal({
      messages: [
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: 't', content: [{ type: 'image', source: { type: 'url', url: 'https://x/y' } }] }],
        },
      ],
    });
    assert.equal(img.field, 'messages[0].content[0].content[0].type');
    const doc = refusal({ messages: [{ role: 'user', content: [{ type: 'document', source: {} }] }] });
    assert.equal(doc.field, 'messages[0].content[0].type');
  });
});

describe('anthropicToOpenAIRequest: tools', () => {
  it('maps tools and tool_choice, including disable_parallel_tool_use', () => {
    const tool = { name: 'get', description: 'd', input_schema: { type: 'object', properties: {} }, cache_control: { type: 'ephemeral' } };
    const out = translate({ tools: [tool], tool_choice: { type: 'any', disable_parallel_tool_use: true } });
    assert.deepEqual(out.tools, [{ type: 'function', function: { name: 'get', description: 'd', parameters: tool.input_schema } }]);
    assert.equal(out.tool_choice, 'required');
    assert.equal(out.parallel_tool_calls, false);
    assert.equal(translate({ tools: [tool], tool_choice: { type: 'auto' } }).tool_choice, 'auto');
    assert.equal(translate({ tools: [tool], tool_choice: { type: 'none' } }).tool_choice, 'none');
    assert.deepEqual(translate({ tools: [tool], tool_choice: { type: 'tool', name: 'get' } }).tool_choice, {
      type: 'function',
      function: { name: 'get' },
    });
  });

  it('refuses server tools, naming the tool', () => {
    assert.equal(refusal({ tools: [{ type: 'web_search_20250305', name: 'web_search' }] }).field, 'tools[0].type');
  });
});
