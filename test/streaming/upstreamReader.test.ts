import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { UpstreamEventReader, type ReadResult } from '../../src/streaming/upstreamReader.js';
import { isContentEvent, isErrorEvent, isFinishEvent, isTerminalEvent } from '../../src/streaming/eventKinds.js';

function reader(chunks: readonly string[]): UpstreamEventReader {
  const body = Readable.from(chunks.map((c) => Buffer.from(c)));
  return new UpstreamEventReader(body, body[Symbol.asyncIterator]() as AsyncIterator<Buffer>, new AbortController().signal);
}

async function all(r: UpstreamEventReader): Promise<ReadResult[]> {
  const out: ReadResult[] = [];
  for (;;) {
    const x = await r.next(undefined);
    out.push(x);
    if (x.kind !== 'chunk') return out;
  }
}

describe('UpstreamEventReader', () => {
  it('hands on whole events only, holding a split event until it completes', async () => {
    const results = await all(reader(['data: {"a":1}\n\ndata: {"b"', ':2}\n', '\n', 'data: [DONE]\r\n\r\n']));
    const chunks = results.filter((r) => r.kind === 'chunk');
    assert.deepEqual(chunks.map((c) => c.kind === 'chunk' && c.bytes.toString()), ['data: {"a":1}\n\n', 'data: {"b":2}\n\n', 'data: [DONE]\r\n\r\n']);
    assert.deepEqual(chunks.map((c) => c.kind === 'chunk' && c.events.map((e) => e.data)), [['{"a":1}'], ['{"b":2}'], ['[DONE]']]);
    assert.equal(results.at(-1)?.kind, 'end');
  });

  it('delivers a final event that lacks its blank line at the end', async () => {
    const results = await all(reader(['data: 1\n\n', 'data: [DONE]']));
    const end = results.at(-1)!;
    assert.equal(end.kind, 'end');
    if (end.kind === 'end') {
      assert.equal(end.bytes.toString(), 'data: [DONE]');
      assert.deepEqual(end.events.map((e) => e.data), ['[DONE]']);
    }
  });

  it('skips comment-only chunks (keep-alives are not events)', async () => {
    const results = await all(reader([': keep-alive\n\n', 'data: x\n\n']));
    assert.deepEqual(results.map((r) => r.kind), ['chunk', 'end']);
  });

  it('reports a timer without losing the pending read', async () => {
    const body = new Readable({ read() {} });
    const r = new UpstreamEventReader(body, body[Symbol.asyncIterator]() as AsyncIterator<Buffer>, new AbortController().signal);
    assert.equal((await r.next(performance.now() + 20)).kind, 'timer');
    body.push('data: late\n\n');
    const next = await r.next(performance.now() + 1000);
    assert.equal(next.kind === 'chunk' && next.events[0]?.data, 'late');
    r.close();
  });
});

describe('event kinds', () => {
  it('tell content, finish, terminal and error events apart in both formats', () => {
    const role = { event: undefined, data: '{"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}' };
    const text = { event: undefined, data: '{"choices":[{"index":0,"delta":{"content":"x"},"finish_reason":null}]}' };
    const finish = { event: undefined, data: '{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}' };
    assert.equal(isContentEvent(role, 'openai'), false);
    assert.equal(isContentEvent(text, 'openai'), true);
    assert.equal(isFinishEvent(finish, 'openai'), true);
    assert.equal(isFinishEvent(role, 'openai'), false);
    assert.equal(isTerminalEvent({ event: undefined, data: '[DONE]' }, 'openai'), true);
    assert.equal(isErrorEvent({ event: undefined, data: '{"error":{"message":"x"}}' }, 'openai'), true);
    const ping = { event: 'ping', data: '{"type":"ping"}' };
    const start = { event: 'message_start', data: '{"type":"message_start","message":{}}' };
    const delta = { event: 'content_block_delta', data: '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x"}}' };
    assert.equal(isContentEvent(ping, 'anthropic'), false);
    assert.equal(isContentEvent(start, 'anthropic'), false);
    assert.equal(isContentEvent(delta, 'anthropic'), true);
    assert.equal(isTerminalEvent({ event: 'message_stop', data: '{"type":"message_stop"}' }, 'anthropic'), true);
    assert.equal(isErrorEvent({ event: 'error', data: '{"type":"error","error":{}}' }, 'anthropic'), true);
    assert.equal(isErrorEvent(delta, 'anthropic'), false);
    // Reasoning counts: a thinking model has started answering.
    const thinking = { event: 'content_block_delta', data: '{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"hm"}}' };
    assert.equal(isContentEvent(thinking, 'anthropic'), true);
    assert.equal(isContentEvent({ event: undefined, data: '{"choices":[{"index":0,"delta":{"reasoning_content":"hm"}}]}' }, 'openai'), true);
  });
});
