// Paired, interleaved comparisons for the targets that are a ratio of two
// systems (metrics, tracing, Redis; the floor and Portkey for issue 16, and
// the floor at 1 MB prompts and at concurrency 1, whose sequential rows read
// 85% and 111% of the floor's req/s, and −242 and +231 µs over its p50, in two
// runs of one build). Run one after the other, the second system of a pair
// measured 7–13% slower than the first even when both were the same build: the
// long-lived load generator and mock age between them, and a shared 2-core
// machine drifts. So each pair runs side by side (both started, one loaded at
// a time) in alternating order (ORDER), and each side's median is compared:
// drift and order cancel instead of landing on one side.
// The first two rounds after the warm-ups ran at half speed whichever side
// they loaded (in every pair, A/A included), so two settling rounds, one per
// side, are run and not counted.
import { checkSystem } from './correctness.js';
import { runProbe } from './latencyProbe.js';
import { runLoad } from './loadDriver.js';
import { startProcessSampler, type ProcessSampler } from './processSampler.js';
import { LONG_PROMPT_MODELS, longPromptBody } from './longPromptBodies.js';
import { runBodyLoad } from './longPromptLoad.js';
import { LONG_PROMPT_CONNECTIONS } from './longPrompts.js';
import type { PairedComparison, PairMode } from './results.js';
import type { LaunchContext, RunningSystem, SystemName, SystemSpec } from './systems.js';

/** A ratio target's pair: compared / reference is reported, under `mode`'s load. */
export interface PairSpec {
  readonly reference: SystemName;
  readonly compared: SystemName;
  readonly mode: PairMode;
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
  { reference: 'floor', compared: 'switchyard', mode: 'long-1mb' },
  { reference: 'floor', compared: 'switchyard', mode: 'c1-json' },
];

const ONE_MB = 1024 * 1024;
let longBody: Buffer | undefined;
/** The long-prompt rows' 1 MB same-format body, built on first use. */
const oneMbPrompt = (): Buffer => (longBody ??= longPromptBody(LONG_PROMPT_MODELS['same-format'], ONE_MB));

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
  readonly p50Us: number[];
}

/** What one round's load did: completed requests and req/s, or why it does not count. */
type RoundLoad =
  | {
      readonly ok: true;
      readonly completed: number;
      readonly requestsPerSec: number;
      /** Only the loads timed per request (1 MB, c1). */
      readonly p50Us: number | undefined;
    }
  | { readonly ok: false; readonly problem: string };

/** `mode`'s load on one side for `seconds`: c64 (autocannon), 8 connections of 1 MB prompts, or the c1 probe. */
async function loadOnce(side: Side, mode: PairMode, seconds: number): Promise<RoundLoad> {
  const target = side.system.target;
  if (mode === 'c1-json') {
    // Sequential keep-alive requests, one at a time: the probe, without its own warm-up.
    const probe = await runProbe({ target, mode: 'json', warmup: 0, warmupMaxMs: 0, maxRequests: Number.MAX_SAFE_INTEGER, maxDurationMs: seconds * 1000 });
    if (!probe.ok) return { ok: false, problem: probe.reason };
    const { count, p50 } = probe.totalUs;
    return count === 0 ? { ok: false, problem: 'no request completed in a round' } : { ok: true, completed: count, requestsPerSec: count / seconds, p50Us: p50 };
  }
  if (mode === 'long-1mb') {
    const load = await runBodyLoad({ target, body: oneMbPrompt(), connections: LONG_PROMPT_CONNECTIONS, durationMs: seconds * 1000 });
    if (load.failures > 0 || load.completed === 0) return { ok: false, problem: `${load.failures} failed requests in a round${load.firstFailure === undefined ? '' : ` (${load.firstFailure})`}` };
    return { ok: true, completed: load.completed, requestsPerSec: load.requestsPerSec, p50Us: load.latencyUs.p50 };
  }
  const load = await runLoad({ target, mode, connections: CONNECTIONS, durationS: seconds });
  if (load.failures > 0 || load.completed === 0) return { ok: false, problem: `${load.failures} failed requests in a round` };
  return { ok: true, completed: load.completed, requestsPerSec: load.requestsPerSec, p50Us: undefined };
}

/** One timed round on one side, with the process's CPU over it. */
async function round(side: Side, mode: PairMode, seconds: number): Promise<string | undefined> {
  const cpuBefore = side.sampler?.cpuSeconds();
  const load = await loadOnce(side, mode, seconds);
  const cpuAfter = side.sampler?.cpuSeconds();
  if (!load.ok) return load.problem;
  side.rps.push(load.requestsPerSec);
  if (load.p50Us !== undefined) side.p50Us.push(load.p50Us);
  if (cpuBefore !== undefined && cpuAfter !== undefined) side.cpuPer10k.push(((cpuAfter - cpuBefore) / load.completed) * 10_000);
  return undefined;
}

export async function measurePair(
  specs: readonly [SystemSpec, SystemSpec],
  mode: PairMode,
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
      const check = await checkSystem(s.system.target, mode === 'stream' ? 'stream' : 'json', mockOrigin, spec.failsOver);
      if (!check.ok) return failed(`${spec.name} answered wrong: ${check.reason}`);
    }
    for (const system of started) sides.push({ system, sampler: system.pid === undefined ? undefined : startProcessSampler(system.pid), rps: [], cpuPer10k: [], p50Us: [] });
    // Warm both, then settle, before anything is timed.
    for (const side of sides) await loadOnce(side, mode, 2 * roundSeconds);
    for (const which of SETTLE) await loadOnce(sides[which] as Side, mode, roundSeconds);
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
      ...(a.p50Us.length > 0 && b.p50Us.length > 0 ? { p50Us: { reference: median(a.p50Us), compared: median(b.p50Us) } } : {}),
    };
  } finally {
    for (const side of sides) side.sampler?.stop();
    for (const system of started) await system.stop();
  }
}
