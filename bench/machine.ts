// Facts about the machine, recorded with every run so numbers keep their context.
import { cpus, platform, release, totalmem, availableParallelism } from 'node:os';
import type { MachineFacts } from './results.js';

export function machineFacts(now: Date = new Date()): MachineFacts {
  return {
    cores: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    node: process.version,
    platform: `${platform()} ${release()}`,
    totalMemGb: totalmem() / 1024 ** 3,
    date: now.toISOString(),
  };
}
