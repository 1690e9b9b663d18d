// Anthropic → OpenAI → Anthropic keeps messages, tools and parameters, modulo
// the documented normalisations applied by `normalise` below. The other
// direction is roundTrip.test.ts; this one guards the path an Anthropic client
// (Claude Code, the Anthropic SDK) takes to an OpenAI-format provider.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { anthropicToOpenAIRequest } from '../../../../src/dialects/translate/request/fromAnthropic.js';
import { target } from './targets.js';
import { openAIToAnthropicRequest } from '../../../../src/dialects/translate/request/fromOpenAI.js';
import type {
  AnthropicContentBlock,
  AnthropicMessage,
  AnthropicRequest,
  AnthropicTextBlock,
  AnthropicTool,
  AnthropicToolChoice,
} from '../../../../src/dialects/anthropic/types.js';

const text = fc.string({ minLength: 1, maxLength: 20, unit: 'grapheme' });
const name = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,15}$/);
const jsonValue = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean(), fc.constant(null));
// As parsed from a client's JSON body (fast-check's dictionaries have a null prototype).
const input = fc.dictionary(name, jsonValue, { maxKeys: 3 }).map((d) => JSON.parse(JSON.stringify(d)) as Record<string, unknown>);

const textBlock = text.map((t): AnthropicTextBlock => ({ type: 'text', text: t }));
const imageBlock = fc.constantFrom<AnthropicContentBlock>(
  { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
  { type: 'image', source: { type: 'url', url: 'https://img.test/cat.jpg' } },
);
const userBlocks = fc.array(fc.oneof(textBlock, imageBlock), { minLength: 1, maxLength: 3 });

interface Exchange {
  user: string | AnthropicContentBlock[];
  /** Extra blocks after the tool results, when the previous assistant turn used tools. */
  afterResults: AnthropicContentBlock[];
  results: Array<string | AnthropicTextBlock[]>;
  assistant: { kind: 'text'; text: string } | { kind: 'blocks'; blocks: Array<{ text: string } | { tool: string; input: Record<string, unknown> }> };
}

const exchange: fc.Arbitrary<Exchange> = fc.record({
  user: fc.oneof(text, userBlocks),
  afterResults: fc.array(fc.oneof(textBlock, imageBlock), { maxLength: 2 }),
  results: fc.array(fc.oneof(text, fc.array(textBlock, { minLength: 1, maxLength: 2 })), { minLength: 3, maxLength: 3 }),
  assistant: fc.oneof(
    text.map((t) => ({ kind: 'text' as const, text: t })),
    fc
      .array(fc.oneof(text.map((t) => ({ text: t })), fc.record({ tool: name, input })), { minLength: 1, maxLength: 4 })
      .map((blocks) => ({ kind: 'blocks' as const, blocks })),
  ),
});

/** Builds an alternating conversation where each tool_use is answered by a tool_result first in the next user turn. */
function buildMessages(exchanges: Exchange[], endOnUser: boolean): AnthropicMessage[] {
  const out: AnthropicMessage[] = [];
  let pending: string[] = [];
  exchanges.forEach((ex, i) => {
    if (pending.length > 0) {
      const results = pending.map((id, k): AnthropicContentBlock => ({ type: 'tool_result', tool_use_id: id, content: ex.results[k % ex.results.length]! }));
      out.push({ role: 'user', content: [...results, ...ex.afterResults] });
    } else {
      out.push({ role: 'user', content: ex.user });
    }
    pending = [];
    if (ex.assistant.kind === 'text') {
      out.push({ role: 'assistant', content: ex.assistant.text });
      return;
    }
    const blocks = ex.assistant.blocks.map((b, k): AnthropicContentBlock => {
      if ('text' in b) return { type: 'text', text: b.text };
      const id = `toolu_${i}_${k}`;
      pending.push(id);
      return { type: 'tool_use', id, name: b.tool, input: b.input };
    });
    out.push({ role: 'assistant', content: blocks });
  });
  // The conversation ends on the user, or on an assistant turn (a prefill) without pending tool uses.
  if (pending.length > 0 || endOnUser) out.pop();
  return out;
}

const tool: fc.Arbitrary<AnthropicTool> = fc
  .record({ name, description: text, schema: fc.constantFrom({ type: 'object', properties: {} }, { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] }) }, { requiredKeys: ['name', 'schema'] })
  .map((t) => (t.description === undefined ? { name: t.name, input_schema: t.schema } : { name: t.name, description: t.description, input_schema: t.schema }));

