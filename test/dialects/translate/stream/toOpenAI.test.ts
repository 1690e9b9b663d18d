import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ChatCompletionStream } from 'openai/lib/ChatCompletionStream';
import { createStreamTranslator } from '../../../../src/dialects/translate/stream/index.js';
import type { OpenAIChunk } from '../../../../src/dialects/openai/types.js';
import { ANTHROPIC_PARALLEL_TOOLS_STREAM, ANTHROPIC_TEXT_STREAM } from './fixtures.js';
import { cutBeforeLast, ndjson, openAIOutput, relay, textTranslator, type TextTranslator } from './harness.js';

const make = (includeUsage = false): TextTranslator => textTranslator('anthropic', 'openai', { includeUsage, now: () => 1_700_000_000_000 });

const chunks = (out: unknown[]): OpenAIChunk[] => out.filter((x): x is OpenAIChunk => typeof x === 'object');
const ev = (type: string, body: object = {}) => ({ event: type, data: JSON.stringify({ type, ...body }) });

describe('Anthropic → OpenAI stream (OpenAIChunkSequencer)', () => {
  it('translates a recorded text stream, with usage before [DONE] when asked', () => {
    const t = make(true);
    const out = openAIOutput(relay(t, ANTHROPIC_TEXT_STREAM));
    const cs = chunks(out);
    assert.deepEqual(cs.map((c) => c.choices[0]?.delta), [{ role: 'assistant', content: '' }, { content: 'Hello' }, { content: ', world' }, {}, undefined]);
    assert.deepEqual(cs.map((c) => c.choices[0]?.finish_reason ?? null), [null, null, null, 'stop', null]);
    assert.deepEqual(cs.at(-1), {
      id: 'msg_01text',
      object: 'chat.completion.chunk',
      created: 1_700_000_000,
      model: 'claude-sonnet-4-5-20250929',
      choices: [],
      usage: { prompt_tokens: 125, completion_tokens: 15, total_tokens: 140, prompt_tokens_details: { cached_tokens: 100 } },
    });
    assert.equal(out.at(-1), '[DONE]');
    assert.ok(t.completed());
    assert.ok(t.sawContent());
  });

  it('is accepted by the official openai SDK accumulator (text and parallel tool calls)', async () => {
    const text = chunks(openAIOutput(relay(make(true), ANTHROPIC_TEXT_STREAM)));
    const completion = await ChatCompletionStream.fromReadableStream(ndjson(text)).finalChatCompletion();
    assert.equal(completion.choices[0]?.message.content, 'Hello, world');
    assert.equal(completion.usage?.completion_tokens, 15);

    const tools = chunks(openAIOutput(relay(make(), ANTHROPIC_PARALLEL_TOOLS_STREAM)));
    const withTools = await ChatCompletionStream.fromReadableStream(ndjson(tools)).finalChatCompletion();
    const message = withTools.choices[0]!.message;
    assert.equal(message.content, 'Checking both.');
    assert.deepEqual(
      message.tool_calls?.map((c) => [c.id, c.function.name, JSON.parse(c.function.arguments) as unknown]),
      [
        ['toolu_paris', 'get_weather', { location: 'Paris' }],
        ['toolu_rome', 'get_weather', { location: 'Rome' }],
      ],
    );
    assert.equal(withTools.choices[0]!.finish_reason, 'tool_calls');
  });

  it('guarantee: the first chunk carries the assistant role, and only one chunk does', () => {
    const cs = chunks(openAIOutput(relay(make(), ANTHROPIC_PARALLEL_TOOLS_STREAM)));
    assert.equal(cs[0]?.choices[0]?.delta.role, 'assistant');
    assert.equal(cs.filter((c) => c.choices[0]?.delta.role !== undefined).length, 1);
  });

  it('guarantee: content before message_start still gets the role chunk first', () => {
    const t = make();
    const out = chunks(openAIOutput(t.push(ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'x' } }))));
    assert.deepEqual(out.map((c) => c.choices[0]?.delta), [{ role: 'assistant', content: '' }, { content: 'x' }]);
  });

  it('guarantee: every chunk shares one id, created and model', () => {
    const cs = chunks(openAIOutput(relay(make(true), ANTHROPIC_PARALLEL_TOOLS_STREAM)));
    assert.equal(new Set(cs.map((c) => `${c.id}|${c.created}|${c.model}`)).size, 1);
  });

  it('guarantee: parallel tool calls get dense indices in block order, id and name only in the first delta', () => {
    const cs = chunks(openAIOutput(relay(make(), ANTHROPIC_PARALLEL_TOOLS_STREAM)));
    const calls = cs.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    assert.deepEqual(calls, [
      { index: 0, id: 'toolu_paris', type: 'function', function: { name: 'get_weather', arguments: '' } },
      { index: 0, function: { arguments: '{"location": "Pa' } },
      { index: 0, function: { arguments: 'ris"}' } },
      { index: 1, id: 'toolu_rome', type: 'function', function: { name: 'get_weather', arguments: '' } },
      { index: 1, function: { arguments: '{"location": "Rome"}' } },
    ]);
  });

  it('guarantee: exactly one chunk carries finish_reason', () => {
    const t = make();
    let out = relay(t, cutBeforeLast(ANTHROPIC_TEXT_STREAM, 1), { cleanEnd: false });
    // A repeated message_delta only refines usage.
    out += t.push(ev('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 16 } }));
    out += t.push(ev('message_stop'));
    assert.equal(chunks(openAIOutput(out)).filter((c) => c.choices[0]?.finish_reason).length, 1);
  });

  it('guarantee: with includeUsage every other chunk has usage null; without it no usage field at all', () => {
    const withUsage = chunks(openAIOutput(relay(make(true), ANTHROPIC_TEXT_STREAM)));
    assert.ok(withUsage.slice(0, -1).every((c) => c.usage === null));
    const without = chunks(openAIOutput(relay(make(false), ANTHROPIC_TEXT_STREAM)));
    assert.ok(without.every((c) => !('usage' in c) && c.choices.length === 1));
  });

  it('guarantee: [DONE] at most once and only after message_stop', () => {
    const t = make();
    const out = relay(t, ANTHROPIC_TEXT_STREAM) + t.push(ev('message_stop')) + t.end();
    assert.equal(openAIOutput(out).filter((x) => x === '[DONE]').length, 1);
  });

  it('guarantee: a stream cut before message_stop is never closed with [DONE]', () => {
    for (const cut of [1, 2, 4]) {
      const t = make(true);
      const out = openAIOutput(relay(t, cutBeforeLast(ANTHROPIC_TEXT_STREAM, cut)));
      assert.equal(out.includes('[DONE]'), false, `cut ${cut}`);
      assert.equal(t.completed(), false);
    }
  });

  it('guarantee: an upstream error becomes one in-band OpenAI error and nothing follows it', () => {
    const t = make();
    let out = relay(t, cutBeforeLast(ANTHROPIC_TEXT_STREAM, 3), { cleanEnd: false });
    out += t.push(ev('error', { error: { type: 'overloaded_error', message: 'Overloaded' } }));
    out += t.push(ev('message_stop')) + t.end() + t.fail('api_error', 'again');
    const parsed = openAIOutput(out);
    assert.deepEqual(parsed.at(-1), { error: { message: 'Overloaded', type: 'overloaded_error', param: null, code: null } });
    assert.equal(parsed.filter((x) => typeof x === 'object' && x !== null && 'error' in x).length, 1);
    assert.equal(t.completed(), false);
  });

  it('an unparseable or truncated upstream event becomes an in-band error, never a crash', () => {
    const t = make();
    assert.equal(t.push({ event: 'message_start', data: '{"type":"message_start"}' }).startsWith('data: {"id":"msg_switchyard"'), true);
    assert.equal(t.push({ event: 'content_block_start', data: '{"type":"content_block_start","index":0}' }), '');
    const out = openAIOutput(t.push({ event: 'content_block_delta', data: '{"type":"content_block_delta",' }));
    assert.deepEqual(out, [{ error: { message: 'upstream sent an unparseable stream event', type: 'api_error', param: null, code: null } }]);
  });

  it('fail() lets the gateway end a cut stream with an in-band error', () => {
    const t = make();
    relay(t, cutBeforeLast(ANTHROPIC_TEXT_STREAM, 2));
    assert.deepEqual(openAIOutput(t.fail('api_error', 'upstream connection reset')), [
      { error: { message: 'upstream connection reset', type: 'api_error', param: null, code: null } },
    ]);
  });

  it('sawContent: role chunks and pings do not count, text does', () => {
    const t = make();
    relay(t, cutBeforeLast(ANTHROPIC_TEXT_STREAM, 5), { cleanEnd: false }); // message_start, block start, ping
    assert.equal(t.sawContent(), false);
    t.push(ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'a' } }));
    assert.equal(t.sawContent(), true);
  });

  it('sawContent: a tool call counts', () => {
    const t = make();
    t.push(ev('content_block_start', { index: 0, content_block: { type: 'tool_use', id: 't', name: 'f', input: {} } }));
    assert.equal(t.sawContent(), true);
  });

  it('maps max_tokens to finish_reason length (thinking is dropped: documented loss)', () => {
    const sse = ANTHROPIC_TEXT_STREAM.replace('"stop_reason":"end_turn"', '"stop_reason":"max_tokens"');
    const cs = chunks(openAIOutput(relay(make(), sse)));
    assert.equal(cs.find((c) => c.choices[0]?.finish_reason)?.choices[0]?.finish_reason, 'length');
  });
});

describe('createStreamTranslator', () => {
  it('says passthrough for same-format pairs', () => {
    assert.deepEqual(createStreamTranslator('openai', 'openai', { includeUsage: true }), { mode: 'passthrough' });
    assert.deepEqual(createStreamTranslator('anthropic', 'anthropic', { includeUsage: false }), { mode: 'passthrough' });
  });
});
