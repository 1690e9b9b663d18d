// The OpenTelemetry implementation of the tracing seam: a span per client
// request (SERVER) and a child span per upstream attempt (CLIENT), with the
// OpenTelemetry GenAI attributes, the failover decisions and events. Loaded
// with import() only when tracing is on. No global provider or context manager
// is installed: parents are passed explicitly, so several gateways can trace in
// one process and the hot path pays no async-context bookkeeping.
//
// Nothing a client or provider wrote is recorded except header values the
// operator asked for (span_attributes.header_prefixes) and the model the
// provider named; those, and the configured URLs, pass through the secret
// redactor. Bodies, prompts and completions are never recorded.
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, defaultTextMapGetter, trace, type Attributes, type Context, type Span, type Tracer } from '@opentelemetry/api';
import { ExportResultCode, W3CTraceContextPropagator, type ExportResult } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  AlwaysOnSampler,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type ReadableSpan,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import type { IncomingHttpHeaders } from 'node:http';
import type { ModelProvider } from '../../config/types.js';
import type { AttemptEnd, BlockEvent, CircuitState, RetryEvent } from '../../failover/observer.js';
import { errorTypeOf } from '../../failover/outcome.js';
import type { GiveUpReason } from '../../failover/decision.js';
import type { TriggerRule } from '../../config/types.js';
import { breakCode, type StreamBreak } from '../../streaming/breakage.js';
import type { RecoveryResult } from '../../streaming/observer.js';
import { BUILD } from '../buildInfo.js';
import type { OtlpProtocol, TracingPlan } from './plan.js';
import type { GatewayTracer, RequestTrace, RequestTraceEnd, RequestTraceStart } from './requestTrace.js';

type TracingOn = Extract<TracingPlan, { kind: 'on' }>;

/** What the tracer may report about itself: failed exports, at most once a minute. */
export interface TracingLog {
  warn(obj: object, msg: string): void;
}

/** Headers never copied onto a span, whatever header_prefixes says: they carry credentials. */
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'x-api-key', 'api-key', 'x-switchyard-key', 'cookie', 'set-cookie']);

const EXPORT_WARNING_INTERVAL_MS = 60_000;

async function exporterFor(protocol: OtlpProtocol, url: string): Promise<SpanExporter> {
  const config = { url };
  switch (protocol) {
    case 'grpc':
      return new (await import('@opentelemetry/exporter-trace-otlp-grpc')).OTLPTraceExporter(config);
    case 'http/protobuf':
      return new (await import('@opentelemetry/exporter-trace-otlp-proto')).OTLPTraceExporter(config);
    case 'http/json':
      return new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter(config);
  }
}

/** The exporter, reporting failed exports to the log instead of OTel's silent diag channel. */
function reporting(inner: SpanExporter, log: TracingLog, where: string): SpanExporter {
  let lastWarnedAt = Number.NEGATIVE_INFINITY;
  return {
    export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
      inner.export(spans, (result) => {
        if (result.code !== ExportResultCode.SUCCESS && Date.now() - lastWarnedAt > EXPORT_WARNING_INTERVAL_MS) {
          lastWarnedAt = Date.now();
          log.warn({ spans: spans.length, error: result.error?.message, to: where }, 'trace export failed; spans dropped (logged at most once a minute)');
        }
        done(result);
      });
    },
    shutdown: () => inner.shutdown(),
    forceFlush: () => inner.forceFlush?.() ?? Promise.resolve(),
  };
}

function endpointAttributes(target: ModelProvider, redact: (s: string) => string): Attributes {
  const out: Attributes = { 'url.full': redact(`${target.endpoint.origin}${target.endpoint.chatPath}${target.endpoint.query}`) };
  try {
    const u = new URL(target.endpoint.origin);
    out['server.address'] = redact(u.hostname);
    out['server.port'] = u.port === '' ? (u.protocol === 'https:' ? 443 : 80) : Number(u.port);
  } catch {
    // An origin that is not a URL: url.full says what it is.
  }
  return out;
}

