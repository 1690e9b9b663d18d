import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { UpstreamEventReader, type ReadResult } from '../../src/streaming/upstreamReader.js';

function reader(chunks: readonly string[]): UpstreamEventReader {
  const body = Readable.from(chunks.map((c) => Buffer.from(c)));
  return new UpstreamEventReader(body, new AbortController().signal);
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
    const r = new UpstreamEventReader(body, new AbortController().signal);
    assert.equal((await r.next(performance.now() + 20)).kind, 'timer');
    body.push('data: late\n\n');
    const next = await r.next(performance.now() + 1000);
    assert.equal(next.kind === 'chunk' && next.events[0]?.data, 'late');
    r.close();
  });

  it('waits past a timer armed for an earlier, shorter deadline', async () => {
    const body = new Readable({ read() {} });
    const r = new UpstreamEventReader(body, new AbortController().signal);
    assert.equal((await r.next(performance.now() + 10)).kind, 'timer');
    // The next read allows more time; the timer armed for 10 ms must not end it early.
    const started = performance.now();
    setTimeout(() => body.push('data: in time\n\n'), 80);
    const next = await r.next(performance.now() + 5000);
    assert.equal(next.kind === 'chunk' && next.events[0]?.data, 'in time');
    assert.ok(performance.now() - started >= 60);
    // And a sooner deadline than the armed one still fires.
    assert.equal((await r.next(performance.now() + 15)).kind, 'timer');
    r.close();
  });

  it('reports a body destroyed mid-event as cut, and as aborted when the signal aborted', async () => {
    const cutBody = new Readable({ read() {} });
    const cut = new UpstreamEventReader(cutBody, new AbortController().signal);
    cutBody.push('data: {"a":');
    setTimeout(() => cutBody.destroy(new Error('socket hang up')), 10);
    assert.equal((await cut.next(undefined)).kind, 'cut');
    assert.equal((await cut.next(undefined)).kind, 'cut');

    const ac = new AbortController();
    const abortedBody = new Readable({ read() {} });
    const aborted = new UpstreamEventReader(abortedBody, ac.signal);
    setTimeout(() => { ac.abort(); abortedBody.destroy(new Error('aborted')); }, 10);
    assert.equal((await aborted.next(performance.now() + 5000)).kind, 'aborted');
  });

  it('close() during a wait ends it as cut and destroys the body', async () => {
    const body = new Readable({ read() {} });
    const r = new UpstreamEventReader(body, new AbortController().signal);
    const pending = r.next(performance.now() + 5000);
    r.close();
    assert.equal((await pending).kind, 'cut');
    assert.equal(body.destroyed, true);
  });

  it('drain() reads the body to its end', async () => {
    const body = new Readable({ read() {} });
    const r = new UpstreamEventReader(body, new AbortController().signal);
    body.push('data: 1\n\n');
    const first = await r.next(undefined);
    assert.equal(first.kind, 'chunk');
    r.drain(5000);
    body.push('data: [DONE]\n\n');
    body.push(null);
    // 'end' comes only to a body read to its end, never to one destroyed first.
    await new Promise((resolve) => body.once('end', resolve));
    assert.equal(body.readableEnded, true);
  });
});
