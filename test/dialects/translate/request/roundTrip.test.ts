// OpenAI → Anthropic → OpenAI keeps messages, tools and parameters, modulo the
// documented normalisations applied by `normalise` below.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DEFAULT_MAX_TOKENS, openAIToAnthropicRequest } from '../../../../src/dialects/translate/request/fromOpenAI.js';
import { target } from './targets.js';
import { anthropicToOpenAIRequest } from '../../../../src/dialects/translate/request/fromAnthropic.js';
import type { OpenAIAssistantMessage, OpenAIMessage, OpenAIRequest, OpenAITool, OpenAIUserPart } from '../../../../src/dialects/openai/types.js';

const text = fc.string({ minLength: 1, maxLength: 20 });
const name = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,15}$/);
const jsonValue = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean(), fc.constant(null));
const args = fc.dictionary(name, jsonValue, { maxKeys: 3 });

const userContent: fc.Arbitrary<string | OpenAIUserPart[]> = fc.oneof(
  text,
  fc.array(
    fc.oneof(
      text.map((t): OpenAIUserPart => ({ type: 'text', text: t })),
      fc.constantFrom('https://img.test/a.png', 'data:image/png;base64,iVBORw0KGgo=').map(
        (url): OpenAIUserPart => ({ type: 'image_url', image_url: { url } }),
      ),
    ),
    { minLength: 1, maxLength: 3 },
  ),
);

type Turn =
  | { kind: 'user'; content: string | OpenAIUserPart[] }
  | { kind: 'assistant'; text: string }
  | { kind: 'calls'; text: string | null; calls: Array<{ name: string; args: Record<string, unknown>; result: string }> };

const turn: fc.Arbitrary<Turn> = fc.oneof(
  userContent.map((content): Turn => ({ kind: 'user', content })),
  text.map((t): Turn => ({ kind: 'assistant', text: t })),
  fc
    .record({
      text: fc.option(text, { nil: null }),
      calls: fc.array(fc.record({ name, args, result: text }), { minLength: 1, maxLength: 3 }),
    })
    .map((r): Turn => ({ kind: 'calls', ...r })),
);

function buildMessages(system: string[], developer: boolean, turns: Turn[]): OpenAIMessage[] {
  const out: OpenAIMessage[] = system.map((s, i) => ({ role: developer && i === 0 ? 'developer' : 'system', content: s }));
  turns.forEach((t, i) => {
    if (t.kind === 'user') out.push({ role: 'user', content: t.content });
    else if (t.kind === 'assistant') out.push({ role: 'assistant', content: t.text });
    else {
      const ids = t.calls.map((_, k) => `call_${i}_${k}`);
      out.push({
        role: 'assistant',
        content: t.text,
        tool_calls: t.calls.map((c, k) => ({ id: ids[k] as string, type: 'function', function: { name: c.name, arguments: JSON.stringify(c.args) } })),
      });
      t.calls.forEach((c, k) => out.push({ role: 'tool', tool_call_id: ids[k] as string, content: c.result }));
    }
  });
  return out;
}

const tool: fc.Arbitrary<OpenAITool> = fc.record(
  {
    name,
    description: text,
    parameters: fc.constantFrom(undefined, { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] }),
  },
  { requiredKeys: ['name'] },
).map((f) => {
  const fn: OpenAITool['function'] = { name: f.name };
  if (f.description !== undefined) fn.description = f.description;
  if (f.parameters !== undefined) fn.parameters = f.parameters;
  return { type: 'function', function: fn };
});

const request: fc.Arbitrary<OpenAIRequest> = fc
  .record(
    {
      system: fc.array(text, { maxLength: 2 }),
      developer: fc.boolean(),
      turns: fc.array(turn, { minLength: 1, maxLength: 6 }),
      max_tokens: fc.integer({ min: 1, max: 8192 }),
      max_completion_tokens: fc.integer({ min: 1, max: 8192 }),
      temperature: fc.double({ min: 0, max: 1, noNaN: true }),
      top_p: fc.double({ min: 0, max: 1, noNaN: true }),
      stop: fc.oneof(text, fc.array(text, { maxLength: 3 })),
      stream: fc.boolean(),
      user: text,
      tools: fc.array(tool, { minLength: 1, maxLength: 3 }),
      tool_choice: fc.constantFrom('auto', 'none', 'required', 'named'),
      parallel_tool_calls: fc.boolean(),
    },
    { requiredKeys: ['system', 'developer', 'turns'] },
  )
  .map((r) => {
    const req: OpenAIRequest = { model: 'gpt-4o', messages: buildMessages(r.system, r.developer, r.turns) };
    for (const key of ['max_tokens', 'max_completion_tokens', 'temperature', 'top_p', 'stop', 'stream', 'user', 'tools', 'parallel_tool_calls'] as const) {
      if (r[key] !== undefined) (req as unknown as Record<string, unknown>)[key] = r[key];
    }
    if (r.tool_choice !== undefined && r.tools) {
      req.tool_choice = r.tool_choice === 'named' ? { type: 'function', function: { name: r.tools[0]!.function.name } } : r.tool_choice;
    }
    if (r.stream) req.stream_options = { include_usage: true };
    return req;
  });

