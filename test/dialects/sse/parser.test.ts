import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SseParser, type SseEvent } from '../../../src/dialects/sse/parser.js';
import { formatSse } from '../../../src/dialects/sse/format.js';

const parseAll = (chunks: Array<Buffer | string>): SseEvent[] => {
  const parser = new SseParser();
  const out: SseEvent[] = [];
  for (const c of chunks) out.push(...parser.push(c));
  out.push(...parser.flush());
  return out;
};

const SAMPLE = Buffer.from(
  'event: message_start\ndata: {"type":"message_start","text":"héllo — 世界 🎉"}\n\n' +
    ': keep-alive comment\n\n' +
    'event: content_block_delta\r\ndata: {"a":1}\r\n\r\n' +
    'data: line one\rdata: line two\r\r' +
    'id: 7\nevent: ping\ndata: {"type": "ping"}\n\n' +
    'event: lonely\n\n' +
    'data: [DONE]\n\n',
);

const EXPECTED: SseEvent[] = [
  { event: 'message_start', data: '{"type":"message_start","text":"héllo — 世界 🎉"}' },
  { event: 'content_block_delta', data: '{"a":1}' },
  { event: undefined, data: 'line one\nline two' },
  { event: 'ping', data: '{"type": "ping"}' },
  { event: undefined, data: '[DONE]' },
];

describe('SseParser', () => {
  it('parses LF, CRLF and CR line endings, comments, ids and multi-line data', () => {
    assert.deepEqual(parseAll([SAMPLE]), EXPECTED);
  });

  it('yields the same events when the bytes are split at every offset', () => {
    for (let i = 0; i <= SAMPLE.length; i++) {
      assert.deepEqual(parseAll([SAMPLE.subarray(0, i), SAMPLE.subarray(i)]), EXPECTED, `split at ${i}`);
    }
  });

  it('yields the same events when fed one byte at a time (split UTF-8 sequences)', () => {
    const bytes = [...SAMPLE].map((b) => Buffer.from([b]));
    assert.deepEqual(parseAll(bytes), EXPECTED);
  });

  it('yields the same events however the bytes are chunked (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: SAMPLE.length }), { maxLength: 12 }), (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const chunks: Buffer[] = [];
        let prev = 0;
        for (const p of points) {
          chunks.push(SAMPLE.subarray(prev, p));
          prev = p;
        }
        chunks.push(SAMPLE.subarray(prev));
        assert.deepEqual(parseAll(chunks), EXPECTED);
      }),
    );
  });

  it('skips events that carry no data line', () => {
    assert.deepEqual(parseAll(['event: x\n\nevent: y\nid: 1\n\n']), []);
  });

  it('keeps an empty data line as an event with empty data', () => {
    assert.deepEqual(parseAll(['data:\n\n']), [{ event: undefined, data: '' }]);
  });

  it('strips exactly one space after the colon and treats a bare field name as empty', () => {
    assert.deepEqual(parseAll(['data:  two spaces\ndata\n\n']), [{ event: undefined, data: ' two spaces\n' }]);
  });

  it('resets the event type after each dispatch', () => {
    assert.deepEqual(parseAll(['event: a\ndata: 1\n\ndata: 2\n\n']), [
      { event: 'a', data: '1' },
      { event: undefined, data: '2' },
    ]);
  });

  it('delivers a final event without its blank line on flush', () => {
    const parser = new SseParser();
    assert.deepEqual(parser.push('data: [DONE]'), []);
    assert.deepEqual(parser.flush(), [{ event: undefined, data: '[DONE]' }]);
  });

  it('does not count a CRLF split across chunks as two line breaks', () => {
    assert.deepEqual(parseAll(['data: a\r', '\ndata: b\r', '\n\r', '\n']), [{ event: undefined, data: 'a\nb' }]);
  });

  it('ignores a leading byte-order mark', () => {
    assert.deepEqual(parseAll([Buffer.from([0xef, 0xbb]), Buffer.from([0xbf, ...Buffer.from('data: x\n\n')])]), [
      { event: undefined, data: 'x' },
    ]);
  });

  it('joins a long line delivered over many chunks', () => {
    const long = 'x'.repeat(100_000);
    const text = `data: ${long}\n\n`;
    const chunks: string[] = [];
    for (let i = 0; i < text.length; i += 7) chunks.push(text.slice(i, i + 7));
    assert.deepEqual(parseAll(chunks), [{ event: undefined, data: long }]);
  });

  it('parses 10k streamed token events quickly', () => {
    const one = 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"tok"}}\n\n';
    const body = Buffer.from(one.repeat(10_000));
    const start = process.hrtime.bigint();
    const parser = new SseParser();
    let n = 0;
    for (let i = 0; i < body.length; i += 1024) n += parser.push(body.subarray(i, i + 1024)).length;
    n += parser.flush().length;
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    assert.equal(n, 10_000);
    assert.ok(ms < 500, `took ${ms}ms`);
  });
});

describe('formatSse', () => {
  it('round-trips event names and multi-line data through the parser', () => {
    fc.assert(
      fc.property(
        fc.option(fc.stringMatching(/^[a-z_]{1,12}$/), { nil: undefined }),
        fc.string({ unit: 'grapheme' }),
        (event, data) => {
          const normalised = data.replace(/\r\n|\r/g, '\n');
          assert.deepEqual(parseAll([formatSse(event, data)]), [{ event, data: normalised }]);
        },
      ),
    );
  });
});
