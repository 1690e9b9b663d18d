import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { UpstreamEventReader, type ReadResult } from '../../src/streaming/upstreamReader.js';

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
    assert.deepEqual(chunks.map((c) => c.bytes.toString()), ['data: {"a":1}\n\n', 'data: {"b":2}\n\n', 'data: [DONE]\r\n\r\n']);
    assert.deepEqual(chunks.map((c) => c.events.map((e) => e.data)), [['{"a":1}'], ['{"b":2}'], ['[DONE]']]);
    assert.equal(results.at(-1)?.kind, 'end');
  });

  it('delivers a final event that lacks its blank line at the end', async () => {
    const results = await all(reader(['data: 1\n\n', 'data: [DONE]']));
    const end = results.at(-1)!;
    assert.equal(end.kind, 'end');
    assert.equal(end.bytes.toString(), 'data: [DONE]');
    assert.deepEqual(end.events.map((e) => e.data), ['[DONE]']);
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
