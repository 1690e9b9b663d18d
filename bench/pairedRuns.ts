// Paired, interleaved comparisons for the targets that are a ratio of two
// systems (metrics, tracing, Redis; the floor and Portkey for issue 16). Run
// one after the other, the second system of a pair measured 7–13% slower than
// the first even when both were the same build: the long-lived load generator
// and mock age between them, and a shared 2-core machine drifts. So each pair
// runs side by side (both started, one loaded at a time) in alternating order
// (ORDER), and each side's median is compared: drift and order cancel instead
// of landing on one side.
// The first two rounds after the warm-ups ran at half speed whichever side
// they loaded (in every pair, A/A included), so two settling rounds, one per
// side, are run and not counted.
import { checkSystem } from './correctness.js';
import { runLoad } from './loadDriver.js';
import { timedLoad } from './measure.js';
import { startProcessSampler, type ProcessSampler } from './processSampler.js';
import type { PairedComparison } from './results.js';
import type { LaunchContext, RunningSystem, SystemName, SystemSpec } from './systems.js';
import type { RequestMode } from './target.js';

/** A ratio target's pair: compared / reference is reported, at c64 in `mode`. */
export interface PairSpec {
  readonly reference: SystemName;
  readonly compared: SystemName;
  readonly mode: RequestMode;
}

export const PAIRS: readonly PairSpec[] = [
  { reference: 'baseline', compared: 'switchyard', mode: 'json' },
  { reference: 'switchyard', compared: 'switchyard-traced', mode: 'json' },
  { reference: 'switchyard', compared: 'switchyard-redis', mode: 'json' },
  // Issue 16's shares of the floor and ratio to Portkey: from the sequential
  // rows they swung by 10 points and more between runs of one build.
  { reference: 'floor', compared: 'switchyard', mode: 'json' },
  { reference: 'floor', compared: 'switchyard', mode: 'stream' },
  { reference: 'portkey', compared: 'switchyard', mode: 'json' },
];

const SETTLE = [0, 1] as const;
const ORDER = [0, 1, 1, 0, 0, 1, 1, 0, 1, 0, 0, 1] as const;
const ORDER_TEXT = ORDER.map((w) => (w === 0 ? 'A' : 'B')).join(' ');
const CONNECTIONS = 64;

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

interface Side {
  readonly system: RunningSystem;
  readonly sampler: ProcessSampler | undefined;
  readonly rps: number[];
  readonly cpuPer10k: number[];
}

/** One round on one side: c64 in `mode` for `seconds`, with the process's CPU over it. */
async function round(side: Side, mode: RequestMode, seconds: number): Promise<string | undefined> {
  const { load, cpuSecondsPer10k } = await timedLoad(side.system, side.sampler, mode, CONNECTIONS, seconds);
  if (load.failures > 0 || load.completed === 0) return `${load.failures} failed requests in a round`;
  side.rps.push(load.requestsPerSec);
  if (cpuSecondsPer10k !== undefined) side.cpuPer10k.push(cpuSecondsPer10k);
  return undefined;
}

export async function measurePair(
  specs: readonly [SystemSpec, SystemSpec],
  mode: RequestMode,
  ctx: LaunchContext,
  mockOrigin: string,
  roundSeconds: number,
  log: (line: string) => void,
): Promise<PairedComparison> {
  const names = [specs[0].name, specs[1].name] as const;
  const started: RunningSystem[] = [];
  const sides: Side[] = [];
  const failed = (reason: string): PairedComparison => ({ kind: 'not-measured', reference: names[0], compared: names[1], mode, reason });
  try {
    for (const spec of specs) {
      const s = await spec.start(ctx);
      if (s.kind !== 'running') return failed(`${spec.name}: ${s.reason}`);
      started.push(s.system);
      const check = await checkSystem(s.system.target, mode, mockOrigin, spec.failsOver);
      if (!check.ok) return failed(`${spec.name} answered wrong: ${check.reason}`);
    }
    for (const system of started) sides.push({ system, sampler: system.pid === undefined ? undefined : startProcessSampler(system.pid), rps: [], cpuPer10k: [] });
    // Warm both, then settle, before anything is timed.
    for (const side of sides) await runLoad({ target: side.system.target, mode, connections: CONNECTIONS, durationS: 2 * roundSeconds });
    for (const which of SETTLE) await runLoad({ target: (sides[which] as Side).system.target, mode, connections: CONNECTIONS, durationS: roundSeconds });
    for (const which of ORDER) {
      const side = sides[which] as Side;
      log(`  pair ${names.join(' / ')} (${mode}): ${names[which]} round ${side.rps.length + 1}`);
      const problem = await round(side, mode, roundSeconds);
      if (problem !== undefined) return failed(`${names[which]}: ${problem}`);
    }
    const [a, b] = sides as [Side, Side];
    const cpu = a.cpuPer10k.length === ORDER.length / 2 && b.cpuPer10k.length === ORDER.length / 2 ? { reference: median(a.cpuPer10k), compared: median(b.cpuPer10k) } : undefined;
    return {
      kind: 'measured',
      reference: names[0],
      compared: names[1],
      mode,
      rounds: ORDER.length / 2,
      order: ORDER_TEXT,
      roundSeconds,
      rps: { reference: median(a.rps), compared: median(b.rps) },
      rpsRounds: { reference: a.rps, compared: b.rps },
      cpuPer10k: cpu,
    };
  } finally {
    for (const side of sides) side.sampler?.stop();
    for (const system of started) await system.stop();
  }
}
