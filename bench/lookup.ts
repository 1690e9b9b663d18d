// Pure accessors over a BenchRun, shared by the judge and the renderer.
import type { BenchRun, LoadMeasurement, SystemResult } from './results.js';
import type { LatencySummary } from './percentiles.js';
import type { SystemName } from './systems.js';
import type { RequestMode } from './target.js';

type Measured = Extract<SystemResult, { kind: 'measured' }>;

export function measured(run: BenchRun, name: SystemName): Measured | undefined {
  const found = run.systems.find((s) => s.name === name);
  return found?.kind === 'measured' ? found : undefined;
}

export function loadOf(system: Measured | undefined, mode: RequestMode, connections: number): LoadMeasurement | undefined {
  return system?.loads.find((l) => l.mode === mode && l.connections === connections);
}

export function rps(run: BenchRun, name: SystemName, mode: RequestMode, connections: number): number | undefined {
  return loadOf(measured(run, name), mode, connections)?.load.requestsPerSec;
}

export function probeOf(
  run: BenchRun,
  name: SystemName,
  mode: RequestMode,
  which: 'totalUs' | 'firstChunkUs',
): LatencySummary | undefined {
  const probe = measured(run, name)?.probes.find((p) => p.mode === mode)?.result;
  return probe?.ok ? probe[which] : undefined;
}

/** The no-gateway system a row's overhead is measured from: the mock's own endpoint for the same API. */
export const directFor = (name: SystemName): SystemName => (name.includes('responses') ? 'direct-responses' : 'direct');

/** System minus direct (for its API) at the given percentile, in µs. */
export function probeOverheadUs(
  run: BenchRun,
  name: SystemName,
  mode: RequestMode,
  which: 'totalUs' | 'firstChunkUs',
  pct: 'p50' | 'p99',
): number | undefined {
  const system = probeOf(run, name, mode, which);
  const base = probeOf(run, directFor(name), mode, which);
  return system && base ? system[pct] - base[pct] : undefined;
}

export function ratio(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined || b === 0 ? undefined : a / b;
}
