// The OpenTelemetry implementation of the tracing seam: a span per client
// request (SERVER) and a child span per upstream attempt (CLIENT), with the
// OpenTelemetry GenAI attributes, the failover decisions and events. Loaded
// with import() only when tracing is on. No global provider or context manager
// is installed: parents are passed explicitly, so several gateways can trace in
// one process and the hot path pays no async-context bookkeeping.
//
// From the SDK: the W3C propagator, the samplers and the OTLP exporters
// (OTEL_EXPORTER_OTLP_*: headers, timeout, compression, certificates,
// retries), with grpc-js for TLS and gzip. Not from the SDK: the ids
// (randomIds.ts), the spans (spanRecord.ts), their batching (spanBatcher.ts,
// with the SDK processor's OTEL_BSP_* settings), the protobuf encoder
// (otlpProtobuf.ts) and the plaintext gRPC transport (h2cExport.ts). With the
// SDK's spans, serializer and grpc-js a traced request cost about 75 µs of
// CPU; this way, about 14 over gRPC (docs/operations.md, "How spans are made").
//
// Nothing a client or provider wrote is recorded except header values the
// operator asked for (span_attributes.header_prefixes) and the model the
// provider named; those, and the configured URLs, pass through the secret
// redactor. Bodies, prompts and completions are never recorded.
import { ROOT_CONTEXT, SpanKind, defaultTextMapGetter, trace, type Attributes, type Context, type Link, type SpanContext } from '@opentelemetry/api';
import { ExportResultCode, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPExporterBase, createOtlpNetworkExportDelegate } from '@opentelemetry/otlp-exporter-base';
import { ProtobufTraceSerializer, JsonTraceSerializer, type IExporterMetricsHelper, type ISerializer, type IExportTraceServiceResponse } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { SamplingDecision, type Sampler } from '@opentelemetry/sdk-trace-base';
import type { IncomingHttpHeaders } from 'node:http';
import type { ModelProvider } from '../../config/types.js';
import type { AttemptEnd, BlockEvent, CircuitState, RetryEvent } from '../../failover/observer.js';
import { errorTypeOf } from '../../failover/outcome.js';
import type { GiveUpReason } from '../../failover/decision.js';
import type { TriggerRule } from '../../config/types.js';
import { breakCode, type StreamBreak } from '../../streaming/breakage.js';
import type { RecoveryResult } from '../../streaming/observer.js';
import { BUILD } from '../buildInfo.js';
import { H2cExportTransport, h2cCallFor } from './h2cExport.js';
import { ProtobufBatcher, encodeFixedAttributes, type EncodedBatch } from './otlpProtobuf.js';
import type { TracingPlan } from './plan.js';
import { RandomIds } from './randomIds.js';
import { asReadableSpan, type Scope } from './readableSpan.js';
import type { GatewayTracer, RequestTrace, RequestTraceEnd, RequestTraceStart } from './requestTrace.js';
import { samplerFor } from './sampler.js';
import { MAX_EXPORT_BYTES, SpanBatcher, batchSettingsFrom, type BatchEncoder, type BatchExport, type BatcherLog } from './spanBatcher.js';
import { OTLP_KIND, SAMPLED, SpanRecord, type AttributeMap, type FixedAttributes, type OtlpKind, type TraceIds } from './spanRecord.js';

type TracingOn = Extract<TracingPlan, { kind: 'on' }>;

/** What the tracer may report about itself: failed exports, at most once a minute. */
export interface TracingLog {
  warn(obj: object, msg: string): void;
}

/** Headers never copied onto a span, whatever header_prefixes says: they carry credentials. */
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'x-api-key', 'api-key', 'x-switchyard-key', 'cookie', 'set-cookie']);

const EXPORT_WARNING_INTERVAL_MS = 60_000;

const GRPC_SERVICE = 'TraceExportService';
/** The name the SDK's gRPC span exporter reports its own metrics under, whichever transport it uses. */
const GRPC_EXPORTER = 'otlp_grpc_span_exporter';
const GRPC_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
const USER_AGENT = `switchyard/${BUILD.version} (OTLP gRPC exporter)`;