const asParts = (c: string | OpenAIUserPart[]): OpenAIUserPart[] => (typeof c === 'string' ? [{ type: 'text', text: c }] : c);

/** The documented normalisations of a round trip, applied to the original. */
function normalise(req: OpenAIRequest): OpenAIRequest {
  const messages: OpenAIMessage[] = [];
  const msgs = req.messages;
  for (let i = 0; i < msgs.length; i++) {
    const m = msgs[i]!;
    if (m.role === 'developer') messages.push({ role: 'system', content: m.content });
    else if (m.role === 'assistant') {
      // Consecutive assistant messages are one Anthropic turn: texts join, tool calls follow.
      let j = i;
      const texts: string[] = [];
      const calls: NonNullable<OpenAIAssistantMessage['tool_calls']> = [];
      for (; j < msgs.length && msgs[j]!.role === 'assistant'; j++) {
        const a = msgs[j] as OpenAIAssistantMessage;
        if (typeof a.content === 'string') texts.push(a.content);
        calls.push(...(a.tool_calls ?? []));
      }
      const content = texts.length > 0 ? texts.join('') : null;
      messages.push(calls.length > 0 ? { role: 'assistant', content, tool_calls: calls } : { role: 'assistant', content: content ?? '' });
      i = j - 1;
    } else if (m.role === 'user' || m.role === 'tool') {
      // A run of user/tool messages is one Anthropic turn: users merge and become parts.
      let j = i;
      while (j < msgs.length && (msgs[j]!.role === 'user' || msgs[j]!.role === 'tool')) j++;
      const run = msgs.slice(i, j);
      if (run.length === 1) messages.push(m);
      else {
        let open: { role: 'user'; content: OpenAIUserPart[] } | undefined;
        for (const r of run) {
          if (r.role === 'tool') {
            messages.push(r);
            open = undefined;
          } else if (r.role === 'user' && open) open.content.push(...asParts(r.content));
          else if (r.role === 'user') {
            open = { role: 'user', content: [...asParts(r.content)] };
            messages.push(open);
          }
        }
      }
      i = j - 1;
    } else messages.push(m);
  }
  const out: OpenAIRequest = { model: 'gpt-up', messages, max_tokens: req.max_completion_tokens ?? req.max_tokens ?? DEFAULT_MAX_TOKENS };
  if (req.temperature !== undefined) out.temperature = req.temperature;
  if (req.top_p !== undefined) out.top_p = req.top_p;
  const stop = typeof req.stop === 'string' ? [req.stop] : req.stop;
  if (stop && stop.length > 0) out.stop = stop;
  if (req.stream) {
    out.stream = true;
    out.stream_options = { include_usage: true };
  }
  if (req.user !== undefined) out.user = req.user;
  if (req.tools) {
    out.tools = req.tools.map((t) => ({
      type: 'function',
      function: { ...t.function, parameters: t.function.parameters ?? { type: 'object', properties: {} } },
    }));
  }
  const choice = req.tool_choice ?? (req.parallel_tool_calls === false ? 'auto' : undefined);
  if (choice !== undefined) out.tool_choice = choice;
  if (req.parallel_tool_calls === false && choice !== 'none') out.parallel_tool_calls = false;
  return out;
}

describe('request round trip OpenAI → Anthropic → OpenAI', () => {
  it('preserves messages, tools and parameters modulo documented normalisations', () => {
    fc.assert(
      fc.property(request, (req) => {
        const anthropic = openAIToAnthropicRequest(req, target('claude-up'));
        assert.ok(anthropic.ok, anthropic.ok ? '' : `${anthropic.field}: ${anthropic.message}`);
        const back = anthropicToOpenAIRequest(anthropic.value, target('gpt-up'));
        assert.ok(back.ok, back.ok ? '' : `${back.field}: ${back.message}`);
        assert.deepEqual(back.value, normalise(req));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps a multi-system prompt as separate system messages in order', () => {
    const req: OpenAIRequest = {
      model: 'm',
      messages: [
        { role: 'system', content: 'one' },
        { role: 'system', content: 'two' },
        { role: 'user', content: 'q' },
      ],
    };
    const a = openAIToAnthropicRequest(req, target('c'));
    assert.ok(a.ok);
    const b = anthropicToOpenAIRequest(a.value, target('g'));
    assert.ok(b.ok);
    assert.deepEqual(b.value.messages.slice(0, 2), [
      { role: 'system', content: 'one' },
      { role: 'system', content: 'two' },
    ]);
  });
});
