// Span records to OTLP protobuf: an ExportTraceServiceRequest with one
// ResourceSpans and one ScopeSpans, field by field as
// opentelemetry/proto/trace/v1/trace.proto numbers them, in the order and with
// the defaults the SDK's own serializer writes (the tests compare the bytes).
// Each span is written as it ends, into its batch's buffer; what is the same
// for every span (the resource, the scope, a model's fixed attributes, the
// attribute keys) is encoded once.
import type { AttributeMap, AttributeValue, FixedAttributes, SpanRecord } from './spanRecord.js';

const VARINT = 0;
const FIXED64 = 1;
const LENGTH = 2;
const FIXED32 = 5;

/** Span.flags: the W3C flags, and that whether the parent is remote is known (and if so, that it is). */
const FLAGS_HAS_IS_REMOTE = 0x100;
const FLAGS_IS_REMOTE = 0x200;

const TWO_32 = 0x1_0000_0000;

/** Each hex digit's value by character code. */
const HEX_DIGIT = new Uint8Array(128);
for (let i = 0; i < 16; i++) {
  HEX_DIGIT['0123456789abcdef'.charCodeAt(i)] = i;
  HEX_DIGIT['0123456789ABCDEF'.charCodeAt(i)] = i;
}

class ProtoWriter {
  buf: Buffer;
  pos = 0;
  /** The epoch second time() last wrote, and that second in nanoseconds as two 32-bit halves. */
  private second = -1;
  private secondLow = 0;
  private secondHigh = 0;

  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(Math.max(size, 64));
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(grown, 0, 0, this.pos);
    this.buf = grown;
  }

  varint(n: number): void {
    this.room(10);
    if (n < 0) {
      // int64 in two's complement: always ten bytes.
      const lo = n >>> 0;
      const hi = Math.floor(n / TWO_32) >>> 0;
      this.varint64(lo, hi);
      return;
    }
    this.pos = putVarint(this.buf, this.pos, n);
  }

  private varint64(lo: number, hi: number): void {
    for (let i = 0; i < 9; i++) {
      this.buf[this.pos++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    this.buf[this.pos++] = lo & 0x01;
  }

  tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  fixed32(n: number): void {
    this.room(4);
    this.buf.writeUInt32LE(n >>> 0, this.pos);
    this.pos += 4;
  }

  /**
   * performance.now() as nanoseconds since the epoch, exactly: ms alone is past
   * 2^53 in ns. The second's part is kept, since most spans share it with the
   * one before: a third of the cost (100 against 35 ns).
   */
  time(perfMs: number): void {
    this.room(8);
    const [seconds, nanos] = epochHrTime(perfMs);
    if (seconds !== this.second) {
      // seconds * 1e9 in two 32-bit halves, every product below 2^53.
      const lowPart = (seconds % 0x10000) * 1e9;
      const highPart = Math.floor(seconds / 0x10000) * 1e9;
      const low = (lowPart % TWO_32) + (highPart % 0x10000) * 0x10000;
      this.second = seconds;
      this.secondLow = low % TWO_32;
      this.secondHigh = Math.floor(lowPart / TWO_32) + Math.floor(highPart / 0x10000) + Math.floor(low / TWO_32);
    }
    let low = this.secondLow + nanos;
    let high = this.secondHigh;
    if (low >= TWO_32) {
      low -= TWO_32;
      high++;
    }
    // Byte stores: cheaper here than two writeUInt32LE calls.
    const buf = this.buf;
    const p = this.pos;
    buf[p] = low;
    buf[p + 1] = low >>> 8;
    buf[p + 2] = low >>> 16;
    buf[p + 3] = low >>> 24;
    buf[p + 4] = high;
    buf[p + 5] = high >>> 8;
    buf[p + 6] = high >>> 16;
    buf[p + 7] = high >>> 24;
    this.pos = p + 8;
  }

  double(x: number): void {
    this.room(8);
    this.buf.writeDoubleLE(x, this.pos);
    this.pos += 8;
  }

  string(field: number, s: string): void {
    this.tag(field, LENGTH);
    const n = s.length;
    this.room(n * 3 + 5);
    const buf = this.buf;
    if (n < 0x80) {
      const end = putAscii(buf, this.pos + 1, s);
      if (end >= 0) {
        buf[this.pos] = n;
        this.pos = end;
        return;
      }
    }
    // Write after a one-byte length, and move the text if the length needs more.
    const start = this.pos++;
    this.pos += buf.write(s, this.pos, 'utf8');
    this.close(start);
  }

  /** An id (lower-case hex, as generated or as the W3C propagator accepts it) as bytes. */
  hexBytes(field: number, hex: string): void {
    this.tag(field, LENGTH);
    const n = hex.length >>> 1;
    this.room(n + 1);
    const buf = this.buf;
    let p = this.pos;
    buf[p++] = n;
    for (let i = 0; i < hex.length; i += 2) buf[p++] = ((HEX_DIGIT[hex.charCodeAt(i)] ?? 0) << 4) | (HEX_DIGIT[hex.charCodeAt(i + 1)] ?? 0);
    this.pos = p;
  }

  raw(bytes: Uint8Array): void {
    this.room(bytes.length);
    // TypedArray#set, a V8 builtin: cheaper than Buffer#copy's call into C++ for a few hundred bytes.
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /**
   * A KeyValue whose key is pre-encoded and whose value is a string short
   * enough for one-byte lengths throughout; false, with nothing written, when
   * the value is not ASCII.
   */
  keyAndAscii(field: number, key: Uint8Array, value: string): boolean {
    const n = value.length;
    this.room(key.length + n + 6);
    let p = this.keyValueHead(field, key, n + 2);
    this.buf[p++] = (1 << 3) | LENGTH;
    this.buf[p++] = n;
    p = putAscii(this.buf, p, value);
    if (p < 0) return false;
    this.pos = p;
    return true;
  }

  /** A KeyValue whose key is pre-encoded and whose value is a non-negative integer (AnyValue.int_value). */
  keyAndUint(field: number, key: Uint8Array, value: number): void {
    const size = varintSize(value);
    this.room(key.length + size + 6);
    const p = this.keyValueHead(field, key, 1 + size);
    this.buf[p] = (3 << 3) | VARINT;
    this.pos = putVarint(this.buf, p + 1, value);
  }

  /**
   * A KeyValue's tag and length, its pre-encoded key, and its AnyValue's tag
   * and length, all one byte each, at `pos` (not moved, so a caller may give
   * up); where the AnyValue's body goes.
   */
  private keyValueHead(field: number, key: Uint8Array, anyLength: number): number {
    const buf = this.buf;
    let p = this.pos;
    buf[p++] = (field << 3) | LENGTH;
    buf[p++] = key.length + 2 + anyLength;
    buf.set(key, p);
    p += key.length;
    buf[p++] = (2 << 3) | LENGTH;
    buf[p++] = anyLength;
    return p;
  }

  /** Starts a length-delimited field's body, leaving one byte for its length. */
  open(field: number): number {
    this.tag(field, LENGTH);
    this.room(1);
    return this.pos++;
  }

  /** Writes the length of the body opened at `start`, moving the body if the length takes more than one byte. */
  close(start: number): void {
    const length = this.pos - start - 1;
    if (length < 0x80) {
      this.buf[start] = length;
      return;
    }
    const extra = varintSize(length) - 1;
    this.room(extra);
    this.buf.copyWithin(start + 1 + extra, start + 1, this.pos);
    putVarint(this.buf, start, length);
    this.pos += extra;
  }

  bytes(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}

/** Writes `n` (0 to 2^53) as a varint at `at`; the position after it. The caller has made room. */
function putVarint(buf: Buffer, at: number, n: number): number {
  while (n >= 0x80) {
    buf[at++] = (n % 0x80) | 0x80;
    n = Math.floor(n / 0x80);
  }
  buf[at++] = n;
  return at;
}

/**
 * Copies `s` at `at` if it is all ASCII; the position after it, or -1 (with
 * bytes written past `at`) if it is not. Short ASCII, which nearly every
 * string here is, is copied here: a call into Buffer#write costs more.
 */
function putAscii(buf: Buffer, at: number, s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) return -1;
    buf[at++] = c;
  }
  return at;
}

function varintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 0x80);
    size++;
  }
  return size;
}