// The convertLegacy*Options functions are deprecated, but they are what the
// standard exporters call, and the only ones exported that read the
// OTEL_EXPORTER_OTLP_(TRACES_)* headers, timeout and compression.
/* eslint-disable @typescript-eslint/no-deprecated */
/** The standard OTLP exporter for `protocol`, sending what `serializer` makes of a batch. */
async function exporterFor<B>(plan: TracingOn, serializer: ISerializer<B, IExportTraceServiceResponse>, countSpans: (batch: B) => number): Promise<OTLPExporterBase<B>> {
  const counter: IExporterMetricsHelper<B> = { name: 'span', countItems: countSpans };
  if (plan.protocol === 'grpc') {
    const grpc = await import('@opentelemetry/otlp-grpc-exporter-base');
    const options = grpc.convertLegacyOtlpGrpcOptions({ url: plan.endpoint }, 'TRACES');
    // A plaintext collector gets the lean transport (h2cExport.ts); TLS, gzip and unix sockets, grpc-js.
    const call = h2cCallFor(options, GRPC_PATH, USER_AGENT);
    if (call !== undefined) {
      const metrics = grpc.createOtlpGrpcExporterMetrics(GRPC_EXPORTER, counter, options.url, undefined);
      return new OTLPExporterBase(createOtlpNetworkExportDelegate(options, serializer, metrics, new H2cExportTransport(call)));
    }
    return new OTLPExporterBase(grpc.createOtlpGrpcExportDelegate(options, serializer, GRPC_EXPORTER, counter, undefined, GRPC_SERVICE, GRPC_PATH));
  }
  const http = await import('@opentelemetry/otlp-exporter-base/node-http');
  const contentType = plan.protocol === 'http/json' ? 'application/json' : 'application/x-protobuf';
  const options = http.convertLegacyHttpOptions({ url: plan.endpoint }, 'TRACES', 'v1/traces', { 'Content-Type': contentType });
  return new OTLPExporterBase(http.createOtlpHttpExportDelegate(options, serializer, 'otlp_http_span_exporter', counter, undefined));
}
/* eslint-enable @typescript-eslint/no-deprecated */

class RecordList implements BatchEncoder<SpanRecord[]> {
  private list: SpanRecord[] = [];
  get spans(): number {
    return this.list.length;
  }
  /** Not known until the JSON serializer runs: batches are cut by count alone. */
  readonly bytes = 0;
  add(span: SpanRecord): void {
    this.list.push(span);
  }
  take(): SpanRecord[] {
    const out = this.list;
    this.list = [];
    return out;
  }
  release(): void {
    // Nothing to reuse.
  }
}

/** Where finished spans go, whatever the batch is made of. */
type SpanSink = Pick<SpanBatcher<unknown>, 'add' | 'shutdown'>;

function sending<B>(exporter: OTLPExporterBase<B>): BatchExport<B> {
  return {
    send: (batch, done) => {
      exporter.export(batch, (result) => { done(result.code === ExportResultCode.SUCCESS ? undefined : (result.error ?? new Error('the exporter gave no reason'))); });
    },
    shutdown: () => exporter.shutdown(),
  };
}