const RELAY: Attributes = { 'switchyard.next.decision': 'relay' };

/** What every attempt at one configured model carries, built once per model. */
interface AttemptFixed {
  readonly spanName: string;
  readonly attributes: Attributes;
}

interface OpenAttempt {
  readonly span: Span;
  readonly target: ModelProvider;
  /** Set once it ended with a failure: the span stays open until the next step is known. */
  failedAt?: number;
}

class OtelRequestTrace implements RequestTrace {
  private readonly span: Span;
  private readonly parent: Context;
  private readonly attempts = new Map<number, OpenAttempt>();
  /** Sampled: attributes are worth building. An unsampled span still carries its ids upstream. */
  private readonly recording: boolean;
  /** The latest attempt that failed, whose span waits for the decision that follows. */
  private awaitingDecision: number | undefined;
  /** The attempt whose stream is being relayed, ended with the stream. */
  private answering: number | undefined;

  constructor(
    private readonly tracer: OtelTracer,
    start: RequestTraceStart,
  ) {
    // Without a traceparent the extraction has nothing to do: skip it.
    const parentContext = start.headers.traceparent === undefined ? ROOT_CONTEXT : tracer.propagator.extract(ROOT_CONTEXT, start.headers, defaultTextMapGetter);
    // Attributes are set on the span rather than passed to startSpan: the SDK
    // sanitizes startSpan's attributes twice into fresh objects (for the sampler,
    // which here never reads them), and an unsampled span gets none built at all.
    this.span = tracer.tracer.startSpan('chat', { kind: SpanKind.SERVER, startTime: start.startedAt }, parentContext);
    this.recording = this.span.isRecording();
    if (this.recording) tracer.setRequestAttributes(this.span, start);
    this.parent = trace.setSpan(ROOT_CONTEXT, this.span);
  }

  routed(primary: ModelProvider): void {
    if (!this.recording) return;
    this.span.updateName(`chat ${primary.name}`);
    this.span.setAttribute('gen_ai.request.model', primary.modelId);
  }

  attemptStarted(target: ModelProvider, attemptNo: number, continuation: boolean): void {
    this.settleDecision(undefined);
    const fixed = this.tracer.attemptAttributesOf(target);
    const span = this.tracer.tracer.startSpan(fixed.spanName, { kind: SpanKind.CLIENT }, this.parent);
    if (this.recording) {
      span.setAttributes(fixed.attributes);
      span.setAttribute('switchyard.attempt', attemptNo);
      if (continuation) span.setAttribute('switchyard.continuation', true);
    }
    this.attempts.set(attemptNo, { span, target });
  }

  attemptHeaders(attemptNo: number): Readonly<Record<string, string>> | undefined {
    const open = this.attempts.get(attemptNo);
    if (open === undefined) return undefined;
    // W3C Trace Context, written as W3CTraceContextPropagator.inject writes it,
    // without a context per attempt and the validity regexes on ids the SDK made.
    const sc = open.span.spanContext();
    const traceparent = `00-${sc.traceId}-${sc.spanId}-${sc.traceFlags.toString(16).padStart(2, '0')}`;
    const tracestate = sc.traceState?.serialize();
    return tracestate === undefined || tracestate === '' ? { traceparent } : { traceparent, tracestate };
  }