/** The epoch ms performance.now() counts from: fixed for the process, and its getter costs 25 ns a read. */
const TIME_ORIGIN = performance.timeOrigin;

/** performance.now() as [seconds, nanoseconds] since the epoch, as the exports carry it. */
export function epochHrTime(perfMs: number): [number, number] {
  const ms = TIME_ORIGIN + perfMs;
  let seconds = Math.floor(ms / 1000);
  let nanos = Math.round((ms - seconds * 1000) * 1e6);
  if (nanos >= 1e9) {
    seconds++;
    nanos -= 1e9;
  }
  return [seconds, nanos];
}

function anyValue(w: ProtoWriter, value: AttributeValue): void {
  if (typeof value === 'string') {
    w.string(1, value);
  } else if (typeof value === 'boolean') {
    w.tag(2, VARINT);
    w.varint(value ? 1 : 0);
  } else if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= -(2 ** 63) && value < 2 ** 63) {
      w.tag(3, VARINT);
      w.varint(value);
    } else {
      w.tag(4, FIXED64);
      w.double(value);
    }
  } else {
    const array = w.open(5);
    for (const item of value) {
      const itemStart = w.open(1);
      anyValue(w, item);
      w.close(itemStart);
    }
    w.close(array);
  }
}

/** Attribute keys as KeyValue field 1 (tag, length, text), for the keys that fit one length byte and are ASCII. */
const KEYS = new Map<string, Uint8Array | null>();
const KEYS_KEPT = 1024;