/** Where spans go, as the plan says: encoded as they end for protobuf, kept for JSON. */
async function batcherFor(plan: TracingOn, env: NodeJS.ProcessEnv, log: TracingLog, where: string): Promise<SpanSink> {
  const resource = { 'service.name': plan.serviceName, 'service.version': BUILD.version };
  const scope: Scope = { name: 'switchyard', version: BUILD.version };
  let lastWarnedAt = Number.NEGATIVE_INFINITY;
  let lostSince = 0;
  // Failed exports go to the log rather than OTel's silent diag channel, at most once a minute.
  const batcherLog: BatcherLog = {
    lost(spans, why) {
      lostSince += spans;
      if (Date.now() - lastWarnedAt <= EXPORT_WARNING_INTERVAL_MS) return;
      lastWarnedAt = Date.now();
      log.warn({ spans: lostSince, error: why, to: where }, 'trace export failed; spans dropped (logged at most once a minute)');
      lostSince = 0;
    },
  };
  const settings = batchSettingsFrom(env);
  if (plan.protocol === 'http/json') {
    // OTLP/JSON: the SDK's serializer over the records, kept until the export (no hot path is worth a second encoder).
    const sdkResource = resourceFromAttributes(resource);
    const json: ISerializer<SpanRecord[], IExportTraceServiceResponse> = {
      serializeRequest: (spans) => JsonTraceSerializer.serializeRequest(spans.map((s) => asReadableSpan(s, sdkResource, scope))),
      deserializeResponse: (data) => JsonTraceSerializer.deserializeResponse(data),
    };
    return new SpanBatcher(new RecordList(), sending(await exporterFor(plan, json, (spans) => spans.length)), settings, batcherLog);
  }
  const protobuf: ISerializer<EncodedBatch, IExportTraceServiceResponse> = {
    serializeRequest: (batch) => batch.bytes,
    deserializeResponse: (data) => ProtobufTraceSerializer.deserializeResponse(data),
  };
  // Each buffer holds a batch at its byte cut plus the group of spans that crosses it (about 450 bytes a span).
  return new SpanBatcher(new ProtobufBatcher(resource, scope, MAX_EXPORT_BYTES + 64 * 1024), sending(await exporterFor(plan, protobuf, (batch) => batch.spans)), settings, batcherLog);
}

function endpointAttributes(target: ModelProvider, redact: (s: string) => string): AttributeMap {
  const out: AttributeMap = { 'url.full': redact(`${target.endpoint.origin}${target.endpoint.chatPath}${target.endpoint.query}`) };
  try {
    const u = new URL(target.endpoint.origin);
    out['server.address'] = redact(u.hostname);
    out['server.port'] = u.port === '' ? (u.protocol === 'https:' ? 443 : 80) : Number(u.port);
  } catch {
    // An origin that is not a URL: url.full says what it is.
  }
  return out;
}

const RELAY: AttributeMap = { 'switchyard.next.decision': 'relay' };
// What the sampler is given for every request span, shared: samplers only read them.
const NO_ATTRIBUTES: Attributes = {};
const NO_LINKS: Link[] = [];

/** What the spans of one configured model share, built once per model. */
interface ModelFixed {
  /** The name of a request span routed to the model. */
  readonly requestSpanName: string;
  /** An attempt span's name and the attributes it starts with. */
  readonly spanName: string;
  readonly attributes: FixedAttributes;
}

interface OpenAttempt {
  readonly attemptNo: number;
  readonly span: SpanRecord;
  readonly target: ModelProvider;
  /** Set once it ended with a failure: the span stays open until the next step is known. */
  failedAt?: number;
}

class OtelRequestTrace implements RequestTrace {
  private readonly span: SpanRecord;
  /**
   * The attempts still open. Nearly always one, so it has a field of its own
   * and the list is made only for a second (a hedge): a Map per request cost
   * 200 bytes.
   */
  private firstOpen: OpenAttempt | undefined;
  private moreOpen: OpenAttempt[] | undefined;
  /** Sampled: attributes are worth setting. An unsampled span still carries its ids upstream. */
  private readonly recording: boolean;
  /** The latest attempt that failed, whose span waits for the decision that follows. */
  private awaitingDecision: number | undefined;
  /** The attempt whose stream is being relayed, ended with the stream. */
  private answering: number | undefined;

  constructor(
    private readonly tracer: OtelTracer,
    start: RequestTraceStart,
  ) {
    this.span = tracer.startRequestSpan(start);
    this.recording = (this.span.traceFlags & SAMPLED) !== 0;
    if (this.recording) tracer.setRequestAttributes(this.span, start);
  }

  routed(primary: ModelProvider): void {
    if (!this.recording) return;
    this.span.name = this.tracer.fixedFor(primary).requestSpanName;
    this.span.set('gen_ai.request.model', primary.modelId);
  }

  attemptStarted(target: ModelProvider, attemptNo: number, continuation: boolean): void {
    this.settleDecision(undefined);
    const fixed = this.tracer.fixedFor(target);
    const span = this.tracer.startSpan(this.span, this.span.spanId, false, fixed.spanName, OTLP_KIND.client, performance.now(), fixed.attributes);
    if (this.recording) {
      span.set('switchyard.attempt', attemptNo);
      if (continuation) span.set('switchyard.continuation', true);
    }
    this.track({ attemptNo, span, target });
  }

