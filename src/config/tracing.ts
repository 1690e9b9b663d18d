// Plano's `tracing` section. Switchyard exports OTLP traces: random_sampling is
// the share of new traces kept, opentracing_grpc_endpoint the collector, and
// span_attributes what every span carries. Whether tracing runs at all also
// depends on the OTEL_* environment, decided at start-up (observability/tracing/plan.ts).
import type { IssueCollector } from './issues.js';
import { isRawMap, readInt, readList, readMap, readString, type RawMap } from './raw.js';
import type { TracingSettings } from './types.js';

/** What a file without a tracing section means: nothing from the file; the environment may still turn tracing on. */
export const NO_TRACING: TracingSettings = Object.freeze({ samplingPercent: undefined, grpcEndpoint: undefined, headerPrefixes: [], staticAttributes: {} });

/** Plano keys Switchyard accepts but does not act on. */
const IGNORED_TRACING_KEYS = ['trace_arch_internal', 'exporters'] as const;

export function buildTracing(root: RawMap, env: NodeJS.ProcessEnv, issues: IssueCollector): TracingSettings {
  const t = readMap(root, 'tracing') ?? {};
  for (const key of IGNORED_TRACING_KEYS) {
    if (t[key] !== undefined) issues.warn(['tracing', key], `tracing.${key} is ignored by Switchyard`);
  }
  const samplingPercent = readInt(t, 'random_sampling');
  if (samplingPercent !== undefined && (samplingPercent < 0 || samplingPercent > 100)) {
    issues.error(['tracing', 'random_sampling'], `must be a percentage from 0 to 100, got ${samplingPercent}`);
  }
  const grpcEndpoint = readString(t, 'opentracing_grpc_endpoint');
  if (grpcEndpoint !== undefined && !/^https?:\/\/[^/\s]+/.test(grpcEndpoint)) {
    issues.error(['tracing', 'opentracing_grpc_endpoint'], `must be an http:// or https:// URL such as http://localhost:4317, got ${JSON.stringify(grpcEndpoint)}`);
  }
  const envEndpoint = env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'] ?? env['OTEL_EXPORTER_OTLP_ENDPOINT'];
  if (samplingPercent !== undefined && samplingPercent > 0 && grpcEndpoint === undefined && !envEndpoint) {
    issues.warn(['tracing', 'random_sampling'], 'tracing needs opentracing_grpc_endpoint (or OTEL_EXPORTER_OTLP_ENDPOINT) to send its spans to');
  }
  const attrs = readMap(t, 'span_attributes') ?? {};
  const headerPrefixes = (readList(attrs, 'header_prefixes') ?? []).filter((p): p is string => typeof p === 'string').map((p) => p.toLowerCase());
  const staticMap = readMap(attrs, 'static');
  const staticAttributes: Record<string, string> = {};
  if (isRawMap(staticMap)) {
    for (const [k, v] of Object.entries(staticMap)) if (typeof v === 'string') staticAttributes[k] = v;
  }
  return { samplingPercent, grpcEndpoint, headerPrefixes, staticAttributes };
}