function keyBytes(key: string): Uint8Array | undefined {
  let bytes = KEYS.get(key);
  if (bytes === undefined) {
    // Header attributes' keys come from clients: past the limit, keys are encoded each time.
    if (KEYS.size >= KEYS_KEPT) return undefined;
    bytes = key.length < 0x80 && Buffer.byteLength(key) === key.length ? Uint8Array.from([(1 << 3) | LENGTH, key.length, ...Buffer.from(key, 'latin1')]) : null;
    KEYS.set(key, bytes);
  }
  return bytes ?? undefined;
}

function keyValue(w: ProtoWriter, field: number, key: string, value: AttributeValue): void {
  // Most attributes take a fast path: a known key, and a short ASCII string or a count.
  const k = keyBytes(key);
  if (k !== undefined) {
    if (typeof value === 'string') {
      if (value.length + k.length + 4 < 0x80 && w.keyAndAscii(field, k, value)) return;
    } else if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && k.length < 0x70) {
      w.keyAndUint(field, k, value);
      return;
    }
  }
  const kv = w.open(field);
  w.string(1, key);
  const anyStart = w.open(2);
  anyValue(w, value);
  w.close(anyStart);
  w.close(kv);
}

function attributes(w: ProtoWriter, field: number, attrs: AttributeMap): void {
  for (const key in attrs) {
    const value = attrs[key];
    if (value !== undefined) keyValue(w, field, key, value);
  }
}

/** Attributes as Span field 9 KeyValues, to be copied into every span that starts with them. */
export function encodeFixedAttributes(attrs: AttributeMap): FixedAttributes {
  const w = new ProtoWriter(256);
  attributes(w, 9, attrs);
  return { attributes: attrs, count: Object.keys(attrs).length, protobuf: Buffer.from(w.bytes()) };
}

function span(w: ProtoWriter, s: SpanRecord): void {
  const start = w.open(2);
  w.hexBytes(1, s.traceId);
  w.hexBytes(2, s.spanId);
  if (s.traceState !== undefined && s.traceState !== '') w.string(3, s.traceState);
  if (s.parentSpanId !== undefined) w.hexBytes(4, s.parentSpanId);
  w.string(5, s.name);
  w.tag(6, VARINT);
  w.varint(s.kind);
  w.tag(7, FIXED64);
  w.time(s.startedAt);
  w.tag(8, FIXED64);
  w.time(s.endedAt ?? s.startedAt);
  w.raw(s.fixed.protobuf);
  const pairs = s.attributes;
  for (let i = 0; i < s.attributeCount * 2; i += 2) {
    const key = pairs[i];
    const value = pairs[i + 1];
    if (typeof key === 'string' && value !== undefined) keyValue(w, 9, key, value);
  }
  w.tag(10, VARINT);
  w.varint(s.droppedAttributes);
  if (s.events !== undefined) {
    for (const e of s.events) {
      const event = w.open(11);
      w.tag(1, FIXED64);
      w.time(e.at);
      w.string(2, e.name);
      if (e.attributes !== undefined) attributes(w, 3, e.attributes);
      w.tag(4, VARINT);
      w.varint(0);
      w.close(event);
    }
  }
  w.tag(12, VARINT);
  w.varint(s.droppedEvents);
  w.tag(14, VARINT);
  w.varint(0);
  const status = w.open(15);
  if (s.statusMessage !== undefined && s.statusMessage !== '') w.string(2, s.statusMessage);
  w.tag(3, VARINT);
  w.varint(s.statusCode);
  w.close(status);
  w.tag(16, FIXED32);
  w.fixed32((s.traceFlags & 0xff) | FLAGS_HAS_IS_REMOTE | (s.parentRemote ? FLAGS_IS_REMOTE : 0));
  w.close(start);
}

/** What every export of one gateway shares: its resource and instrumentation scope, encoded once. */
interface ExportHeader {
  /** ResourceSpans field 1. */
  readonly resource: Buffer;
  /** ScopeSpans field 1. */
  readonly scope: Buffer;
}

