// Command-line options of the runner (pure parsing).
import type { SystemName } from './systems.js';

export interface RunOptions {
  readonly quick: boolean;
  readonly pin: boolean;
  readonly soakS: number | undefined;
  readonly loadDurationS: number;
  readonly only: readonly SystemName[] | undefined;
  readonly out: string;
  /** A built checkout measured as 'baseline' beside this one. */
  readonly baseline: string | undefined;
  /** Which parts of a full run: the main tables, the paired ratio comparisons, the long prompts, the open streams. */
  readonly parts: readonly BenchPart[];
  /** Run the tail-latency benchmark (hedging); --no-tail skips it. */
  readonly tail: boolean;
}

export type BenchPart = 'main' | 'pairs' | 'long' | 'open';
const PARTS: readonly BenchPart[] = ['main', 'pairs', 'long', 'open'];

const NAMES: readonly SystemName[] = [
  'direct',
  'floor',
  'baseline',
  'switchyard',
  'switchyard-traced',
  'switchyard-redis',
  'baseline-failover',
  'switchyard-failover',
  'portkey',
  'portkey-fallback',
  'direct-responses',
  'switchyard-responses',
  'switchyard-responses-state',
  'switchyard-responses-translated',
];

export function parseRunArgs(argv: readonly string[]): { ok: true; options: RunOptions } | { ok: false; error: string } {
  let quick = false;
  let pin = true;
  let soakS: number | undefined;
  let loadDurationS = 6;
  let only: SystemName[] | undefined;
  let out = 'bench/results/latest.md';
  let baseline: string | undefined;
  let parts: readonly BenchPart[] = PARTS;
  let tail = true;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[i + 1];
    const positive = (): number | undefined => {
      i++;
      const n = Number(value);
      return Number.isFinite(n) && n > 0 ? n : undefined;
    };
    if (arg === '--quick') quick = true;
    else if (arg === '--no-pin') pin = false;
    else if (arg === '--no-tail') tail = false;
    else if (arg === '--soak') {
      soakS = positive();
      if (soakS === undefined) return { ok: false, error: '--soak needs seconds' };
    } else if (arg === '--duration') {
      const d = positive();
      if (d === undefined) return { ok: false, error: '--duration needs seconds' };
      loadDurationS = d;
    } else if (arg === '--only') {
      i++;
      const names = (value ?? '').split(',');
      const unknown = names.filter((n) => !NAMES.includes(n as SystemName));
      if (unknown.length > 0) return { ok: false, error: `unknown system(s): ${unknown.join(', ')}; known: ${NAMES.join(', ')}` };
      only = names as SystemName[];
    } else if (arg === '--baseline') {
      i++;
      if (value === undefined) return { ok: false, error: '--baseline needs the path of a built checkout' };
      baseline = value;
    } else if (arg === '--parts') {
      i++;
      const names = (value ?? '').split(',');
      const unknown = names.filter((n) => !PARTS.includes(n as BenchPart));
      if (unknown.length > 0) return { ok: false, error: `unknown part(s): ${unknown.join(', ')}; known: ${PARTS.join(', ')}` };
      parts = names as BenchPart[];
    } else if (arg === '--out') {
      i++;
      if (value === undefined) return { ok: false, error: '--out needs a path' };
      out = value;
    } else return { ok: false, error: `unknown argument ${arg}` };
  }
  return { ok: true, options: { quick, pin, soakS, loadDurationS, only, out, baseline, parts, tail } };
}
