// Samples a process tree's RSS every ~100 ms and reads its CPU time on demand.
// A gateway may fork workers, so the whole tree under the root pid is counted.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { parseStat, parseStatusBytes } from './procStat.js';

export interface RssPoint {
  /** Milliseconds since the sampler started. */
  readonly atMs: number;
  readonly rssBytes: number;
}

export interface ProcessSampler {
  /** utime + stime of the tree so far, in seconds. */
  cpuSeconds(): number;
  peakRssBytes(): number;
  /** The latest sampled RSS of the tree. */
  currentRssBytes(): number;
  timeline(): readonly RssPoint[];
  stop(): void;
}

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function findTree(rootPid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const stat = readText(`/proc/${pid}/stat`);
    const fields = stat === undefined ? undefined : parseStat(stat);
    if (fields === undefined) continue;
    const list = children.get(fields.ppid) ?? [];
    list.push(pid);
    children.set(fields.ppid, list);
  }
  const tree = [rootPid];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]!) ?? []));
  return tree;
}

export function startProcessSampler(rootPid: number, intervalMs = 100): ProcessSampler {
  const started = Date.now();
  const points: RssPoint[] = [];
  let tree = findTree(rootPid);
  let peak = 0;
  let latest = 0;
  let ticks = 0;

  const sample = (): void => {
    // Rescanning /proc costs the load generator's core, so refresh the tree only every ~2 s.
    if (++ticks % 20 === 0) tree = findTree(rootPid);
    let rss = 0;
    for (const pid of tree) {
      const status = readText(`/proc/${pid}/status`);
      rss += (status === undefined ? undefined : parseStatusBytes(status, 'VmRSS')) ?? 0;
    }
    const status = readText(`/proc/${rootPid}/status`);
    const hwm = (status === undefined ? undefined : parseStatusBytes(status, 'VmHWM')) ?? 0;
    latest = rss;
    peak = Math.max(peak, rss, hwm);
    points.push({ atMs: Date.now() - started, rssBytes: rss });
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  timer.unref();

  return {
    cpuSeconds: () => {
      let total = 0;
      for (const pid of tree) {
        const stat = readText(`/proc/${pid}/stat`);
        total += (stat === undefined ? undefined : parseStat(stat))?.cpuTicks ?? 0;
      }
      return total / clockTicks();
    },
    peakRssBytes: () => peak,
    currentRssBytes: () => latest,
    timeline: () => points,
    stop: () => { clearInterval(timer); },
  };
}
