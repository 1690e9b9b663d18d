import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OverlapTrimmer } from '../../src/streaming/overlapTrimmer.js';
import { withAssistantPrefill } from '../../src/streaming/prefillRequest.js';
import { SpliceRewriter } from '../../src/streaming/spliceRewriter.js';
import { summarizeClientStream } from '../../src/streaming/streamSummary.js';
import { readAnthropicEvent, readOpenAIEvent, SseParser, writeAnthropicEvent, writeOpenAIEvent } from '../../src/dialects/index.js';
import { anthropicFrames, anthropicText, openAIFrames, openAIText, sseEvents } from '../support/streamMocks.js';

const events = (frames: readonly string[]) => new SseParser().push(frames.join(''));

/** Continuation text through the splice as the relay drives it: each event read once, each rewritten event written once. */
function rewrite(rewriter: SpliceRewriter, sse: string): string {
  const continuation = events([sse]);
  if (rewriter.client === 'openai') return continuation.map(readOpenAIEvent).flatMap((e) => rewriter.openAI(e)).map(writeOpenAIEvent).join('');
  return continuation.map(readAnthropicEvent).flatMap((e) => rewriter.anthropic(e)).map(writeAnthropicEvent).join('');
}

describe('OverlapTrimmer', () => {
  it('drops the held-back whitespace a continuation repeats', () => {
    const t = new OverlapTrimmer('Hello ', ' ');
    assert.equal(t.push(' world'), 'world');
    assert.equal(t.push('!'), '!');
  });

  it('drops a full echo of the streamed text, even when it arrives in pieces', () => {
    const t = new OverlapTrimmer('Hello wor', '');
    assert.equal(t.push('Hel'), '');
    assert.equal(t.push('lo wo'), '');
    assert.equal(t.push('rld'), 'ld');
  });

  it('passes text that only starts like a repeat', () => {
    const t = new OverlapTrimmer('Hello', '');
    assert.equal(t.push('Hel'), '');
    assert.equal(t.push('p me'), 'Help me');
  });

  it('flushes held real text at the end, and drops held whitespace', () => {
    const a = new OverlapTrimmer('abc', '');
    a.push('ab');
    assert.equal(a.flush(), 'ab');
    const b = new OverlapTrimmer('x \n', ' \n');
    b.push(' ');
    assert.equal(b.flush(), '');
  });
});

describe('withAssistantPrefill', () => {
  it('appends the streamed text without trailing whitespace and says what it held back', () => {
    const r = withAssistantPrefill('openai', { model: 'm', messages: [{ role: 'user', content: 'q' }] }, 'Answer: 4 \n');
    assert.deepEqual(r.json['messages'], [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'Answer: 4' }]);
    assert.equal(r.heldBack, ' \n');
    assert.equal(r.json['stream'], true);
  });

  it("extends the client's own prefill instead of adding a second assistant message", () => {
    const r = withAssistantPrefill('anthropic', { messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: '{"a":' }] }, ' 1');
    assert.deepEqual(r.json['messages'], [{ role: 'user', content: 'q' }, { role: 'assistant', content: '{"a": 1' }]);
  });

  it('adds nothing when nothing was streamed', () => {
    const r = withAssistantPrefill('openai', { messages: [{ role: 'user', content: 'q' }] }, '');
    assert.equal((r.json['messages'] as unknown[]).length, 1);
  });
});

describe('summarizeClientStream', () => {
  it('OpenAI: text, identity, no finish when cut', () => {
    const s = summarizeClientStream('openai', events(openAIFrames(['a', 'b'], { open: true })));
    assert.equal(s.text, 'ab');
    assert.equal(s.id, 'chatcmpl-mock');
    assert.equal(s.finished, false);
    assert.equal(s.toolCall, false);
  });

  it('Anthropic: the open text block and the next index', () => {
    const s = summarizeClientStream('anthropic', events(anthropicFrames(['a', 'b'], { open: true })));
    assert.equal(s.text, 'ab');
    assert.equal(s.openTextBlock, 0);
    assert.equal(s.nextBlockIndex, 1);
    const done = summarizeClientStream('anthropic', events(anthropicFrames(['a'])));
    assert.equal(done.finished, true);
    assert.equal(done.openTextBlock, undefined);
  });
});

describe('SpliceRewriter', () => {
  it('OpenAI: no second role chunk, the original id, repeated whitespace dropped', () => {
    const before = openAIFrames(['Hello '], { open: true });
    const summary = summarizeClientStream('openai', events(before));
    const continuation = openAIFrames([' world', '!'], { model: 'other' }).map((f) => f.replace('chatcmpl-mock', 'chatcmpl-other'));
    const out = rewrite(new SpliceRewriter('openai', summary, new OverlapTrimmer('Hello ', ' ')), continuation.join(''));
    const whole = before.join('') + out;
    assert.equal(openAIText(whole), 'Hello world!');
    const chunks = sseEvents(whole).filter((e) => e.data !== '[DONE]').map((e) => JSON.parse(e.data) as { id: string; choices: { delta: { role?: string } }[] });
    assert.equal(chunks.filter((c) => c.choices[0]?.delta.role).length, 1);
    assert.ok(chunks.every((c) => c.id === 'chatcmpl-mock'));
  });

  it('Anthropic: no second message_start; the first text block merges into the open one', () => {
    const before = anthropicFrames(['Hello'], { open: true });
    const summary = summarizeClientStream('anthropic', events(before));
    const out = rewrite(new SpliceRewriter('anthropic', summary, new OverlapTrimmer('Hello', '')), anthropicFrames([' there']).join(''));
    const whole = before.join('') + out;
    assert.equal(anthropicText(whole), 'Hello there');
    const parsed = sseEvents(whole).map((e) => JSON.parse(e.data) as { type: string; index?: number });
    assert.equal(parsed.filter((e) => e.type === 'message_start').length, 1);
    assert.deepEqual(parsed.filter((e) => e.type.startsWith('content_block')).map((e) => e.index), parsed.filter((e) => e.type.startsWith('content_block')).map(() => 0));
  });

  it('Anthropic: a closed text block means the continuation opens the next index', () => {
    const before = [...anthropicFrames(['Hi'], { open: true }), 'event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\n'];
    const summary = summarizeClientStream('anthropic', events(before));
    const out = rewrite(new SpliceRewriter('anthropic', summary, new OverlapTrimmer('Hi', '')), anthropicFrames(['!']).join(''));
    const starts = sseEvents(out).map((e) => JSON.parse(e.data) as { type: string; index?: number }).filter((e) => e.type === 'content_block_start');
    assert.deepEqual(starts.map((s) => s.index), [1]);
  });
});
