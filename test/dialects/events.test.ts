import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  classifyAnthropicEvent,
  classifyAnthropicSse,
  readAnthropicEvent,
  writeAnthropicEvent,
} from '../../src/dialects/anthropic/events.js';
import {
  classifyOpenAIEvent,
  classifyOpenAISse,
  finishReason,
  isOpenAIContentEvent,
  readOpenAIEvent,
  writeOpenAIEvent,
} from '../../src/dialects/openai/events.js';
import { choiceZero } from '../../src/dialects/openai/choiceZero.js';
import type { OpenAIChunk } from '../../src/dialects/openai/types.js';
import { classifyEvent, isContentEvent } from '../../src/dialects/streamEvents.js';
import { openAIToAnthropicResponse } from '../../src/dialects/translate/response/toAnthropic.js';
import { openAISignals } from '../../src/dialects/translate/stream/openAISignals.js';
import type { OpenAIResponse } from '../../src/dialects/openai/types.js';

const sse = (data: string, event?: string) => ({ event, data });

describe('event kinds', () => {
  it('tell content, finish, terminal and error events apart in both formats', () => {
    const role = { event: undefined, data: '{"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}' };
    const text = { event: undefined, data: '{"choices":[{"index":0,"delta":{"content":"x"},"finish_reason":null}]}' };
    const finish = { event: undefined, data: '{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}' };
    assert.equal(isContentEvent(role, 'openai'), false);
    assert.equal(isContentEvent(text, 'openai'), true);
    assert.equal(classifyEvent(finish, 'openai'), 'finish');
    assert.equal(classifyEvent(role, 'openai'), 'other');
    assert.equal(classifyEvent({ event: undefined, data: '[DONE]' }, 'openai'), 'terminal');
    assert.equal(classifyEvent({ event: undefined, data: '{"error":{"message":"x"}}' }, 'openai'), 'error');
    const ping = { event: 'ping', data: '{"type":"ping"}' };
    const start = { event: 'message_start', data: '{"type":"message_start","message":{}}' };
    const delta = { event: 'content_block_delta', data: '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x"}}' };
    assert.equal(isContentEvent(ping, 'anthropic'), false);
    assert.equal(isContentEvent(start, 'anthropic'), false);
    assert.equal(isContentEvent(delta, 'anthropic'), true);
    assert.equal(classifyEvent({ event: 'message_stop', data: '{"type":"message_stop"}' }, 'anthropic'), 'terminal');
    assert.equal(classifyEvent({ event: 'error', data: '{"type":"error","error":{}}' }, 'anthropic'), 'error');
    assert.equal(classifyEvent(delta, 'anthropic'), 'other');
    // Reasoning counts: a thinking model has started answering.
    const thinking = { event: 'content_block_delta', data: '{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"hm"}}' };
    assert.equal(isContentEvent(thinking, 'anthropic'), true);
    assert.equal(isContentEvent({ event: undefined, data: '{"choices":[{"index":0,"delta":{"reasoning_content":"hm"}}]}' }, 'openai'), true);
  });
});