  attemptHeaders(attemptNo: number): Readonly<Record<string, string>> | undefined {
    const open = this.open(attemptNo);
    if (open === undefined) return undefined;
    // W3C Trace Context, as W3CTraceContextPropagator.inject writes it.
    const sc = open.span;
    const traceparent = `00-${sc.traceId}-${sc.spanId}-0${sc.traceFlags & SAMPLED}`;
    return sc.traceState === undefined || sc.traceState === '' ? { traceparent } : { traceparent, tracestate: sc.traceState };
  }

  attemptEnded(_target: ModelProvider, attemptNo: number, end: AttemptEnd): void {
    const open = this.open(attemptNo);
    if (open === undefined) return;
    const { span } = open;
    switch (end.kind) {
      case 'answered':
        this.answering = attemptNo;
        if (!this.recording) return;
        span.set('switchyard.outcome', 'success');
        if (end.ttfbMs !== undefined) span.set('switchyard.ttfb_ms', Math.round(end.ttfbMs));
        if (end.ttftMs !== undefined) span.set('switchyard.ttft_ms', Math.round(end.ttftMs));
        // A stream goes on being relayed: its span ends with it.
        return;
      case 'abandoned':
        span.set('switchyard.outcome', 'abandoned');
        this.tracer.finish(span);
        this.untrack(open);
        return;
      case 'failed': {
        const errorType = errorTypeOf(end.outcome);
        span.set('switchyard.outcome', 'failure');
        span.set('error.type', errorType);
        if (end.outcome.kind === 'http-error' || end.outcome.kind === 'invalid-response') span.set('http.response.status_code', end.outcome.status);
        span.fail(errorType);
        open.failedAt = performance.now();
        this.settleDecision(undefined);
        this.awaitingDecision = attemptNo;
      }
    }
  }

  retrying(retry: RetryEvent): void {
    const trigger = errorTypeOf(retry.trigger);
    this.settleDecision({
      'switchyard.next.decision': 'retry',
      'switchyard.next.rule': retry.rule.id,
      'switchyard.next.model': retry.to.name,
      'switchyard.next.delay_ms': retry.delayMs,
    });
    this.span.event('switchyard.retry', { from: retry.from.name, to: retry.to.name, rule: retry.rule.id, trigger, delay_ms: retry.delayMs });
  }

  gaveUp(reason: GiveUpReason | 'all-blocked', rule: TriggerRule | undefined): void {
    const attrs: AttributeMap = { 'switchyard.next.decision': 'give-up', 'switchyard.next.reason': reason };
    if (rule !== undefined) attrs['switchyard.next.rule'] = rule.id;
    this.settleDecision(attrs);
    this.span.event('switchyard.give_up', rule === undefined ? { reason } : { reason, rule: rule.id });
  }

  backoffStarted(delayMs: number): void {
    this.span.event('switchyard.backoff', { delay_ms: delayMs });
  }

  backoffEnded(): void {
    this.span.event('switchyard.backoff.end');
  }

  blockWritten(b: BlockEvent): void {
    this.span.event('switchyard.block', {
      scope: b.scope,
      target: b.target,
      cause: b.cause,
      apply_to: b.applyTo,
      until: new Date(b.untilMs).toISOString(),
      duration_ms: Math.max(0, b.untilMs - Date.now()),
    });
  }

  circuitChanged(target: ModelProvider, state: CircuitState): void {
    this.span.event('switchyard.circuit', { model: target.name, state });
  }

  streamBroken(target: ModelProvider, cause: StreamBreak): void {
    const code = breakCode(cause);
    this.span.event('switchyard.stream.broken', { model: target.name, 'error.type': code });
    const attemptNo = this.answering;
    const open = attemptNo === undefined ? undefined : this.open(attemptNo);
    if (open === undefined) return;
    open.span.set('switchyard.outcome', 'stream_broken');
    open.span.set('error.type', code);
    open.span.fail(code);
    this.tracer.finish(open.span);
    this.untrack(open);
    this.answering = undefined;
  }

