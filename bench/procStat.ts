// Pure parsers for Linux /proc/<pid>/stat and /proc/<pid>/status text.

export interface StatFields {
  readonly ppid: number;
  /** utime + stime, in clock ticks. */
  readonly cpuTicks: number;
}

export function parseStat(text: string): StatFields | undefined {
  // comm (field 2) may contain spaces and parentheses, so split after the last ')'.
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const rest = text.slice(close + 2).trim().split(/\s+/);
  // rest[0] is field 3 (state); field n sits at rest[n - 3].
  const ppid = Number(rest[1]);
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  if (!Number.isFinite(ppid) || !Number.isFinite(utime) || !Number.isFinite(stime)) return undefined;
  return { ppid, cpuTicks: utime + stime };
}

/** A `Name:   123 kB` field of /proc/<pid>/status, in bytes. */
export function parseStatusBytes(text: string, field: 'VmRSS' | 'VmHWM'): number | undefined {
  const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(text);
  return match ? Number(match[1]) * 1024 : undefined;
}

/** A cpu list such as "0-3,6" (Cpus_allowed_list, taskset -c) as cpu ids. */
export function parseCpuList(list: string): number[] {
  const ids: number[] = [];
  for (const part of list.trim().split(',')) {
    if (part === '') continue;
    const [lo, hi] = part.split('-').map(Number);
    if (lo === undefined || !Number.isInteger(lo)) continue;
    const end = hi !== undefined && Number.isInteger(hi) ? hi : lo;
    for (let id = lo; id <= end; id++) ids.push(id);
  }
  return ids;
}
