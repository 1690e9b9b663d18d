// Sequential keep-alive requests timed with process.hrtime.bigint: the
// concurrency-1 latency that autocannon's millisecond buckets cannot resolve,
// plus time to first body chunk for streams.
import { Client } from 'undici';
import { summarize, type LatencySummary } from './percentiles.js';
import { requestBody, requestHeaders, type RequestMode, type Target } from './target.js';

export interface ProbeSpec {
  readonly target: Target;
  readonly mode: RequestMode;
  /** Untimed requests first, bounded by count and by warmupMaxMs. */
  readonly warmup: number;
  readonly warmupMaxMs: number;
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
  const body = requestBody(spec.target.api, spec.mode);
  const timeOne = async (): Promise<{ status: number; firstNs: bigint; totalNs: bigint }> => {
    const start = process.hrtime.bigint();
    const res = await client.request({ method: 'POST', path: spec.target.path, headers, body });
    let first: bigint | undefined;
    for await (const chunk of res.body as AsyncIterable<Buffer>) if (chunk.length > 0) first ??= process.hrtime.bigint();
    const end = process.hrtime.bigint();
    return { status: res.statusCode, firstNs: (first ?? end) - start, totalNs: end - start };
  };
  const totals: number[] = [];
  const firsts: number[] = [];
  try {
    // Slow systems (a 25 ms streaming timer) must still get timed samples, so
    // warmup and the timed phase each have their own time budget.
    const warmupEnd = Date.now() + spec.warmupMaxMs;
    for (let i = 0; i < spec.warmup && Date.now() < warmupEnd; i++) {
      const { status } = await timeOne();
      if (status !== 200) return { ok: false, reason: `probe got status ${status}` };
    }
    const deadline = Date.now() + spec.maxDurationMs;
    while (totals.length < spec.maxRequests && Date.now() < deadline) {
      const { status, firstNs, totalNs } = await timeOne();
      if (status !== 200) return { ok: false, reason: `probe got status ${status}` };
      totals.push(toUs(totalNs));
      firsts.push(toUs(firstNs));
    }
  } catch (err) {
    return { ok: false, reason: `probe failed: ${String(err)}` };
  } finally {
    await client.close().catch(() => undefined);
  }
  return { ok: true, totalUs: summarize(totals), firstChunkUs: summarize(firsts) };
}
