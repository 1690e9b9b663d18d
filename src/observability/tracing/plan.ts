// Whether tracing runs, where spans go and how they are sampled: Plano's
// `tracing` section and the standard OTEL_* variables, decided once at
// start-up. Pure. The rules, in order:
// - OTEL_SDK_DISABLED=true, OTEL_TRACES_EXPORTER=none or random_sampling: 0 → off.
// - random_sampling above 0 with opentracing_grpc_endpoint → OTLP/gRPC to that endpoint.
// - Else OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (used as it is) or OTEL_EXPORTER_OTLP_ENDPOINT
//   (with /v1/traces appended over HTTP) → OTLP over OTEL_EXPORTER_OTLP_(TRACES_)PROTOCOL,
//   http/protobuf by default. The exporter reads OTEL_EXPORTER_OTLP_*HEADERS, _TIMEOUT
//   and _COMPRESSION itself.
// - Else off.
// Sampling: OTEL_TRACES_SAMPLER when set (the SDK reads it and its _ARG), else
// random_sampling as a parent-based ratio, else the SDK default (parent-based, every trace).
import type { TracingSettings } from '../../config/types.js';

export type OtlpProtocol = 'grpc' | 'http/protobuf' | 'http/json';

const PROTOCOLS: readonly OtlpProtocol[] = ['grpc', 'http/protobuf', 'http/json'];

export type TracingPlan =
  | { readonly kind: 'off'; readonly reason: string; readonly problem: boolean }
  | {
      readonly kind: 'on';
      readonly protocol: OtlpProtocol;
      /** Where the exporter sends spans: the full URL over HTTP, the collector's address over gRPC. */
      readonly endpoint: string;
      /** `ratio`: parent-based, keeping that share of new traces; `env`: as OTEL_TRACES_SAMPLER says. */
      readonly sampler: { readonly kind: 'ratio'; readonly ratio: number } | { readonly kind: 'env' };
      readonly serviceName: string;
      readonly headerPrefixes: readonly string[];
      readonly staticAttributes: Readonly<Record<string, string>>;
    };

const set = (v: string | undefined): string | undefined => (v === undefined || v.trim() === '' ? undefined : v.trim());

export function planTracing(settings: TracingSettings, env: NodeJS.ProcessEnv): TracingPlan {
  const off = (reason: string, problem = false): TracingPlan => ({ kind: 'off', reason, problem });
  if (set(env['OTEL_SDK_DISABLED'])?.toLowerCase() === 'true') return off('OTEL_SDK_DISABLED is true');
  if (set(env['OTEL_TRACES_EXPORTER'])?.toLowerCase() === 'none') return off('OTEL_TRACES_EXPORTER is none');
  if (settings.samplingPercent === 0) return off('tracing.random_sampling is 0');
  const sampler =
    set(env['OTEL_TRACES_SAMPLER']) !== undefined || settings.samplingPercent === undefined
      ? ({ kind: 'env' } as const)
      : ({ kind: 'ratio', ratio: settings.samplingPercent / 100 } as const);
  const common = {
    sampler,
    serviceName: set(env['OTEL_SERVICE_NAME']) ?? 'switchyard',
    headerPrefixes: settings.headerPrefixes,
    staticAttributes: settings.staticAttributes,
  };
  if (settings.samplingPercent !== undefined && settings.grpcEndpoint !== undefined) {
    return { kind: 'on', protocol: 'grpc', endpoint: settings.grpcEndpoint, ...common };
  }
  const tracesEndpoint = set(env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']);
  const baseEndpoint = set(env['OTEL_EXPORTER_OTLP_ENDPOINT']);
  if (tracesEndpoint === undefined && baseEndpoint === undefined) {
    return off('no tracing.random_sampling with opentracing_grpc_endpoint, and no OTEL_EXPORTER_OTLP_ENDPOINT');
  }
  const protocol = set(env['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL']) ?? set(env['OTEL_EXPORTER_OTLP_PROTOCOL']) ?? 'http/protobuf';
  if (!(PROTOCOLS as readonly string[]).includes(protocol)) {
    return off(`OTEL_EXPORTER_OTLP_PROTOCOL "${protocol}" is not one of ${PROTOCOLS.join(', ')}`, true);
  }
  // Resolved here rather than by the exporter, so the environment the gateway was given is the one that counts.
  const endpoint = tracesEndpoint ?? (protocol === 'grpc' ? (baseEndpoint ?? '') : `${(baseEndpoint ?? '').replace(/\/+$/, '')}/v1/traces`);
  return { kind: 'on', protocol: protocol as OtlpProtocol, endpoint, ...common };
}

/** A URL with any user:password@ taken out, for logs. */
function withoutUserinfo(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return url.replace(/\/\/[^/@]*@/, '//');
  }
}

/** Where spans go, for the start-up log line: the endpoint, never the headers (they may hold a key). */
export function describePlan(plan: Extract<TracingPlan, { kind: 'on' }>, env: NodeJS.ProcessEnv): string {
  const endpoint = withoutUserinfo(plan.endpoint);
  const sampling = plan.sampler.kind === 'ratio' ? `${plan.sampler.ratio * 100}% of new traces` : `OTEL_TRACES_SAMPLER (${set(env['OTEL_TRACES_SAMPLER']) ?? 'parentbased_always_on'})`;
  return `OTLP ${plan.protocol} to ${endpoint}, sampling ${sampling}`;
}
