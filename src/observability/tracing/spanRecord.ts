// One span as the gateway records it: ids, times, attributes, events, status.
// A plain record rather than the SDK's Span object, which validates and copies
// every attribute as it is set and converts every time as it is taken: the
// export (otlpProtobuf.ts) converts once, as the span ends. Limits follow the
// SDK's defaults (128 attributes and 128 events per span), with the dropped
// counts exported.

export type AttributeValue = string | number | boolean | readonly string[];
export type AttributeMap = Record<string, AttributeValue>;

/** OTLP's Span.SpanKind numbers (the API's SpanKind plus one). */
export const OTLP_KIND = { server: 2, client: 3 } as const;
export type OtlpKind = (typeof OTLP_KIND)[keyof typeof OTLP_KIND];

/** OTLP's Status.StatusCode. */
export const STATUS_ERROR = 2;

const ATTRIBUTE_LIMIT = 128;
const EVENT_LIMIT = 128;

/** W3C trace-flags' sampled bit. */
export const SAMPLED = 1;

/** Attributes every span of one kind starts with, set up once (per configured model, say) and encoded once. */
export interface FixedAttributes {
  readonly attributes: AttributeMap;
  readonly count: number;
  /** The attributes as OTLP protobuf KeyValue fields (Span field 9), ready to copy. */
  readonly protobuf: Buffer;
}

export interface SpanEvent {
  readonly name: string;
  /** performance.now() when it happened. */
  readonly at: number;
  readonly attributes: AttributeMap | undefined;
}

/** What every span of one trace shares. */
export interface TraceIds {
  readonly traceId: string;
  /** W3C trace-flags: SAMPLED or 0. */
  readonly traceFlags: number;
  readonly traceState: string | undefined;
}

export class SpanRecord implements TraceIds {
  /**
   * Set after the fixed attributes, in the order set, as key, value, key,
   * value; a key set again keeps its place and takes the new value. A dozen
   * keys are found faster by a scan than by growing an object's shape per key.
   * Made with room for what a span of its kind usually gets (a request's ten,
   * an attempt's four), since growing an array copies it.
   */
  readonly attributes: AttributeValue[];
  /** How many pairs `attributes` holds. */
  attributeCount = 0;
  private readonly fixedCount: number;
  droppedAttributes = 0;
  events: SpanEvent[] | undefined;
  droppedEvents = 0;
  /** 0 unset, STATUS_ERROR error. */
  statusCode = 0;
  statusMessage: string | undefined;
  /** performance.now() when it ended; undefined while it is open. */
  endedAt: number | undefined;

  constructor(
    readonly traceId: string,
    readonly spanId: string,
    readonly traceFlags: number,
    readonly traceState: string | undefined,
    /** The parent's span id, undefined for a root span. */
    readonly parentSpanId: string | undefined,
    /** The parent came from another process (a client's traceparent). */
    readonly parentRemote: boolean,
    public name: string,
    readonly kind: OtlpKind,
    /** performance.now() when it started. */
    readonly startedAt: number,
    readonly fixed: FixedAttributes,
  ) {
    this.fixedCount = fixed.count;
    this.attributes = new Array<AttributeValue>(kind === OTLP_KIND.server ? 20 : 8);
  }

  set(key: string, value: AttributeValue): void {
    if (this.endedAt !== undefined) return;
    const pairs = this.attributes;
    const end = this.attributeCount * 2;
    for (let i = 0; i < end; i += 2) {
      if (pairs[i] === key) {
        pairs[i + 1] = value;
        return;
      }
    }
    if (this.fixedCount + this.attributeCount >= ATTRIBUTE_LIMIT) {
      this.droppedAttributes++;
      return;
    }
    pairs[end] = key;
    pairs[end + 1] = value;
    this.attributeCount++;
  }

  /** The attributes set, fixed ones first, as one map. */
  attributeMap(): AttributeMap {
    const out: AttributeMap = { ...this.fixed.attributes };
    const pairs = this.attributes;
    for (let i = 0; i < this.attributeCount * 2; i += 2) {
      const key = pairs[i];
      const value = pairs[i + 1];
      if (typeof key === 'string' && value !== undefined) out[key] = value;
    }
    return out;
  }

  setAll(attributes: AttributeMap): void {
    for (const key in attributes) {
      const value = attributes[key];
      if (value !== undefined) this.set(key, value);
    }
  }

  event(name: string, attributes?: AttributeMap): void {
    if (this.endedAt !== undefined) return;
    const events = (this.events ??= []);
    if (events.length >= EVENT_LIMIT) this.droppedEvents++;
    else events.push({ name, at: performance.now(), attributes });
  }

  fail(message?: string): void {
    this.statusCode = STATUS_ERROR;
    this.statusMessage = message;
  }

  /** Ends the span at `at` (performance.now(), by default now); true the first time only. */
  end(at = performance.now()): boolean {
    if (this.endedAt !== undefined) return false;
    this.endedAt = at;
    return true;
  }
}
