// The failover decision-path micro-benchmark (classification, candidate
// selection, state lookup), reported in ns/op. The cases live in decisionCases.ts.
import { decisionCases } from './decisionCases.js';
import type { MicroOutcome } from './results.js';

export interface MicroCase {
  readonly name: string;
  /** One operation; must return something derived from its work so V8 cannot drop it. */
  readonly run: () => unknown;
}


let sink: unknown;

/** Runs fn in growing batches until minMs has elapsed, after a warmup, and returns ns per call. */
export function measureNsPerOp(fn: () => unknown, minMs = 200): number {
  for (let i = 0; i < 10_000; i++) sink = fn();
  let iterations = 1_000;
  for (;;) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) sink = fn();
    const elapsedNs = Number(process.hrtime.bigint() - start);
    if (elapsedNs >= minMs * 1e6) return elapsedNs / iterations;
    iterations *= 2;
  }
}

export function keepSink(): unknown {
  return sink;
}

export function runMicroBenchmarks(cases: readonly MicroCase[] = decisionCases()): Promise<MicroOutcome> {
  if (cases.length === 0) return Promise.resolve({ kind: 'not-measured', reason: 'no decision-path cases registered' });
  return Promise.resolve({ kind: 'measured', cases: cases.map((c) => ({ name: c.name, nsPerOp: measureNsPerOp(c.run) })) });
}
