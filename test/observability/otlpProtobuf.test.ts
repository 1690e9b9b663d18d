// The gateway's OTLP protobuf encoder against the SDK's own: the same span
// records, given to the SDK's ProtobufTraceSerializer as ReadableSpans, must
// come out as the same bytes. Covers every value type, lengths that take one,
// two and three bytes, non-ASCII text, remote and local parents, trace state,
// events, error status, the attribute and event limits, spans encoded in
// groups, and a batch large enough to grow the buffer several times.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { ProtobufBatcher, encodeFixedAttributes, epochHrTime } from '../../src/observability/tracing/otlpProtobuf.js';
import { asReadableSpan } from '../../src/observability/tracing/readableSpan.js';
import { OTLP_KIND, SAMPLED, SpanRecord, type AttributeMap } from '../../src/observability/tracing/spanRecord.js';
import { decodeProtobufTraces } from '../support/otlpDecode.js';

const RESOURCE = { 'service.name': 'switchyard-test', 'service.version': '9.9.9' };
const SCOPE = { name: 'switchyard', version: '9.9.9' };

function theSdksBytes(spans: readonly SpanRecord[]): Buffer {
  const resource = resourceFromAttributes(RESOURCE);
  return Buffer.from(ProtobufTraceSerializer.serializeRequest(spans.map((s) => asReadableSpan(s, resource, SCOPE)))!);
}

function ours(spans: readonly SpanRecord[], batcher = new ProtobufBatcher(RESOURCE, SCOPE)): Buffer {
  for (const s of spans) batcher.add(s);
  assert.equal(batcher.spans, spans.length);
  // What the batcher counts toward its size limit: the spans, without the request's few bytes of header.
  batcher.encodePending();
  const counted = batcher.bytes;
  const batch = batcher.take();
  assert.equal(batch.spans, spans.length);
  assert.equal(batcher.bytes, 0);
  const header = batch.bytes.length - counted;
  assert.ok(header > 0 && header < 100 && (spans.length === 0) === (counted === 0), `${counted} of ${batch.bytes.length} bytes counted`);
  const bytes = Buffer.from(batch.bytes);
  batcher.release(batch);
  return bytes;
}

let next = 1;
const hex = (bytes: number): string => (next++).toString(16).padStart(bytes * 2, '0');

function span(opts: { parent?: string; remote?: boolean; traceState?: string; fixed?: AttributeMap; kind?: 'server' | 'client'; at?: number } = {}): SpanRecord {
  const at = opts.at ?? performance.now();
  return new SpanRecord(hex(16), hex(8), SAMPLED, opts.traceState, opts.parent, opts.remote ?? false, 'chat openai/gpt-4o', OTLP_KIND[opts.kind ?? 'server'], at, encodeFixedAttributes(opts.fixed ?? {}));
}

