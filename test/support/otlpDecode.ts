// Decodes what an OTLP trace exporter sends, in both encodings, into plain
// spans: ExportTraceServiceRequest as protobuf (http/protobuf and gRPC) with a
// small reader of the protobuf wire format and the field numbers of
// opentelemetry/proto/trace/v1/trace.proto, or as OTLP/JSON (http/json).

export type AttrValue = string | number | boolean | AttrValue[];

export interface DecodedEvent {
  readonly name: string;
  readonly attributes: Record<string, AttrValue>;
}

export interface DecodedSpan {
  readonly traceId: string;
  readonly spanId: string;
  /** '' for a root span. */
  readonly parentSpanId: string;
  readonly name: string;
  /** 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  readonly kind: number;
  readonly startNs: bigint;
  readonly endNs: bigint;
  readonly attributes: Record<string, AttrValue>;
  readonly events: DecodedEvent[];
  /** 0 unset, 1 ok, 2 error. */
  readonly statusCode: number;
  readonly resource: Record<string, AttrValue>;
}

class WireReader {
  pos = 0;
  constructor(private readonly buf: Buffer) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = this.buf[this.pos++];
      if (b === undefined) throw new Error('truncated varint');
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
  }

  tag(): { field: number; wire: number } {
    const t = Number(this.varint());
    return { field: t >>> 3, wire: t & 7 };
  }

  bytes(): Buffer {
    const len = Number(this.varint());
    const out = this.buf.subarray(this.pos, this.pos + len);
    if (out.length !== len) throw new Error('truncated field');
    this.pos += len;
    return out;
  }

  fixed64(): Buffer {
    const out = this.buf.subarray(this.pos, this.pos + 8);
    this.pos += 8;
    return out;
  }

  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else throw new Error(`unsupported wire type ${wire}`);
  }
}

/** Calls `on(field, wire, reader)` for each field of a message; unhandled fields must be skipped by `on` returning false. */
function fields(buf: Buffer, on: (field: number, wire: number, r: WireReader) => boolean): void {
  const r = new WireReader(buf);
  while (!r.done) {
    const { field, wire } = r.tag();
    if (!on(field, wire, r)) r.skip(wire);
  }
}

function anyValue(buf: Buffer): AttrValue {
  let value: AttrValue = '';
  fields(buf, (field, wire, r) => {
    if (field === 1 && wire === 2) value = r.bytes().toString('utf8');
    else if (field === 2 && wire === 0) value = r.varint() !== 0n;
    else if (field === 3 && wire === 0) value = Number(BigInt.asIntN(64, r.varint()));
    else if (field === 4 && wire === 1) value = r.fixed64().readDoubleLE(0);
    else if (field === 5 && wire === 2) {
      const items: AttrValue[] = [];
      fields(r.bytes(), (f, w, rr) => (f === 1 && w === 2 ? (items.push(anyValue(rr.bytes())), true) : false));
      value = items;
    } else return false;
    return true;
  });
  return value;
}

function keyValue(buf: Buffer, into: Record<string, AttrValue>): void {
  let key = '';
  let value: AttrValue = '';
  fields(buf, (field, wire, r) => {
    if (field === 1 && wire === 2) key = r.bytes().toString('utf8');
    else if (field === 2 && wire === 2) value = anyValue(r.bytes());
    else return false;
    return true;
  });
  into[key] = value;
}

