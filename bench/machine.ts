// Facts about the machine, recorded with every run so numbers keep their context.
import { availableParallelism, cpus, loadavg, platform, release, totalmem } from 'node:os';
import type { MachineFacts } from './results.js';

export function machineFacts(now: Date = new Date()): MachineFacts {
  return {
    cores: Math.max(availableParallelism(), cpus().length),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    node: process.version,
    platform: `${platform()} ${release()}`,
    totalMemGb: totalmem() / 1024 ** 3,
    // Other work on the machine skews every number; the 1-minute load average at start shows it.
    loadAverageAtStart: loadavg()[0] ?? 0,
    date: now.toISOString(),
  };
}