describe('the OpenAI event reader', () => {
  it('an error event is recognised with or without an event: line', () => {
    for (const ev of [
      sse('{"error":{"message":"overloaded","type":"server_error"}}'),
      sse('{"id":"c1","error":{"message":"late key"}}'),
      sse('{"error":"plain string"}'),
      sse('{"message":"overloaded"}', 'error'),
      sse('Internal Server Error', 'error'),
    ]) {
      assert.equal(classifyOpenAISse(ev), 'error', ev.data);
      assert.equal(classifyOpenAIEvent(readOpenAIEvent(ev)), 'error', ev.data);
    }
  });

  it('choice 0 is the choice whose index is 0, wherever it stands in the list', () => {
    const chunk = {
      id: 'c',
      choices: [
        { index: 1, delta: { content: 'not me' }, finish_reason: 'stop' },
        { index: 0, delta: { content: 'me' }, finish_reason: null },
      ],
    };
    const ev = sse(JSON.stringify(chunk));
    assert.equal(classifyOpenAISse(ev), 'other', 'the finish reason of choice 1 is not the answer finishing');
    assert.deepEqual(
      openAISignals(readOpenAIEvent(ev)).filter((s) => s.kind === 'text'),
      [{ kind: 'text', text: 'me', refusal: false }],
    );
    // Without an index 0, the first choice is the choice.
    assert.equal(finishReason({ choices: [{ index: 3, delta: {}, finish_reason: 'length' }] } as unknown as OpenAIChunk), 'length');
    const response = { id: 'r', model: 'm', choices: [{ index: 1, message: { content: 'no' } }, { index: 0, message: { content: 'yes' }, finish_reason: 'stop' }] };
    assert.deepEqual(openAIToAnthropicResponse(response as unknown as OpenAIResponse).content, [{ type: 'text', text: 'yes' }]);
  });

  it('malformed choice lists are read as no choice, never a crash', () => {
    for (const choices of [null, {}, 'x', [null], [1, 2], [{ index: 0, delta: null }]]) {
      const e = readOpenAIEvent(sse(JSON.stringify({ id: 'c', choices })));
      assert.equal(classifyOpenAIEvent(e), 'other');
      assert.equal(isOpenAIContentEvent(e), false);
      assert.doesNotThrow(() => openAISignals(e));
    }
    assert.equal(choiceZero(undefined), undefined);
  });

  it('a finish reason is a non-empty string on choice 0', () => {
    const finish = (reason: unknown) => classifyOpenAIEvent(readOpenAIEvent(sse(JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: reason }] }))));
    assert.equal(finish('stop'), 'finish');
    assert.equal(finish(null), 'other');
    assert.equal(finish(''), 'other');
    assert.equal(finish(1), 'other');
  });

  it('data that is not a JSON object is relayed as it came', () => {
    for (const data of ['{"choices":[{"delta":{"content": nope', 'null', '[1]', ': not json']) {
      const e = readOpenAIEvent(sse(data, 'message'));
      assert.equal(e.kind, 'opaque');
      assert.equal(writeOpenAIEvent(e), `event: message\ndata: ${data}\n\n`);
      assert.equal(classifyOpenAIEvent(e), 'other');
    }
  });

  it('the relay check parses no ordinary event: content, role-only and usage chunks are decided from the text', () => {
    const parse = JSON.parse;
    let parses = 0;
    JSON.parse = ((...args: Parameters<typeof JSON.parse>): unknown => {
      parses++;
      const value: unknown = parse(...args);
      return value;
    }) as typeof JSON.parse;
    try {
      for (const data of [
        '{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}',
        '{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"He said \\"error\\" twice"},"logprobs":null,"finish_reason":null}],"usage":null}',
        '{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}',
      ]) {
        assert.equal(classifyOpenAISse(sse(data)), 'other');
      }
      assert.equal(classifyAnthropicSse(sse('{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x"}}', 'content_block_delta')), 'other');
      assert.equal(classifyAnthropicSse(sse('{"type":"message_stop"}', 'message_stop')), 'terminal');
    } finally {
      JSON.parse = parse;
    }
    assert.equal(parses, 0);
  });
});

describe('the Anthropic event reader', () => {
  it('an error event is recognised with or without an event: line', () => {
    for (const ev of [
      sse('{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}', 'error'),
      sse('{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}'),
      sse('{ "error": {"message": "x"}, "type" : "error" }'),
      sse('not json at all', 'error'),
    ]) {
      assert.equal(classifyAnthropicSse(ev), 'error', ev.data);
      assert.equal(classifyAnthropicEvent(readAnthropicEvent(ev)), 'error', ev.data);
    }
  });

  it("the event: line names an event's type, as Anthropic's SDK reads it", () => {
    const ev = sse('{"type":"error","error":{}}', 'content_block_delta');
    assert.equal(classifyAnthropicSse(ev), 'other');
    const e = readAnthropicEvent(ev);
    assert.equal(classifyAnthropicEvent(e), 'other');
    assert.match(writeAnthropicEvent(e), /^event: content_block_delta\ndata: \{"type":"content_block_delta"/);
  });

  it('unknown event types are neither errors nor the end', () => {
    for (const ev of [sse('{"type":"future_event"}', 'future_event'), sse('{"type":"future_event"}'), sse('{"no_type":1}')]) {
      assert.equal(classifyAnthropicSse(ev), 'other');
      assert.equal(classifyAnthropicEvent(readAnthropicEvent(ev)), 'other');
    }
  });
});
