// Measures one running system: check its answers, then (in a full run) probe,
// load and sample it. A system that answers wrong is reported, never timed.
import { checkSystem, readMockCounters } from './correctness.js';
import { runProbe } from './latencyProbe.js';
import { runLoad, type LoadResult } from './loadDriver.js';
import { startProcessSampler, type ProcessSampler } from './processSampler.js';
import type { BenchSettings, LoadMeasurement, ProbeMeasurement, SystemResult } from './results.js';
import type { RunningSystem, SystemSpec } from './systems.js';
import type { RequestMode } from './target.js';

export type MeasureDepth = 'quick' | 'full';

type Checked = { kind: 'ok'; modes: RequestMode[]; notes: string[] } | { kind: 'broken'; reason: string };

async function checkAnswers(spec: SystemSpec, system: RunningSystem, mockOrigin: string): Promise<Checked> {
  const json = await checkSystem(system.target, 'json', mockOrigin, spec.failsOver);
  if (!json.ok) return { kind: 'broken', reason: `non-streaming: ${json.reason}` };
  const stream = await checkSystem(system.target, 'stream', mockOrigin, spec.failsOver);
  if (stream.ok) {
    const notes = stream.chunks !== undefined && stream.chunks !== 20 ? [`stream arrived as ${stream.chunks} chunk events (mock sent 20)`] : [];
    return { kind: 'ok', modes: ['json', 'stream'], notes };
  }
  if (spec.streamingOptional) return { kind: 'ok', modes: ['json'], notes: [`streaming broken, measured non-streaming only: ${stream.reason}`] };
  return { kind: 'broken', reason: `streaming: ${stream.reason}` };
}

/** Under load every request must have hit the failing primary first (or never, for the others). */
async function checkFailoverUnderLoad(spec: SystemSpec, mockOrigin: string, before: { ok: number; failed: number }): Promise<string | undefined> {
  const after = await readMockCounters(mockOrigin);
  const ok = after.ok - before.ok;
  const failed = after.failed - before.failed;
  if (spec.failsOver && failed < ok) return `only ${failed} of ${ok} requests tried the failing primary under load`;
  if (!spec.failsOver && failed !== 0) return `${failed} requests hit the failing path under load`;
  return undefined;
}

/** One load run at fixed concurrency, with the gateway's CPU over it (the sampler's process tree). */
export async function timedLoad(
  system: RunningSystem,
  sampler: ProcessSampler | undefined,
  mode: RequestMode,
  connections: number,
  durationS: number,
): Promise<LoadMeasurement> {
  const cpuBefore = sampler?.cpuSeconds();
  const load: LoadResult = await runLoad({ target: system.target, mode, connections, durationS });
  const cpuAfter = sampler?.cpuSeconds();
  const cpuSecondsPer10k =
    cpuBefore === undefined || cpuAfter === undefined || load.completed === 0 ? undefined : ((cpuAfter - cpuBefore) / load.completed) * 10_000;
  return { mode, connections, load, cpuSecondsPer10k };
}

export async function measureSystem(
  spec: SystemSpec,
  system: RunningSystem,
  mockOrigin: string,
  settings: BenchSettings,
  depth: MeasureDepth,
  log: (line: string) => void,
): Promise<SystemResult> {
  const checked = await checkAnswers(spec, system, mockOrigin);
  if (checked.kind === 'broken') return { kind: 'broken', name: spec.name, reason: checked.reason };
  const notes = [...checked.notes];
  const loads: LoadMeasurement[] = [];
  const probes: ProbeMeasurement[] = [];
  const rssAfterLoads: number[] = [];
  const sampler = system.pid === undefined ? undefined : startProcessSampler(system.pid);
  const countersBefore = await readMockCounters(mockOrigin);
  try {
    if (depth === 'quick') {
      // Correctness under concurrency only; the numbers are not reported.
      const burst = await runLoad({ target: system.target, mode: 'json', connections: 16, durationS: 1 });
      if (burst.failures > 0 || burst.completed === 0) return { kind: 'broken', name: spec.name, reason: `${burst.failures} failed requests in a 1 s burst` };
    } else {
      for (const mode of checked.modes) {
        log(`  ${mode}: warmup`);
        await runLoad({ target: system.target, mode, connections: 64, durationS: 1 });
        log(`  ${mode}: probe`);
        const result = await runProbe({ target: system.target, mode, warmup: 200, warmupMaxMs: 1000, maxRequests: settings.probeMaxRequests, maxDurationMs: settings.probeMaxMs });
        if (!result.ok) notes.push(`${mode} probe: ${result.reason}`);
        probes.push({ mode, result });
        for (const [connections, durationS] of [[1, settings.c1DurationS], [64, settings.loadDurationS]] as const) {
          log(`  ${mode}: c${connections} for ${durationS} s`);
          const measurement = await timedLoad(system, sampler, mode, connections, durationS);
          if (measurement.load.failures > 0) notes.push(`${measurement.load.failures} failed requests at ${mode} c${connections}`);
          loads.push(measurement);
          if (sampler) rssAfterLoads.push(sampler.currentRssBytes());
        }
      }
    }
    const failover = await checkFailoverUnderLoad(spec, mockOrigin, countersBefore);
    if (failover !== undefined) return { kind: 'broken', name: spec.name, reason: failover };
  } finally {
    sampler?.stop();
  }
  const first = rssAfterLoads[0];
  const last = rssAfterLoads[rssAfterLoads.length - 1];
  return {
    kind: 'measured',
    name: spec.name,
    loads,
    probes,
    peakRssBytes: sampler?.peakRssBytes(),
    rssFirstLastBytes: first !== undefined && last !== undefined ? [first, last] : undefined,
    notes,
    exit: undefined,
  };
}