  attemptEnded(_target: ModelProvider, attemptNo: number, end: AttemptEnd): void {
    const open = this.attempts.get(attemptNo);
    if (open === undefined) return;
    const { span } = open;
    switch (end.kind) {
      case 'answered':
        this.answering = attemptNo;
        if (!this.recording) return;
        span.setAttribute('switchyard.outcome', 'success');
        if (end.ttfbMs !== undefined) span.setAttribute('switchyard.ttfb_ms', Math.round(end.ttfbMs));
        if (end.ttftMs !== undefined) span.setAttribute('switchyard.ttft_ms', Math.round(end.ttftMs));
        // A stream goes on being relayed: its span ends with it.
        return;
      case 'abandoned':
        span.setAttribute('switchyard.outcome', 'abandoned');
        span.end();
        this.attempts.delete(attemptNo);
        return;
      case 'failed': {
        const errorType = errorTypeOf(end.outcome);
        span.setAttributes({ 'switchyard.outcome': 'failure', 'error.type': errorType });
        if (end.outcome.kind === 'http-error' || end.outcome.kind === 'invalid-response') span.setAttribute('http.response.status_code', end.outcome.status);
        span.setStatus({ code: SpanStatusCode.ERROR, message: errorType });
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
    this.span.addEvent('switchyard.retry', { from: retry.from.name, to: retry.to.name, rule: retry.rule.id, trigger, delay_ms: retry.delayMs });
  }

  gaveUp(reason: GiveUpReason | 'all-blocked', rule: TriggerRule | undefined): void {
    const attrs: Attributes = { 'switchyard.next.decision': 'give-up', 'switchyard.next.reason': reason };
    if (rule !== undefined) attrs['switchyard.next.rule'] = rule.id;
    this.settleDecision(attrs);
    this.span.addEvent('switchyard.give_up', rule === undefined ? { reason } : { reason, rule: rule.id });
  }

  backoffStarted(delayMs: number): void {
    this.span.addEvent('switchyard.backoff', { delay_ms: delayMs });
  }

  backoffEnded(): void {
    this.span.addEvent('switchyard.backoff.end');
  }

  blockWritten(b: BlockEvent): void {
    this.span.addEvent('switchyard.block', {
      scope: b.scope,
      target: b.target,
      cause: b.cause,
      apply_to: b.applyTo,
      until: new Date(b.untilMs).toISOString(),
      duration_ms: Math.max(0, b.untilMs - Date.now()),
    });
  }

  circuitChanged(target: ModelProvider, state: CircuitState): void {
    this.span.addEvent('switchyard.circuit', { model: target.name, state });
  }

  streamBroken(target: ModelProvider, cause: StreamBreak): void {
    const code = breakCode(cause);
    this.span.addEvent('switchyard.stream.broken', { model: target.name, 'error.type': code });
    const attemptNo = this.answering;
    const open = attemptNo === undefined ? undefined : this.attempts.get(attemptNo);
    if (attemptNo === undefined || open === undefined) return;
    open.span.setAttributes({ 'switchyard.outcome': 'stream_broken', 'error.type': code });
    open.span.setStatus({ code: SpanStatusCode.ERROR, message: code });
    open.span.end();
    this.attempts.delete(attemptNo);
    this.answering = undefined;
  }

  streamRecovered(from: ModelProvider, result: RecoveryResult): void {
    if (result.kind === 'continued') this.span.addEvent('switchyard.stream.continued', { from: from.name, to: result.to.name });
    else this.span.addEvent('switchyard.stream.recovery', result.kind === 'error' ? { from: from.name, result: 'error', reason: result.reason } : { from: from.name, result: 'complete' });
  }

  end(result: RequestTraceEnd): void {
    this.settleDecision(RELAY);
    if (this.recording) {
      // Usage and the response model go on the request span only: the answering
      // attempt's would repeat them, and every attribute is paid for in export.
      if (result.usage !== undefined) {
        this.span.setAttribute('gen_ai.usage.input_tokens', result.usage.inputTokens);
        this.span.setAttribute('gen_ai.usage.output_tokens', result.usage.outputTokens);
      }
      if (result.responseModel !== undefined) this.span.setAttribute('gen_ai.response.model', this.tracer.redact(result.responseModel));
      this.span.setAttribute('http.response.status_code', result.status);
      this.span.setAttribute('switchyard.attempts', result.attempts);
      if (result.answeredBy !== undefined) this.span.setAttribute('switchyard.model', result.answeredBy.name);
      if (result.status >= 500) this.span.setStatus({ code: SpanStatusCode.ERROR });
    }
    for (const open of this.attempts.values()) open.span.end();
    this.attempts.clear();
    this.span.end();
  }

  /** Ends the failed attempt's span, recording what was decided after it (undefined: nothing more to say). */
  private settleDecision(attrs: Attributes | undefined): void {
    const attemptNo = this.awaitingDecision;
    if (attemptNo === undefined) return;
    this.awaitingDecision = undefined;
    const open = this.attempts.get(attemptNo);
    if (open === undefined) return;
    if (attrs !== undefined) open.span.setAttributes(attrs);
    open.span.end(open.failedAt);
    this.attempts.delete(attemptNo);
  }
}

class OtelTracer implements GatewayTracer {
  readonly tracer: Tracer;
  readonly propagator = new W3CTraceContextPropagator();
  readonly staticAttributes: Attributes;
  private readonly perTarget = new WeakMap<ModelProvider, AttemptFixed>();
  private readonly requestFixed: Attributes;

  constructor(
    private readonly provider: BasicTracerProvider,
    private readonly plan: TracingOn,
    readonly redact: (s: string) => string,
    readonly description: string,
  ) {
    this.tracer = provider.getTracer('switchyard', BUILD.version);
    const attrs: Attributes = {};
    for (const [k, v] of Object.entries(plan.staticAttributes)) attrs[k] = redact(v);
    this.staticAttributes = attrs;
    this.requestFixed = { ...attrs, 'http.request.method': 'POST', 'gen_ai.operation.name': 'chat' };
  }

  startRequest(start: RequestTraceStart): RequestTrace {
    return new OtelRequestTrace(this, start);
  }

  setRequestAttributes(span: Span, start: RequestTraceStart): void {
    span.setAttributes(this.requestFixed);
    span.setAttribute('url.path', start.path);
    span.setAttribute('switchyard.request_id', start.requestId);
    if (this.plan.headerPrefixes.length > 0) span.setAttributes(this.headerAttributes(start.headers));
  }

  /** The request headers span_attributes.header_prefixes names, credentials excepted. */
  private headerAttributes(headers: IncomingHttpHeaders): Attributes {
    const out: Attributes = {};
    for (const name in headers) {
      if (SECRET_HEADERS.has(name) || !this.plan.headerPrefixes.some((p) => name.startsWith(p))) continue;
      const value = headers[name];
      if (value === undefined) continue;
      out[`http.request.header.${name}`] = (Array.isArray(value) ? value : [value]).map(this.redact);
    }
    return out;
  }

  attemptAttributesOf(target: ModelProvider): AttemptFixed {
    let fixed = this.perTarget.get(target);
    if (fixed === undefined) {
      fixed = {
        spanName: `chat ${target.modelId}`,
        attributes: {
          ...this.staticAttributes,
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': target.prefix,
          'gen_ai.request.model': target.modelId,
          'switchyard.model': target.name,
          ...endpointAttributes(target, this.redact),
        },
      };
      this.perTarget.set(target, fixed);
    }
    return fixed;
  }

  async shutdown(): Promise<void> {
    await this.provider.shutdown();
  }
}

export async function startOtelTracer(plan: TracingOn, description: string, redact: (s: string) => string, log: TracingLog): Promise<GatewayTracer> {
  const exporter = reporting(await exporterFor(plan.protocol, plan.endpoint), log, description);
  // Every trace (random_sampling: 100) needs no look at the trace id.
  const root = (ratio: number) => (ratio >= 1 ? new AlwaysOnSampler() : new TraceIdRatioBasedSampler(ratio));
  const sampler = plan.sampler.kind === 'ratio' ? new ParentBasedSampler({ root: root(plan.sampler.ratio) }) : undefined;
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': plan.serviceName, 'service.version': BUILD.version }),
    // Without one, the SDK builds its sampler from OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG.
    ...(sampler === undefined ? {} : { sampler }),
    // Reads OTEL_BSP_* (queue size, batch size, delay) itself.
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  return new OtelTracer(provider, plan, redact, description);
}