function encodeExportHeader(resource: AttributeMap, scope: { readonly name: string; readonly version: string }): ExportHeader {
  const r = new ProtoWriter(256);
  const res = r.open(1);
  attributes(r, 1, resource);
  r.tag(2, VARINT);
  r.varint(0);
  r.close(res);
  const s = new ProtoWriter(64);
  const sc = s.open(1);
  s.string(1, scope.name);
  if (scope.version !== '') s.string(2, scope.version);
  s.close(sc);
  return { resource: Buffer.from(r.bytes()), scope: Buffer.from(s.bytes()) };
}

/** One export's worth of spans, encoded. */
export interface EncodedBatch {
  /** An ExportTraceServiceRequest. */
  readonly bytes: Uint8Array;
  readonly spans: number;
  /** The buffer behind `bytes`, back to the pool once the export is done with it. */
  readonly writer: ProtoWriter;
}

/** Room before the spans for ExportTraceServiceRequest's two enclosing fields' tags and lengths. */
const PREFIX_ROOM = 2 * (1 + 5);
// One filling and one exporting while the collector keeps up; more are made (and collected) when it does not.
const POOLED_WRITERS = 2;
/**
 * Spans are encoded this many at a time. In a gateway under load, encoding a
 * span as it ended cost 2.3 µs, one of 64 in a row 1.65 (measured in place):
 * the encoder's code and tables stay in the cpu's caches through a group. A
 * span record waits for at most 63 others, so it still dies young.
 */
const ENCODE_GROUP = 64;

/**
 * Encodes spans as they end, ENCODE_GROUP at a time, behind room for the
 * request's header, so a span record dies young and an export costs no second
 * pass. Buffers are reused once their export is done: each is up to a few
 * megabytes, and allocating one per export made the garbage collector run full
 * collections.
 */
export class ProtobufBatcher {
  private readonly header: ExportHeader;
  private readonly headroom: number;
  private readonly pool: ProtoWriter[] = [];
  private current: ProtoWriter;
  /** Ended spans not yet encoded: fewer than ENCODE_GROUP. */
  private readonly pending: SpanRecord[] = [];
  /** Spans added since the last take, pending ones included. */
  spans = 0;

  /**
   * `capacity`: each buffer's size, the most a batch is expected to reach. A
   * buffer grown by doubling copies what it holds at every step (a tenth of
   * the encoder's time while exports lag and new buffers are made); sized
   * once, the part a batch never reaches is never written.
   */
  constructor(resource: AttributeMap, scope: { readonly name: string; readonly version: string }, private readonly capacity = 64 * 1024) {
    this.header = encodeExportHeader(resource, scope);
    this.headroom = this.header.resource.length + this.header.scope.length + PREFIX_ROOM;
    this.current = this.fresh();
  }

  private fresh(): ProtoWriter {
    const w = this.pool.pop() ?? new ProtoWriter(this.capacity);
    w.pos = this.headroom;
    return w;
  }

  add(s: SpanRecord): void {
    this.spans++;
    if (this.pending.push(s) >= ENCODE_GROUP) this.encodePending();
  }

  /** Encodes the spans waiting for their group to fill. */
  encodePending(): void {
    for (const s of this.pending) span(this.current, s);
    this.pending.length = 0;
  }

  /** The encoded size of the spans so far, the fewer than ENCODE_GROUP still pending not counted. */
  get bytes(): number {
    return this.current.pos - this.headroom;
  }

  /** The spans added since the last take, as an export request. */
  take(): EncodedBatch {
    this.encodePending();
    const w = this.current;
    const { resource, scope } = this.header;
    const scopeSpans = scope.length + (w.pos - this.headroom);
    const resourceSpans = resource.length + 1 + varintSize(scopeSpans) + scopeSpans;
    const start = this.headroom - (1 + varintSize(resourceSpans) + resource.length + 1 + varintSize(scopeSpans) + scope.length);
    const end = w.pos;
    w.pos = start;
    w.tag(1, LENGTH);
    w.varint(resourceSpans);
    w.raw(resource);
    w.tag(2, LENGTH);
    w.varint(scopeSpans);
    w.raw(scope);
    const batch = { bytes: w.buf.subarray(start, end), spans: this.spans, writer: w };
    this.current = this.fresh();
    this.spans = 0;
    return batch;
  }

  /** `batch`'s export is over: its buffer may be written again. */
  release(batch: EncodedBatch): void {
    if (this.pool.length < POOLED_WRITERS) this.pool.push(batch.writer);
  }
}
