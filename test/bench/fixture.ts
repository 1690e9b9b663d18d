// A hand-made BenchRun for judging and rendering tests.
import type { BenchRun, LoadMeasurement, LongPromptRow, OpenStreamsStep, ProbeMeasurement, SystemResult } from '../../bench/results.js';
import type { SystemName } from '../../bench/systems.js';
import { summarize } from '../../bench/percentiles.js';

const MB = 1024 * 1024;

function load(mode: 'json' | 'stream', connections: number, requestsPerSec: number): LoadMeasurement {
  return { mode, connections, cpuSecondsPer10k: 1, load: { requestsPerSec, completed: requestsPerSec * 5, latencyMs: { p50: 1, p99: 2, max: 3 }, failures: 0, elapsedS: 5 } };
}

function probes(jsonP50: number, jsonP99: number, ttfcP50: number): ProbeMeasurement[] {
  const around = (p50: number, p99: number): number[] => [...Array.from({ length: 98 }, () => p50), p99, p99];
  return [
    { mode: 'json', result: { ok: true, totalUs: summarize(around(jsonP50, jsonP99)), firstChunkUs: summarize(around(jsonP50, jsonP99)) } },
    { mode: 'stream', result: { ok: true, totalUs: summarize(around(ttfcP50 + 10, ttfcP50 + 10)), firstChunkUs: summarize(around(ttfcP50, ttfcP50)) } },
  ];
}

export function measuredSystem(name: SystemName, c64: number, jsonP50: number, jsonP99: number, ttfcP50: number, rssMb: number): SystemResult {
  return {
    kind: 'measured',
    name,
    loads: [load('json', 1, c64 / 10), load('json', 64, c64), load('stream', 1, c64 / 20), load('stream', 64, c64 / 2)],
    probes: probes(jsonP50, jsonP99, ttfcP50),
    peakRssBytes: name === 'direct' ? undefined : rssMb * MB,
    rssFirstLastBytes: name === 'direct' ? undefined : [rssMb * MB, rssMb * MB],
    notes: [],
    exit: { code: 0, signal: null },
  };
}

export function longRow(system: SystemName, kind: 'same-format' | 'translated', sizeKb: number, rps: number, p50Us: number, rssMb: number): LongPromptRow {
  const latencyUs = summarize(Array.from({ length: 100 }, () => p50Us));
  return { system, kind, sizeBytes: sizeKb * 1024, connections: 8, load: { requestsPerSec: rps, completed: rps * 4, failures: 0, firstFailure: undefined, latencyUs }, cpuSecondsPer10k: 1, peakRssBytes: rssMb * MB, upstreamBytesPerCall: sizeKb * 1024 };
}

export function openStep(system: SystemName, held: number, kbPerStream: number, refused = 0): OpenStreamsStep {
  const probe = { ok: true as const, totalUs: summarize([500, 600]), firstChunkUs: summarize([300, 400]) };
  return { system, requested: held, held, fdLimit: 65536, refused, firstFailure: refused > 0 ? 'no first event' : undefined, rampS: 2, rssBeforeBytes: 80 * MB, rssOpenBytes: 80 * MB + held * kbPerStream * 1024, eventsDuringHold: held * 3, holdS: 3, idleProbe: probe, whileOpen: probe, stillOpenUpstream: 0 };
}

export function benchRun(systems: SystemResult[], overrides: Partial<BenchRun> = {}): BenchRun {
  return {
    machine: { cores: 2, cpuModel: 'Test CPU', node: 'v20.0.0', platform: 'linux', totalMemGb: 4, loadAverageAtStart: 0.1, date: '2026-01-01T00:00:00.000Z' },
    pin: { kind: 'pinned', loadCpus: '0', systemCpus: '1' },
    settings: { loadDurationS: 6, c1DurationS: 3, probeMaxRequests: 2000, probeMaxMs: 3000 },
    systems,
    micro: { kind: 'not-measured', reason: 'none yet' },
    soak: undefined,
    longPrompts: [],
    openStreams: [],
    tail: undefined,
    pairs: [],
    wallSeconds: 100,
    ...overrides,
  };
}

/** A run where switchyard meets every target. */
export function goodRun(overrides: Partial<BenchRun> = {}): BenchRun {
  return benchRun(
    [
      measuredSystem('direct', 20_000, 100, 200, 100, 0),
      measuredSystem('floor', 16_000, 200, 400, 200, 60),
      measuredSystem('baseline', 15_300, 215, 690, 245, 78),
      measuredSystem('switchyard', 15_000, 220, 700, 250, 80),
      measuredSystem('switchyard-redis', 14_000, 230, 720, 260, 95),
      measuredSystem('switchyard-traced', 13_500, 240, 760, 270, 90),
      measuredSystem('switchyard-failover', 8_000, 300, 900, 350, 85),
      measuredSystem('portkey', 1_000, 1100, 3000, 27000, 230),
      measuredSystem('portkey-fallback', 500, 1800, 4000, 28000, 230),
    ],
    {
      longPrompts: [
        longRow('floor', 'same-format', 1024, 400, 19_000, 100),
        longRow('floor', 'same-format', 100, 2000, 4_000, 90),
        longRow('switchyard', 'same-format', 1024, 380, 20_000, 140),
        longRow('switchyard', 'same-format', 100, 1900, 4_300, 130),
        longRow('switchyard', 'translated', 1024, 200, 35_000, 200),
      ],
      openStreams: [openStep('floor', 1000, 20), openStep('switchyard', 1000, 40), openStep('switchyard', 10_000, 30)],
      ...overrides,
    },
  );
}
