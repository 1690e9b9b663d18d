// The long-prompt rows: one fresh process per system, 8 connections sending
// 1 MB and then 100 KB bodies, same-format and (gateways only) translated.
// The 1 MB same-format row runs first, so the process's VmHWM is that row's
// peak RSS; later rows take their peak from the samples inside their window.
import { readMockCounters } from './correctness.js';
import { LONG_PROMPT_MODELS, longPromptBody, type LongPromptKind } from './longPromptBodies.js';
import { runBodyLoad } from './longPromptLoad.js';
import { startProcessSampler } from './processSampler.js';
import type { LongPromptRow } from './results.js';
import type { RunningSystem } from './systems.js';
import type { SystemName } from './systems.js';

export const LONG_PROMPT_SIZES = [1024 * 1024, 100 * 1024] as const;
export const LONG_PROMPT_CONNECTIONS = 8;

export async function measureLongPrompts(
  name: SystemName,
  system: RunningSystem,
  mockOrigin: string,
  durationMs: number,
  log: (line: string) => void,
): Promise<LongPromptRow[]> {
  // The floor forwards bytes; it has no translated row (gateways' translated rows are read against its same-format one).
  const kinds: LongPromptKind[] = name === 'floor' ? ['same-format'] : ['same-format', 'translated'];
  const sampler = system.pid === undefined ? undefined : startProcessSampler(system.pid);
  const rows: LongPromptRow[] = [];
  try {
    for (const kind of kinds) {
      for (const sizeBytes of LONG_PROMPT_SIZES) {
        const body = longPromptBody(LONG_PROMPT_MODELS[kind], sizeBytes);
        const label = `${kind} ${Math.round(sizeBytes / 1024)} KB`;
        const windowStart = sampler?.timeline().length ?? 0;
        log(`  long prompts ${label}: warmup`);
        await runBodyLoad({ target: system.target, body, connections: LONG_PROMPT_CONNECTIONS, durationMs: 1000 });
        log(`  long prompts ${label}: c${LONG_PROMPT_CONNECTIONS} for ${durationMs / 1000} s`);
        const cpuBefore = sampler?.cpuSeconds();
        const countersBefore = await readMockCounters(mockOrigin);
        const load = await runBodyLoad({ target: system.target, body, connections: LONG_PROMPT_CONNECTIONS, durationMs });
        const countersAfter = await readMockCounters(mockOrigin);
        const cpuAfter = sampler?.cpuSeconds();
        const windowPeak = sampler ? Math.max(...sampler.timeline().slice(windowStart).map((p) => p.rssBytes)) : undefined;
        const first = rows.length === 0;
        const calls = countersAfter.ok - countersBefore.ok;
        rows.push({
          system: name,
          kind,
          sizeBytes: body.length,
          connections: LONG_PROMPT_CONNECTIONS,
          load,
          cpuSecondsPer10k: cpuBefore === undefined || cpuAfter === undefined || load.completed === 0 ? undefined : ((cpuAfter - cpuBefore) / load.completed) * 10_000,
          peakRssBytes: windowPeak === undefined ? undefined : first ? Math.max(windowPeak, sampler?.peakRssBytes() ?? 0) : windowPeak,
          upstreamBytesPerCall: calls > 0 ? (countersAfter.bytesIn - countersBefore.bytesIn) / calls : undefined,
        });
      }
    }
  } finally {
    sampler?.stop();
  }
  return rows;
}
