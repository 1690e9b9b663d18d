// The Responses stream sequencer: its guarantees, each a test named after it,
// and the property that for any answer a provider gives, its streamed form,
// sequenced into Responses events and accumulated by the official openai SDK,
// equals its complete form translated to a Response.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ResponseStream } from 'openai/lib/responses/ResponseStream';
import type { AnthropicResponse, OpenAIResponse, ResponseFrame } from '../../../../src/dialects/index.js';
import {
  anthropicToOpenAIResponse,
  chatToResponse,
  createStreamTranslator,
  readAnthropicEvent,
  readOpenAIEvent,
  ResponsesStreamSequencer,
  ResponsesStreamView,
  toolNamesOf,
  type OpenAIEvent,
  type ResponsesEvent,
} from '../../../../src/dialects/index.js';
import { renderAnthropic } from '../../../support/anthropicWire.js';
import { renderOpenAI } from '../../../support/openAIWire.js';
import { ids, json, reply, sse } from './replies.js';
import { events, ndjson } from './harness.js';

type Body = Record<string, unknown>;

const frame = (): ResponseFrame => ({ id: 'resp_test', createdAt: 1_700_000_000, request: { input: 'hi' } });

/** Chat Completions events (from either provider) → the client's Responses events. */
function sequence(chat: readonly OpenAIEvent[], view = new ResponsesStreamView(frame()), cleanEnd = true): Body[] {
  const s = new ResponsesStreamSequencer(view, toolNamesOf({ input: 'hi' }));
  const out: ResponsesEvent[] = [];
  for (const e of chat) out.push(...s.push(e));
  if (cleanEnd) out.push(...s.end());
  return out.map((e) => (e.kind === 'event' ? e.payload : {}));
}

function chatFromOpenAI(upstream: string): OpenAIEvent[] {
  return events(upstream).map(readOpenAIEvent);
}

function chatFromAnthropic(upstream: string): OpenAIEvent[] {
  const relay = createStreamTranslator('anthropic', 'openai', { includeUsage: true });
  assert.ok(relay.mode === 'translate' && relay.to === 'openai');
  const out: OpenAIEvent[] = [];
  for (const ev of events(upstream)) out.push(...relay.translator.push(readAnthropicEvent(ev)));
  out.push(...relay.translator.end());
  return out;
}

/** A Response with item ids left out: both forms mint their own. */
function comparable(r: { output: unknown[]; status?: unknown; incomplete_details?: unknown; usage?: unknown; model?: unknown }): Body {
  // The SDK's finalResponse() adds its own parse results (parsed_arguments, parsed): not part of the wire.
  const output = r.output.map((item) => {
    const { id: _id, parsed_arguments: _parsed, ...rest } = item as Body;
    if (Array.isArray(rest.content)) rest.content = (rest.content as Body[]).map(({ parsed: _p, ...part }) => part);
    return rest;
  });
  return { output, status: r.status, incomplete_details: r.incomplete_details, usage: r.usage, model: r.model };
}

async function accumulated(out: Body[]): Promise<Body> {
  const final = await ResponseStream.fromReadableStream(ndjson(out)).finalResponse();
  return comparable(final);
}