  streamRecovered(from: ModelProvider, result: RecoveryResult): void {
    if (result.kind === 'continued') this.span.event('switchyard.stream.continued', { from: from.name, to: result.to.name });
    else this.span.event('switchyard.stream.recovery', result.kind === 'error' ? { from: from.name, result: 'error', reason: result.reason } : { from: from.name, result: 'complete' });
  }

  end(result: RequestTraceEnd): void {
    this.settleDecision(RELAY);
    const span = this.span;
    if (this.recording) {
      // Usage and the response model go on the request span only: the answering
      // attempt's would repeat them, and every attribute is paid for in export.
      if (result.usage !== undefined) {
        span.set('gen_ai.usage.input_tokens', result.usage.inputTokens);
        span.set('gen_ai.usage.output_tokens', result.usage.outputTokens);
      }
      if (result.responseModel !== undefined) span.set('gen_ai.response.model', this.tracer.redact(result.responseModel));
      span.set('http.response.status_code', result.status);
      span.set('switchyard.attempts', result.attempts);
      if (result.answeredBy !== undefined) span.set('switchyard.model', result.answeredBy.name);
      if (result.status >= 500) span.fail();
    }
    if (this.firstOpen !== undefined) this.tracer.finish(this.firstOpen.span);
    if (this.moreOpen !== undefined) for (const open of this.moreOpen) this.tracer.finish(open.span);
    this.firstOpen = undefined;
    this.moreOpen = undefined;
    this.tracer.finish(span);
  }

  private open(attemptNo: number): OpenAttempt | undefined {
    if (this.firstOpen?.attemptNo === attemptNo) return this.firstOpen;
    return this.moreOpen?.find((a) => a.attemptNo === attemptNo);
  }

  /** Tracks `attempt`, in place of an open one with its number (a Map's set, as before). */
  private track(attempt: OpenAttempt): void {
    const same = this.open(attempt.attemptNo);
    if (same !== undefined) this.untrack(same);
    if (this.firstOpen === undefined) this.firstOpen = attempt;
    else (this.moreOpen ??= []).push(attempt);
  }

  private untrack(attempt: OpenAttempt): void {
    if (this.firstOpen === attempt) {
      this.firstOpen = this.moreOpen?.shift();
      return;
    }
    const at = this.moreOpen?.indexOf(attempt) ?? -1;
    if (at >= 0) this.moreOpen?.splice(at, 1);
  }

  /** Ends the failed attempt's span, recording what was decided after it (undefined: nothing more to say). */
  private settleDecision(attrs: AttributeMap | undefined): void {
    const attemptNo = this.awaitingDecision;
    if (attemptNo === undefined) return;
    this.awaitingDecision = undefined;
    const open = this.open(attemptNo);
    if (open === undefined) return;
    if (attrs !== undefined) open.span.setAll(attrs);
    this.tracer.finish(open.span, open.failedAt);
    this.untrack(open);
  }
}

class OtelTracer implements GatewayTracer {
  private readonly propagator = new W3CTraceContextPropagator();
  private readonly ids = new RandomIds();
  private readonly perTarget = new WeakMap<ModelProvider, ModelFixed>();
  private readonly staticAttributes: AttributeMap;
  private readonly requestFixed: FixedAttributes;

  constructor(
    private readonly batcher: SpanSink,
    private readonly sampler: Sampler,
    /** The sampler samples every root span (samplerFor): a request without a parent need not ask it. */
    private readonly rootsSampled: boolean,
    private readonly plan: TracingOn,
    readonly redact: (s: string) => string,
    readonly description: string,
  ) {
    const attrs: AttributeMap = {};
    for (const [k, v] of Object.entries(plan.staticAttributes)) attrs[k] = redact(v);
    this.staticAttributes = attrs;
    this.requestFixed = encodeFixedAttributes({ ...attrs, 'http.request.method': 'POST', 'gen_ai.operation.name': 'chat' });
  }

  startRequest(start: RequestTraceStart): RequestTrace {
    return new OtelRequestTrace(this, start);
  }

