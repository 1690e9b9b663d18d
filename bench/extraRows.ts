// Pure accessors over the issue-16 rows (long prompts, open streams), shared by the judge and the renderer.
import type { LongPromptKind } from './longPromptBodies.js';
import type { BenchRun, LongPromptRow, OpenStreamsStep } from './results.js';
import type { SystemName } from './systems.js';

export function longRow(run: BenchRun, system: SystemName, kind: LongPromptKind, sizeBytes: number): LongPromptRow | undefined {
  // Bodies are built to about sizeBytes; match within 2%.
  return run.longPrompts.find((r) => r.system === system && r.kind === kind && Math.abs(r.sizeBytes - sizeBytes) <= sizeBytes * 0.02);
}

/** The floor's same-format row of the same size: what both kinds of a gateway's rows are read against. */
export function floorRowFor(run: BenchRun, row: LongPromptRow): LongPromptRow | undefined {
  return longRow(run, 'floor', 'same-format', row.sizeBytes);
}

/** RSS per open stream, in bytes: growth from before the streams opened to while they were open, shared out. */
export function rssPerStream(step: OpenStreamsStep): number | undefined {
  return step.held > 0 ? (step.rssOpenBytes - step.rssBeforeBytes) / step.held : undefined;
}

/** The largest step a system held, the one the memory target is judged on. */
export function largestStep(run: BenchRun, system: SystemName): OpenStreamsStep | undefined {
  return run.openStreams.filter((s) => s.system === system).reduce<OpenStreamsStep | undefined>((a, b) => (a === undefined || b.held > a.held ? b : a), undefined);
}