const request: fc.Arbitrary<AnthropicRequest> = fc
  .record(
    {
      system: fc.oneof(text, fc.array(textBlock, { minLength: 1, maxLength: 3 })),
      exchanges: fc.array(exchange, { minLength: 1, maxLength: 5 }),
      endOnUser: fc.boolean(),
      max_tokens: fc.integer({ min: 1, max: 64_000 }),
      temperature: fc.double({ min: 0, max: 1, noNaN: true }),
      top_p: fc.double({ min: 0, max: 1, noNaN: true }),
      stop_sequences: fc.array(text, { maxLength: 4 }),
      stream: fc.boolean(),
      user_id: text,
      tools: fc.uniqueArray(tool, { minLength: 1, maxLength: 3, selector: (t) => t.name }),
      tool_choice: fc.constantFrom('auto', 'any', 'none', 'tool'),
      disable_parallel: fc.boolean(),
    },
    { requiredKeys: ['exchanges', 'endOnUser', 'max_tokens'] },
  )
  .map((r) => {
    const req: AnthropicRequest = { model: 'claude-x', messages: buildMessages(r.exchanges, r.endOnUser), max_tokens: r.max_tokens };
    if (r.system !== undefined) req.system = r.system;
    if (r.temperature !== undefined) req.temperature = r.temperature;
    if (r.top_p !== undefined) req.top_p = r.top_p;
    if (r.stop_sequences !== undefined) req.stop_sequences = r.stop_sequences;
    if (r.stream !== undefined) req.stream = r.stream;
    if (r.user_id !== undefined) req.metadata = { user_id: r.user_id };
    if (r.tools) {
      req.tools = r.tools;
      if (r.tool_choice !== undefined) {
        const choice: AnthropicToolChoice =
          r.tool_choice === 'tool' ? { type: 'tool', name: r.tools[0]!.name } : r.tool_choice === 'none' ? { type: 'none' } : { type: r.tool_choice };
        if (r.disable_parallel !== undefined && choice.type !== 'none') choice.disable_parallel_tool_use = r.disable_parallel;
        req.tool_choice = choice;
      }
    }
    return req;
  });

/** The documented normalisations of a round trip, applied to the original. */
function normalise(req: AnthropicRequest): AnthropicRequest {
  const messages = req.messages.map((m): AnthropicMessage => {
    if (m.role === 'system') throw new Error('the generator makes no system turns');
    if (m.role === 'user' || typeof m.content !== 'string') {
      if (m.role === 'user' || typeof m.content === 'string') return m;
      // Assistant text blocks are joined, and tool calls follow the text.
      const texts = m.content.flatMap((b) => (b.type === 'text' ? [b.text] : []));
      const uses = m.content.filter((b) => b.type === 'tool_use');
      return { role: 'assistant', content: [...(texts.length > 0 ? [{ type: 'text' as const, text: texts.join('') }] : []), ...uses] };
    }
    // An assistant string comes back as one text block.
    return { role: 'assistant', content: [{ type: 'text', text: m.content }] };
  });
  const out: AnthropicRequest = { model: 'claude-back', messages, max_tokens: req.max_tokens };
  // System blocks become one system message each; one comes back as a string.
  if (typeof req.system === 'string') out.system = req.system;
  else if (req.system && req.system.length === 1) out.system = req.system[0]!.text;
  else if (req.system) out.system = req.system;
  if (req.temperature !== undefined) out.temperature = req.temperature;
  if (req.top_p !== undefined) out.top_p = req.top_p;
  if (req.stop_sequences && req.stop_sequences.length > 0) out.stop_sequences = req.stop_sequences;
  if (req.stream === true) out.stream = true;
  if (req.metadata?.user_id) out.metadata = { user_id: req.metadata.user_id };
  if (req.tools) out.tools = req.tools;
  if (req.tool_choice) {
    const c = req.tool_choice;
    // disable_parallel_tool_use: false is the default and says nothing.
    out.tool_choice = 'disable_parallel_tool_use' in c && c.disable_parallel_tool_use === false ? (({ disable_parallel_tool_use: _, ...rest }) => rest)(c) : c;
  }
  return out;
}

describe('request round trip Anthropic → OpenAI → Anthropic', () => {
  it('preserves messages, tools and parameters modulo documented normalisations', () => {
    fc.assert(
      fc.property(request, (req) => {
        const openai = anthropicToOpenAIRequest(req, target('gpt-x'));
        assert.ok(openai.ok, openai.ok ? '' : `${openai.field}: ${openai.message}`);
        const back = openAIToAnthropicRequest(openai.value, target('claude-back'));
        assert.ok(back.ok, back.ok ? '' : `${back.field}: ${back.message}`);
        assert.deepEqual(back.value, normalise(req));
      }),
      { numRuns: 300 },
    );
  });
});
