// Decides how to keep the load generator and the system under test off each
// other's cores, and wraps commands with taskset accordingly.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseCpuList } from './procStat.js';

export type PinPlan =
  | { readonly kind: 'pinned'; readonly loadCpus: string; readonly systemCpus: string }
  | { readonly kind: 'unpinned'; readonly reason: string };

/** Pure: split the allowed cpus in two halves; load generator and mock get the first. */
export function planPinning(allowedCpus: readonly number[], hasTaskset: boolean): PinPlan {
  if (!hasTaskset) return { kind: 'unpinned', reason: 'taskset not found' };
  if (allowedCpus.length < 2) return { kind: 'unpinned', reason: `only ${allowedCpus.length} cpu allowed` };
  const half = Math.floor(allowedCpus.length / 2);
  return {
    kind: 'pinned',
    loadCpus: allowedCpus.slice(0, half).join(','),
    systemCpus: allowedCpus.slice(half).join(','),
  };
}

export function detectPinning(disabled: boolean): PinPlan {
  if (disabled) return { kind: 'unpinned', reason: 'disabled with --no-pin' };
  const hasTaskset = spawnSync('taskset', ['-V'], { stdio: 'ignore' }).status === 0;
  let allowed: number[];
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const line = /^Cpus_allowed_list:\s*(.+)$/m.exec(status);
    allowed = line ? parseCpuList(line[1]!) : [];
  } catch {
    return { kind: 'unpinned', reason: '/proc/self/status unreadable' };
  }
  return planPinning(allowed, hasTaskset);
}

/** Pins this process (all its threads) to the load generator's cpus. */
export function pinSelf(plan: PinPlan): PinPlan {
  if (plan.kind !== 'pinned') return plan;
  const status = pinProcess(plan, 'load', process.pid);
  return status === 0 ? plan : { kind: 'unpinned', reason: `taskset -p failed (status ${status})` };
}

/**
 * Moves a running process (all its threads) to its role's cpus; the exit
 * status of taskset. A child spawned without pinnedCommand inherits the
 * runner's cpus, the load generator's.
 */
export function pinProcess(plan: Extract<PinPlan, { kind: 'pinned' }>, role: 'load' | 'system', pid: number): number | null {
  return spawnSync('taskset', ['-a', '-p', '-c', role === 'load' ? plan.loadCpus : plan.systemCpus, String(pid)], { stdio: 'ignore' }).status;
}

/** taskset execs the command, so the spawned pid is the command's own pid. */
export function pinnedCommand(
  plan: PinPlan,
  role: 'load' | 'system',
  command: string,
  args: readonly string[],
): { command: string; args: string[] } {
  if (plan.kind !== 'pinned') return { command, args: [...args] };
  return { command: 'taskset', args: ['-c', role === 'load' ? plan.loadCpus : plan.systemCpus, command, ...args] };
}