  /** The request's span: a child of the client's traceparent when it sent a valid one, sampled as the sampler decides. */
  startRequestSpan(start: RequestTraceStart): SpanRecord {
    // Without a traceparent the extraction has nothing to do: skip it.
    const parent: Context = start.headers.traceparent === undefined ? ROOT_CONTEXT : this.propagator.extract(ROOT_CONTEXT, start.headers, defaultTextMapGetter);
    const remote = parent === ROOT_CONTEXT ? undefined : trace.getSpanContext(parent);
    return this.startSpan(this.requestIds(parent, remote), remote?.spanId, remote !== undefined, 'chat', OTLP_KIND.server, start.startedAt, this.requestFixed);
  }

  /** A request's trace id and sampling: the client's trace, or a new one; the sampler is asked unless it keeps every root. */
  private requestIds(parent: Context, remote: SpanContext | undefined): TraceIds {
    if (remote === undefined && this.rootsSampled) return { traceId: this.ids.traceId(), traceFlags: SAMPLED, traceState: undefined };
    const traceId = remote?.traceId ?? this.ids.traceId();
    // The sampler sees no attributes: none of the SDK's looks at them.
    const decision = this.sampler.shouldSample(parent, traceId, 'chat', SpanKind.SERVER, NO_ATTRIBUTES, NO_LINKS);
    const traceState = (decision.traceState ?? remote?.traceState)?.serialize();
    return { traceId, traceFlags: decision.decision === SamplingDecision.RECORD_AND_SAMPLED ? SAMPLED : 0, traceState };
  }

  /**
   * A span in the trace `ids` names. A child follows its parent's sampling
   * decision, as every sampler OTEL_TRACES_SAMPLER can name would decide for it.
   */
  startSpan(ids: TraceIds, parentSpanId: string | undefined, parentRemote: boolean, name: string, kind: OtlpKind, startedAt: number, fixed: FixedAttributes): SpanRecord {
    return new SpanRecord(ids.traceId, this.ids.spanId(), ids.traceFlags, ids.traceState, parentSpanId, parentRemote, name, kind, startedAt, fixed);
  }

  /** Ends `span` and queues it for export when it is sampled. */
  finish(span: SpanRecord, at?: number): void {
    if (span.end(at) && (span.traceFlags & SAMPLED) !== 0) this.batcher.add(span);
  }

  setRequestAttributes(span: SpanRecord, start: RequestTraceStart): void {
    span.set('url.path', start.path);
    span.set('switchyard.request_id', start.requestId);
    if (this.plan.headerPrefixes.length > 0) this.setHeaderAttributes(span, start.headers);
  }

  /** The request headers span_attributes.header_prefixes names, credentials excepted. */
  private setHeaderAttributes(span: SpanRecord, headers: IncomingHttpHeaders): void {
    for (const name in headers) {
      if (SECRET_HEADERS.has(name) || !this.plan.headerPrefixes.some((p) => name.startsWith(p))) continue;
      const value = headers[name];
      if (value === undefined) continue;
      span.set(`http.request.header.${name}`, (Array.isArray(value) ? value : [value]).map(this.redact));
    }
  }

  /** What the spans of requests and attempts at `target` share, made on first use. */
  fixedFor(target: ModelProvider): ModelFixed {
    let fixed = this.perTarget.get(target);
    if (fixed === undefined) {
      fixed = {
        requestSpanName: `chat ${target.name}`,
        spanName: `chat ${target.modelId}`,
        attributes: encodeFixedAttributes({
          ...this.staticAttributes,
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': target.prefix,
          'gen_ai.request.model': target.modelId,
          'switchyard.model': target.name,
          ...endpointAttributes(target, this.redact),
        }),
      };
      this.perTarget.set(target, fixed);
    }
    return fixed;
  }

  async shutdown(): Promise<void> {
    await this.batcher.shutdown();
  }
}

export async function startOtelTracer(plan: TracingOn, description: string, redact: (s: string) => string, log: TracingLog, env: NodeJS.ProcessEnv): Promise<GatewayTracer> {
  const { sampler, rootsSampled, problem } = samplerFor(plan.sampler, env);
  if (problem !== undefined) log.warn({ problem }, 'tracing sampler');
  return new OtelTracer(await batcherFor(plan, env, log, description), sampler, rootsSampled, plan, redact, description);
}
