import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MessageStream } from '@anthropic-ai/sdk/lib/MessageStream';
import { OPENAI_PARALLEL_TOOLS_STREAM, OPENAI_TEXT_STREAM } from './fixtures.js';
import { anthropicOutput, cutBeforeLast, ndjson, relay, textTranslator, type TextTranslator } from './harness.js';

const make = (): TextTranslator => textTranslator('openai', 'anthropic', { includeUsage: false });

const chunk = (delta: object, finish: string | null = null, extra: object = {}) => ({
  event: undefined,
  data: JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }], ...extra }),
});
const DONE = { event: undefined, data: '[DONE]' };
const names = (sse: string) => anthropicOutput(sse).map(([name]) => name);

describe('OpenAI → Anthropic stream (AnthropicStreamSequencer)', () => {
  it('translates a recorded text stream with usage in message_delta', () => {
    const t = make();
    const out = anthropicOutput(relay(t, OPENAI_TEXT_STREAM));
    assert.deepEqual(out, [
      [
        'message_start',
        {
          type: 'message_start',
          message: {
            id: 'chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG',
            type: 'message',
            role: 'assistant',
            model: 'gpt-4o-2024-08-06',
            content: [],
            stop_reason: null,
            stop_sequence: null,
            usage: { input_tokens: 0, output_tokens: 0 },
          },
        },
      ],
      ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }],
      ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hello' } }],
      ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: ', world' } }],
      ['content_block_stop', { type: 'content_block_stop', index: 0 }],
      [
        'message_delta',
        {
          type: 'message_delta',
          delta: { stop_reason: 'end_turn', stop_sequence: null },
          usage: { input_tokens: 30, output_tokens: 15, cache_creation_input_tokens: 0, cache_read_input_tokens: 100 },
        },
      ],
      ['message_stop', { type: 'message_stop' }],
    ]);
    assert.ok(t.completed());
    assert.ok(t.sawContent());
  });

  it('is accepted by the official Anthropic SDK accumulator (text and parallel tool calls)', async () => {
    const text = anthropicOutput(relay(make(), OPENAI_TEXT_STREAM)).map(([, data]) => data);
    const message = await MessageStream.fromReadableStream(ndjson(text)).finalMessage();
    assert.deepEqual(message.content, [{ type: 'text', text: 'Hello, world' }]);
    assert.equal(message.usage.output_tokens, 15);
    assert.equal(message.usage.input_tokens, 30);

    const tools = anthropicOutput(relay(make(), OPENAI_PARALLEL_TOOLS_STREAM)).map(([, data]) => data);
    const withTools = await MessageStream.fromReadableStream(ndjson(tools)).finalMessage();
    assert.equal(withTools.stop_reason, 'tool_use');
    assert.deepEqual(
      withTools.content.map((b) => (b.type === 'tool_use' ? [b.id, b.name, b.input] : [b.type])),
      [
        ['call_paris', 'get_weather', { location: 'Paris' }],
        ['call_rome', 'get_weather', { location: 'Rome' }],
      ],
    );
  });

  it('guarantee: message_start comes first and exactly once', () => {
    const evs = names(relay(make(), OPENAI_PARALLEL_TOOLS_STREAM));
    assert.equal(evs[0], 'message_start');
    assert.equal(evs.filter((n) => n === 'message_start').length, 1);
  });

  it('guarantee: blocks are dense from 0, started before deltas, stopped once, one open at a time', () => {
    const t = make();
    const sse =
      t.push(chunk({ role: 'assistant', content: 'Let me check.' })) +
      t.push(chunk({ tool_calls: [{ index: 0, id: 'a', type: 'function', function: { name: 'f', arguments: '{}' } }] })) +
      t.push(chunk({ tool_calls: [{ index: 1, id: 'b', type: 'function', function: { name: 'g', arguments: '' } }] })) +
      t.push(chunk({ tool_calls: [{ index: 1, function: { arguments: '{"x":1}' } }] })) +
      t.push(chunk({}, 'tool_calls')) +
      t.push(DONE);
    const open = new Set<number>();
    const seen: number[] = [];
    for (const [name, data] of anthropicOutput(sse)) {
      const index = data.index as number;
      if (name === 'content_block_start') {
        assert.equal(open.size, 0, 'one open block at a time');
        assert.equal(index, seen.length, 'dense indices');
        open.add(index);
        seen.push(index);
      } else if (name === 'content_block_delta') assert.ok(open.has(index), 'delta only for an open block');
      else if (name === 'content_block_stop') assert.ok(open.delete(index), 'stopped exactly once');
    }
    assert.deepEqual(seen, [0, 1, 2]);
    assert.equal(open.size, 0);
  });

  it('guarantee: parallel tool calls map to tool_use blocks in order of first appearance', () => {
    const out = anthropicOutput(relay(make(), OPENAI_PARALLEL_TOOLS_STREAM));
    const starts = out.filter(([n]) => n === 'content_block_start').map(([, d]) => d.content_block);
    assert.deepEqual(starts, [
      { type: 'tool_use', id: 'call_paris', name: 'get_weather', input: {} },
      { type: 'tool_use', id: 'call_rome', name: 'get_weather', input: {} },
    ]);
    const json = out.filter(([n]) => n === 'content_block_delta').map(([, d]) => [d.index, (d.delta as { partial_json: string }).partial_json]);
    assert.deepEqual(json, [
      [0, '{"lo'],
      [0, 'cation": "Paris"}'],
      [1, '{"location": "Rome"}'],
    ]);
  });

  it('guarantee: interleaved arguments for a closed tool block end the stream with an error, not a silent drop', () => {
    const t = make();
    const sse =
      t.push(chunk({ tool_calls: [{ index: 0, id: 'a', type: 'function', function: { name: 'f', arguments: '{"a":' } }] })) +
      t.push(chunk({ tool_calls: [{ index: 1, id: 'b', type: 'function', function: { name: 'g', arguments: '{}' } }] })) +
      t.push(chunk({ tool_calls: [{ index: 0, function: { arguments: '1}' } }] })) +
      t.push(DONE);
    assert.equal(names(sse).at(-1), 'error');
    assert.equal(t.completed(), false);
  });

  it('guarantee: message_delta exactly once, right before message_stop', () => {
    const evs = names(relay(make(), OPENAI_PARALLEL_TOOLS_STREAM));
    assert.equal(evs.filter((n) => n === 'message_delta').length, 1);
    assert.deepEqual(evs.slice(-2), ['message_delta', 'message_stop']);
  });

  it('guarantee: message_stop at most once; nothing after it', () => {
    const t = make();
    const out = relay(t, OPENAI_TEXT_STREAM) + t.push(DONE) + t.push(chunk({ content: 'late' })) + t.end() + t.fail('api_error', 'x');
    const evs = names(out);
    assert.equal(evs.filter((n) => n === 'message_stop').length, 1);
    assert.equal(evs.at(-1), 'message_stop');
  });

  it('guarantee: no message_stop when the upstream was cut before its finish_reason', () => {
    for (const cut of [3, 4, 5]) {
      const t = make();
      const evs = names(relay(t, cutBeforeLast(OPENAI_TEXT_STREAM, cut)));
      assert.equal(evs.includes('message_stop'), false, `cut ${cut}`);
      assert.equal(t.completed(), false);
    }
  });

  it('a finish_reason followed by a clean end without [DONE] completes the stream', () => {
    const t = make();
    const evs = names(relay(t, cutBeforeLast(OPENAI_TEXT_STREAM, 1)));
    assert.deepEqual(evs.slice(-2), ['message_delta', 'message_stop']);
    assert.ok(t.completed());
  });

  it('guarantee: an in-band upstream error becomes one Anthropic error event and ends the stream', () => {
    const t = make();
    const out =
      t.push(chunk({ role: 'assistant', content: 'Hi' })) +
      t.push({ event: undefined, data: '{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}' }) +
      t.push(DONE);
    const parsed = anthropicOutput(out);
    assert.deepEqual(parsed.at(-1), ['error', { type: 'error', error: { type: 'requests', message: 'Rate limit reached' } }]);
    assert.equal(parsed.filter(([n]) => n === 'message_stop').length, 0);
  });

  it('sawContent: a role-only delta does not count; text and tool calls do', () => {
    const t = make();
    t.push(chunk({ role: 'assistant', content: '' }));
    assert.equal(t.sawContent(), false);
    t.push(chunk({ content: 'x' }));
    assert.equal(t.sawContent(), true);
    const u = make();
    u.push(chunk({ tool_calls: [{ index: 0, id: 'a', type: 'function', function: { name: 'f', arguments: '' } }] }));
    assert.equal(u.sawContent(), true);
  });

  it('a streamed refusal becomes text with stop_reason refusal', () => {
    const t = make();
    const out = t.push(chunk({ role: 'assistant', refusal: 'No.' })) + t.push(chunk({}, 'stop')) + t.push(DONE);
    const parsed = anthropicOutput(out);
    const delta = parsed.find(([n]) => n === 'message_delta')?.[1].delta as { stop_reason: string };
    assert.equal(delta.stop_reason, 'refusal');
    assert.ok(parsed.some(([n, d]) => n === 'content_block_delta' && (d.delta as { text: string }).text === 'No.'));
  });

  it('usage and finish_reason in the same chunk (some compatible servers) still reach message_delta', () => {
    const t = make();
    const out =
      t.push(chunk({ content: 'x' })) +
      t.push(chunk({}, 'length', { usage: { prompt_tokens: 5, completion_tokens: 7, total_tokens: 12 } })) +
      t.push(DONE);
    const delta = anthropicOutput(out).find(([n]) => n === 'message_delta')?.[1];
    assert.deepEqual(delta, {
      type: 'message_delta',
      delta: { stop_reason: 'max_tokens', stop_sequence: null },
      usage: { input_tokens: 5, output_tokens: 7, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    });
  });
});