describe('OTLP protobuf encoding', () => {
  it('writes what the SDK writes for every attribute type and length', () => {
    const long = 'x'.repeat(200);
    const longer = 'y'.repeat(20_000);
    const s = span({ parent: hex(8), remote: true, traceState: 'vendor=abc,other=1', fixed: { 'gen_ai.operation.name': 'chat', 'server.port': 443, 'url.full': `https://api.example.com/${long}` } });
    s.set('text', 'plain');
    s.set('unicode', 'naïve — 日本語 🚀');
    s.set('empty', '');
    s.set('int', 123456789);
    s.set('big', 2 ** 40 + 7);
    s.set('negative', -42);
    s.set('zero', 0);
    s.set('double', 12.75);
    s.set('true', true);
    s.set('false', false);
    s.set('list', ['a', 'b', long]);
    s.set('long', long);
    s.set('longer', longer);
    s.set('text', 'set again keeps its place');
    s.event('switchyard.retry', { from: 'a', to: 'b', delay_ms: 250 });
    s.event('switchyard.backoff.end');
    s.fail('http_429');
    s.end(s.startedAt + 12.345678);
    assert.deepEqual(ours([s]), theSdksBytes([s]));
  });

  it('matches around every one-byte length boundary, for keys and values', () => {
    const spans: SpanRecord[] = [];
    for (let n = 100; n < 135; n++) {
      const s = span();
      s.set('k'.repeat(n % 20 + 1), 'v'.repeat(n));
      s.set('k'.repeat(n), n * 1000);
      s.set('ключ', 'значение');
      s.end();
      spans.push(s);
    }
    assert.deepEqual(ours(spans), theSdksBytes(spans));
  });

  it('writes local children, spans without status message, and an open span as the SDK does', () => {
    const root = span();
    const child = span({ parent: root.spanId, kind: 'client', fixed: { 'switchyard.model': 'openai/gpt-4o' } });
    child.set('switchyard.attempt', 1);
    child.end();
    root.fail();
    root.end();
    const open = span();
    assert.deepEqual(ours([root, child, open]), theSdksBytes([root, child, open]));
  });

  it('counts what the limits drop, as the SDK exports it', () => {
    const s = span({ fixed: { a: 1, b: 2 } });
    for (let i = 0; i < 140; i++) s.set(`attr.${i}`, i);
    for (let i = 0; i < 130; i++) s.event(`e${i}`);
    s.end();
    assert.equal(s.droppedAttributes, 14);
    assert.equal(s.droppedEvents, 2);
    assert.deepEqual(ours([s]), theSdksBytes([s]));
    const [decoded] = decodeProtobufTraces(ours([s]));
    assert.equal(Object.keys(decoded!.attributes).length, 128);
    assert.equal(decoded!.events.length, 128);
  });

  it('reuses a released buffer for the next batch, byte for byte as new', () => {
    const batcher = new ProtobufBatcher(RESOURCE, SCOPE);
    const first = [span(), span()];
    for (const s of first) s.end();
    assert.deepEqual(ours(first, batcher), theSdksBytes(first));
    const second = [span({ fixed: { 'url.full': 'https://example.com/a' } })];
    second[0]!.end();
    assert.deepEqual(ours(second, batcher), theSdksBytes(second));
  });

  it('encodes spans 64 at a time, and the rest when the batch is taken', () => {
    const batcher = new ProtobufBatcher(RESOURCE, SCOPE);
    const spans: SpanRecord[] = [];
    for (let i = 0; i < 100; i++) {
      const s = span();
      s.set('i', i);
      s.end();
      spans.push(s);
      batcher.add(s);
      assert.equal(batcher.bytes > 0, i >= 63, `after span ${i + 1}`);
    }
    const afterGroup = batcher.bytes;
    batcher.encodePending();
    assert.ok(batcher.bytes > afterGroup);
    const batch = batcher.take();
    assert.equal(batch.spans, 100);
    assert.deepEqual(Buffer.from(batch.bytes), theSdksBytes(spans));
  });

  it('grows its buffer through a large batch and still matches', () => {
    const spans: SpanRecord[] = [];
    for (let i = 0; i < 600; i++) {
      const s = span({ fixed: { 'url.full': `https://example.com/${'p'.repeat(i % 300)}` } });
      s.set('i', i);
      s.set('blob', 'z'.repeat((i * 37) % 3000));
      s.end();
      spans.push(s);
    }
    const bytes = ours(spans);
    assert.deepEqual(bytes, theSdksBytes(spans));
    assert.equal(decodeProtobufTraces(bytes).length, 600);
  });

  it('carries times to the nanosecond since the epoch', () => {
    const s = span({ at: 1234.5678 });
    s.end(2345.000001);
    const [decoded] = decodeProtobufTraces(ours([s]));
    const ns = ([sec, nanos]: [number, number]): bigint => BigInt(sec) * 1_000_000_000n + BigInt(nanos);
    assert.equal(decoded!.startNs, ns(epochHrTime(1234.5678)));
    assert.equal(decoded!.endNs, ns(epochHrTime(2345.000001)));
    const wall = BigInt(Math.round(performance.timeOrigin)) * 1_000_000n;
    assert.ok(decoded!.startNs > wall && decoded!.startNs - wall < 2_000_000_000n, 'the epoch time is near the process start');
    // Times in one second, across seconds' edges, back again, and far apart: the encoder keeps the last second's part.
    const edge = 1000 * Math.ceil(performance.timeOrigin / 1000) - performance.timeOrigin + 5000;
    const times = [edge - 0.000001, edge, edge + 0.5, edge - 0.25, edge + 999.999999, edge + 1000, 7, 86_400_000 * 30 + 0.123456];
    for (let i = 0; i < 200; i++) times.push(Math.random() * 1e7);
    const spans = times.map((at) => {
      const t = span({ at });
      t.end(at + Math.random() * 3000);
      return t;
    });
    const decodedAll = decodeProtobufTraces(ours(spans));
    spans.forEach((t, i) => {
      assert.equal(decodedAll[i]!.startNs, ns(epochHrTime(t.startedAt)), `start ${t.startedAt}`);
      assert.equal(decodedAll[i]!.endNs, ns(epochHrTime(t.endedAt!)), `end ${t.endedAt}`);
    });
  });

  it('ignores what is set on an ended span', () => {
    const s = span();
    s.end();
    s.set('late', 1);
    s.event('late');
    assert.equal(s.end(), false, 'a span ends once');
    assert.deepEqual(s.attributeMap(), {});
    assert.equal(s.events, undefined);
  });
});
