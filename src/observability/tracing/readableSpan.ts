// A span record as the SDK's ReadableSpan, for the SDK's own OTLP/JSON
// serializer (http/json, which has no hot path worth a second encoder) and for
// the tests that hold the protobuf encoder to the SDK's bytes.
import { SpanKind, SpanStatusCode, createTraceState, type Attributes, type HrTime } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { epochHrTime } from './otlpProtobuf.js';
import { OTLP_KIND, STATUS_ERROR, type SpanRecord } from './spanRecord.js';

export interface Scope {
  readonly name: string;
  readonly version: string;
}

function duration(start: HrTime, end: HrTime): HrTime {
  let seconds = end[0] - start[0];
  let nanos = end[1] - start[1];
  if (nanos < 0) {
    seconds--;
    nanos += 1e9;
  }
  return [seconds, nanos];
}

export function asReadableSpan(s: SpanRecord, resource: Resource, scope: Scope): ReadableSpan {
  const startTime = epochHrTime(s.startedAt);
  const endTime = epochHrTime(s.endedAt ?? s.startedAt);
  const traceState = s.traceState === undefined || s.traceState === '' ? undefined : createTraceState(s.traceState);
  return {
    name: s.name,
    kind: s.kind === OTLP_KIND.server ? SpanKind.SERVER : SpanKind.CLIENT,
    spanContext: () => ({ traceId: s.traceId, spanId: s.spanId, traceFlags: s.traceFlags, ...(traceState === undefined ? {} : { traceState }) }),
    ...(s.parentSpanId === undefined ? {} : { parentSpanContext: { traceId: s.traceId, spanId: s.parentSpanId, traceFlags: s.traceFlags, isRemote: s.parentRemote } }),
    startTime,
    endTime,
    duration: duration(startTime, endTime),
    ended: s.endedAt !== undefined,
    status: { code: s.statusCode === STATUS_ERROR ? SpanStatusCode.ERROR : SpanStatusCode.UNSET, ...(s.statusMessage === undefined ? {} : { message: s.statusMessage }) },
    // Both hold only strings, numbers, booleans and string arrays: the API's AttributeValue.
    attributes: s.attributeMap() as Attributes,
    links: [],
    events: (s.events ?? []).map((e) => ({ name: e.name, time: epochHrTime(e.at), ...(e.attributes === undefined ? {} : { attributes: e.attributes as Attributes }), droppedAttributesCount: 0 })),
    resource,
    instrumentationScope: scope,
    droppedAttributesCount: s.droppedAttributes,
    droppedEventsCount: s.droppedEvents,
    droppedLinksCount: 0,
  };
}
