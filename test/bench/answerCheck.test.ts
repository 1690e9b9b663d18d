import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkChatCompletion, checkChatStream, checkResponse, checkResponsesStream } from '../../bench/answerCheck.js';
import { chatCompletionBody, chatStreamEvents, responseBody, responseStreamEvents } from '../../bench/mockPayloads.js';

const streamText = (): string => Buffer.concat(chatStreamEvents()).toString();

describe('answer checks', () => {
  it('accepts the mock completion and rejects wrong answers', () => {
    assert.deepEqual(checkChatCompletion(200, chatCompletionBody().toString()), { ok: true });
    assert.equal(checkChatCompletion(429, chatCompletionBody().toString()).ok, false);
    assert.equal(checkChatCompletion(200, '<html>').ok, false);
    assert.equal(checkChatCompletion(200, '{"choices":[]}').ok, false);
  });
  it('accepts the mock Response and its stream, and rejects wrong ones', () => {
    assert.deepEqual(checkResponse(200, responseBody().toString()), { ok: true });
    assert.equal(checkResponse(200, chatCompletionBody().toString()).ok, false);
    assert.equal(checkResponse(200, '{"object":"response","status":"failed","output":[]}').ok, false);
    const events = responseStreamEvents().map(String);
    assert.deepEqual(checkResponsesStream(200, 'text/event-stream', events.join('')), { ok: true });
    assert.equal(checkResponsesStream(200, 'text/event-stream', events.slice(0, -1).join('')).ok, false, 'no response.completed');
    assert.equal(checkResponsesStream(200, 'text/event-stream', [events[0], ...events.slice(2)].join('')).ok, false, 'a gap in sequence_number');
  });
  it('accepts a complete SSE stream and counts its chunks', () => {
    assert.deepEqual(checkChatStream(200, 'text/event-stream; charset=utf-8', streamText()), { ok: true, chunks: 20 });
  });
  it('rejects streams that are cut, mislabeled or malformed', () => {
    const text = streamText();
    assert.equal(checkChatStream(200, 'text/event-stream', text.replace('data: [DONE]\n\n', '')).ok, false);
    assert.equal(checkChatStream(200, 'application/json', text).ok, false);
    assert.equal(checkChatStream(200, 'text/event-stream', 'data: {oops\n\ndata: [DONE]\n\n').ok, false);
    assert.equal(checkChatStream(200, 'text/event-stream', 'data: [DONE]\n\n').ok, false);
  });
  it('keeps the mock completion near 400 bytes', () => {
    const size = chatCompletionBody().length;
    assert.ok(size >= 350 && size <= 500, `size ${size}`);
  });
});
