// Fixed-concurrency, fixed-duration load with autocannon. Latency here is in
// whole milliseconds (autocannon's resolution); the probe gives microseconds.
import autocannon from 'autocannon';
import { requestBody, requestHeaders, type RequestMode, type Target } from './target.js';

export interface LoadSpec {
  readonly target: Target;
  readonly mode: RequestMode;
  readonly connections: number;
  readonly durationS: number;
}

export interface LoadResult {
  readonly requestsPerSec: number;
  readonly completed: number;
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly max: number };
  /** non-2xx answers + socket errors + timeouts; any of these invalidates the numbers. */
  readonly failures: number;
  readonly elapsedS: number;
}

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const result = await autocannon({
    url: `${spec.target.origin}${spec.target.path}`,
    method: 'POST',
    headers: requestHeaders(spec.target),
    body: requestBody(spec.target.api, spec.mode),
    connections: spec.connections,
    pipelining: 1,
    duration: spec.durationS,
    timeout: 10,
  });
  const elapsedS = result.duration > 0 ? result.duration : spec.durationS;
  return {
    requestsPerSec: result.requests.total / elapsedS,
    completed: result.requests.total,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    failures: result.non2xx + result.errors + result.timeouts,
    elapsedS,
  };
}
