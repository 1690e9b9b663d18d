// Fixed-concurrency load with one large body, timed per request in µs (autocannon's
// whole milliseconds are too coarse for a 2 ms target). One undici Client per
// connection, keep-alive, each loop sending as soon as its previous answer ended.
import { Client } from 'undici';
import { checkChatCompletion } from './answerCheck.js';
import { summarize, type LatencySummary } from './percentiles.js';
import { requestHeaders, type Target } from './target.js';

export interface BodyLoadSpec {
  readonly target: Target;
  readonly body: Buffer;
  readonly connections: number;
  readonly durationMs: number;
}

export interface BodyLoadResult {
  readonly requestsPerSec: number;
  readonly completed: number;
  /** Non-200 answers, answers that are not a chat completion, and errors. */
  readonly failures: number;
  readonly firstFailure: string | undefined;
  readonly latencyUs: LatencySummary;
}

export async function runBodyLoad(spec: BodyLoadSpec): Promise<BodyLoadResult> {
  const headers = { ...requestHeaders(spec.target), 'content-length': String(spec.body.length) };
  const samples: number[] = [];
  let failures = 0;
  let firstFailure: string | undefined;
  const fail = (reason: string): void => {
    failures++;
    firstFailure ??= reason;
  };
  const started = Date.now();
  const deadline = started + spec.durationMs;
  const loop = async (): Promise<void> => {
    const client = new Client(spec.target.origin, { pipelining: 1, keepAliveTimeout: 60_000 });
    try {
      while (Date.now() < deadline) {
        const t0 = process.hrtime.bigint();
        try {
          const res = await client.request({ method: 'POST', path: spec.target.path, headers, body: spec.body });
          const text = await res.body.text();
          const check = checkChatCompletion(res.statusCode, text);
          if (check.ok) samples.push(Number(process.hrtime.bigint() - t0) / 1000);
          else fail(check.reason);
        } catch (err) {
          fail(String(err));
        }
      }
    } finally {
      await client.close().catch(() => undefined);
    }
  };
  await Promise.all(Array.from({ length: spec.connections }, loop));
  const elapsedS = (Date.now() - started) / 1000;
  return { requestsPerSec: samples.length / elapsedS, completed: samples.length, failures, firstFailure, latencyUs: summarize(samples) };
}
