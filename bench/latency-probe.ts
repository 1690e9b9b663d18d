// Sequential keep-alive requests timed with process.hrtime.bigint: the
// concurrency-1 latency that autocannon's millisecond buckets cannot resolve,
// plus time to first body chunk for streams.
import { Client } from 'undici';
import { summarize, type LatencySummary } from './percentiles.js';
import { requestBody, requestHeaders, type RequestMode, type Target } from './target.js';

export interface ProbeSpec {
  readonly target: Target;
  readonly mode: RequestMode;
  readonly warmup: number;
  /** Stop after this many timed requests or after maxDurationMs, whichever comes first. */
  readonly maxRequests: number;
  readonly maxDurationMs: number;
}

export type ProbeResult =
  | {
      readonly ok: true;
      /** Whole request, headers to last body byte, in µs. */
      readonly totalUs: LatencySummary;
      /** Request start to first body chunk, in µs. */
      readonly firstChunkUs: LatencySummary;
    }
  | { readonly ok: false; readonly reason: string };

const toUs = (ns: bigint): number => Number(ns) / 1000;

export async function runProbe(spec: ProbeSpec): Promise<ProbeResult> {
  const client = new Client(spec.target.origin, { pipelining: 1, keepAliveTimeout: 60_000 });
  const headers = requestHeaders(spec.target);
  const body = requestBody(spec.mode);
  const totals: number[] = [];
  const firsts: number[] = [];
  try {
    const deadline = Date.now() + spec.maxDurationMs;
    for (let i = 0; i < spec.warmup + spec.maxRequests; i++) {
      if (i >= spec.warmup && Date.now() > deadline) break;
      const start = process.hrtime.bigint();
      const res = await client.request({ method: 'POST', path: spec.target.path, headers, body });
      let first: bigint | undefined;
      for await (const _chunk of res.body) first ??= process.hrtime.bigint();
      const end = process.hrtime.bigint();
      if (res.statusCode !== 200) return { ok: false, reason: `probe got status ${res.statusCode}` };
      if (i < spec.warmup) continue;
      totals.push(toUs(end - start));
      firsts.push(toUs((first ?? end) - start));
    }
  } catch (err) {
    return { ok: false, reason: `probe failed: ${String(err)}` };
  } finally {
    await client.close().catch(() => undefined);
  }
  return { ok: true, totalUs: summarize(totals), firstChunkUs: summarize(firsts) };
}