describe('ResponsesStreamSequencer', () => {
  const chat = chatFromOpenAI(sse(renderOpenAI({ kind: 'answer', text: 'Hello there, friend.', toolCalls: [{ name: 'a', input: { x: 1 } }, { name: 'b', input: {} }] }, { model: 'm', stream: true, stream_options: { include_usage: true } }, ids())));

  it('response.created then response.in_progress come first, exactly once', () => {
    const types = sequence(chat).map((e) => e.type);
    assert.deepEqual(types.slice(0, 2), ['response.created', 'response.in_progress']);
    assert.equal(types.filter((t) => t === 'response.created' || t === 'response.in_progress').length, 2);
  });

  it('sequence_number starts at 0 and increases by one per event', () => {
    const out = sequence(chat);
    assert.deepEqual(out.map((e) => e.sequence_number), out.map((_, i) => i));
  });

  it('every output_item.added has exactly one output_item.done with the same id and a dense index', () => {
    const out = sequence(chat);
    const added = out.filter((e) => e.type === 'response.output_item.added').map((e) => [e.output_index, (e.item as Body).id]);
    const done = out.filter((e) => e.type === 'response.output_item.done').map((e) => [e.output_index, (e.item as Body).id]);
    assert.deepEqual(done, added);
    assert.deepEqual(added.map(([i]) => i), [0, 1, 2]);
  });

  it('text done, part done and item done carry exactly the text of the deltas', () => {
    const out = sequence(chat);
    const text = out.filter((e) => e.type === 'response.output_text.delta').map((e) => e.delta).join('');
    assert.equal(text, 'Hello there, friend.');
    assert.equal(out.find((e) => e.type === 'response.output_text.done')?.text, text);
    assert.equal(((out.find((e) => e.type === 'response.content_part.done')?.part as Body).text), text);
  });

  it('function call arguments stream as deltas and end with function_call_arguments.done', () => {
    const out = sequence(chat);
    const first = out.filter((e) => e.type === 'response.function_call_arguments.delta' && e.output_index === 1).map((e) => e.delta).join('');
    assert.deepEqual(JSON.parse(first), { x: 1 });
    assert.equal(out.find((e) => e.type === 'response.function_call_arguments.done' && e.output_index === 1)?.arguments, first);
  });

  it('response.completed comes once, last, only after the upstream completed, with every item done in order', () => {
    const out = sequence(chat);
    assert.equal(out.at(-1)?.type, 'response.completed');
    assert.equal(out.filter((e) => e.type === 'response.completed').length, 1);
    const done = out.filter((e) => e.type === 'response.output_item.done').map((e) => e.item);
    assert.deepEqual((out.at(-1)?.response as Body).output, done);
  });

  it('no response.completed without the upstream\'s end: a stream cut before [DONE] and its finish reason never completes', () => {
    const cut = chat.filter((e) => !(e.kind === 'done' || (e.kind === 'chunk' && e.chunk.choices[0]?.finish_reason != null)));
    const types = sequence(cut, undefined, false).map((e) => e.type);
    assert.ok(!types.includes('response.completed'));
  });

  it('nothing follows response.failed, and it comes at most once', () => {
    const view = new ResponsesStreamView(frame());
    const s = new ResponsesStreamSequencer(view, new Map());
    s.push(chat[0] as OpenAIEvent);
    s.push(chat[1] as OpenAIEvent);
    const failed = view.fail('server_error', 'stream_cut: gone');
    const last = failed.at(-1);
    assert.equal(last?.kind === 'event' ? last.payload.type : undefined, 'response.failed');
    assert.deepEqual(view.fail('server_error', 'again'), []);
    assert.deepEqual(chat.slice(2).flatMap((e) => s.push(e)), []);
    assert.equal(view.finalResponse(), undefined);
  });

  it('a finish reason "length" ends the response incomplete (max_output_tokens)', () => {
    const truncated = chatFromOpenAI(sse(renderOpenAI({ kind: 'answer', text: 'Cut', truncated: true }, { model: 'm', stream: true }, ids())));
    const last = sequence(truncated).at(-1);
    assert.equal(last?.type, 'response.incomplete');
    assert.deepEqual((last.response as Body).incomplete_details, { reason: 'max_output_tokens' });
  });
});

describe('a sequenced stream accumulates to the translated complete answer (openai SDK ResponseStream)', () => {
  it('Chat Completions provider', async () => {
    await fc.assert(
      fc.asyncProperty(reply, async (r) => {
        const complete = chatToResponse(json(renderOpenAI(r, { model: 'gpt-x' }, ids())) as OpenAIResponse, frame(), new Map());
        const streamed = chatFromOpenAI(sse(renderOpenAI(r, { model: 'gpt-x', stream: true, stream_options: { include_usage: true } }, ids())));
        assert.deepEqual(await accumulated(sequence(streamed)), comparable(complete));
      }),
      { numRuns: 120 },
    );
  });

  it('Messages provider (through the Chat Completions sequencer)', async () => {
    await fc.assert(
      fc.asyncProperty(reply, async (r) => {
        const complete = chatToResponse(anthropicToOpenAIResponse(json(renderAnthropic(r, { model: 'claude-x' }, ids())) as AnthropicResponse), frame(), new Map());
        const streamed = chatFromAnthropic(sse(renderAnthropic(r, { model: 'claude-x', stream: true }, ids())));
        assert.deepEqual(await accumulated(sequence(streamed)), comparable(complete));
      }),
      { numRuns: 120 },
    );
  });
});