function protoSpan(buf: Buffer, resource: Record<string, AttrValue>): DecodedSpan {
  const s = { traceId: '', spanId: '', parentSpanId: '', name: '', kind: 0, startNs: 0n, endNs: 0n, attributes: {} as Record<string, AttrValue>, events: [] as DecodedEvent[], statusCode: 0, resource };
  fields(buf, (field, wire, r) => {
    switch (field) {
      case 1: s.traceId = r.bytes().toString('hex'); return true;
      case 2: s.spanId = r.bytes().toString('hex'); return true;
      case 4: s.parentSpanId = r.bytes().toString('hex'); return true;
      case 5: s.name = r.bytes().toString('utf8'); return true;
      case 6: s.kind = Number(r.varint()); return true;
      case 7: s.startNs = r.fixed64().readBigUInt64LE(0); return true;
      case 8: s.endNs = r.fixed64().readBigUInt64LE(0); return true;
      case 9: keyValue(r.bytes(), s.attributes); return true;
      case 11: {
        const ev = { name: '', attributes: {} as Record<string, AttrValue> };
        fields(r.bytes(), (f, w, rr) => {
          if (f === 2 && w === 2) ev.name = rr.bytes().toString('utf8');
          else if (f === 3 && w === 2) keyValue(rr.bytes(), ev.attributes);
          else return false;
          return true;
        });
        s.events.push(ev);
        return true;
      }
      case 15:
        fields(r.bytes(), (f, w, rr) => (f === 3 && w === 0 ? ((s.statusCode = Number(rr.varint())), true) : false));
        return true;
      default:
        return false;
    }
  });
  return s;
}

export function decodeProtobufTraces(buf: Buffer): DecodedSpan[] {
  const spans: DecodedSpan[] = [];
  fields(buf, (field, wire, r) => {
    if (field !== 1 || wire !== 2) return false;
    const resource: Record<string, AttrValue> = {};
    const scopeSpans: Buffer[] = [];
    fields(r.bytes(), (f, w, rr) => {
      if (f === 1 && w === 2) fields(rr.bytes(), (ff, ww, r3) => (ff === 1 && ww === 2 ? (keyValue(r3.bytes(), resource), true) : false));
      else if (f === 2 && w === 2) scopeSpans.push(rr.bytes());
      else return false;
      return true;
    });
    for (const ss of scopeSpans) fields(ss, (f, w, rr) => (f === 2 && w === 2 ? (spans.push(protoSpan(rr.bytes(), resource)), true) : false));
    return true;
  });
  return spans;
}

interface JsonAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number | string;
  doubleValue?: number;
  arrayValue?: { values?: JsonAnyValue[] };
}
interface JsonKeyValue {
  key: string;
  value: JsonAnyValue;
}

const jsonValue = (v: JsonAnyValue): AttrValue =>
  v.stringValue ?? v.boolValue ?? (v.intValue !== undefined ? Number(v.intValue) : undefined) ?? v.doubleValue ?? (v.arrayValue?.values ?? []).map(jsonValue);

function jsonAttributes(list: JsonKeyValue[] | undefined): Record<string, AttrValue> {
  const out: Record<string, AttrValue> = {};
  for (const kv of list ?? []) out[kv.key] = jsonValue(kv.value);
  return out;
}

interface JsonSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string | number;
  endTimeUnixNano: string | number;
  attributes?: JsonKeyValue[];
  events?: { name: string; attributes?: JsonKeyValue[] }[];
  status?: { code?: number };
}

export function decodeJsonTraces(text: string): DecodedSpan[] {
  const body = JSON.parse(text) as { resourceSpans?: { resource?: { attributes?: JsonKeyValue[] }; scopeSpans?: { spans?: JsonSpan[] }[] }[] };
  const spans: DecodedSpan[] = [];
  for (const rs of body.resourceSpans ?? []) {
    const resource = jsonAttributes(rs.resource?.attributes);
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        spans.push({
          traceId: s.traceId,
          spanId: s.spanId,
          parentSpanId: s.parentSpanId ?? '',
          name: s.name,
          kind: s.kind,
          startNs: BigInt(s.startTimeUnixNano),
          endNs: BigInt(s.endTimeUnixNano),
          attributes: jsonAttributes(s.attributes),
          events: (s.events ?? []).map((e) => ({ name: e.name, attributes: jsonAttributes(e.attributes) })),
          statusCode: s.status?.code ?? 0,
          resource,
        });
      }
    }
  }
  return spans;
}
