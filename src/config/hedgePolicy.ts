// hedge: on a retry_policy or a provider entry → HedgePolicy with its defaults.
// Exactly one of after_ms and after says how long to wait; the schema cannot
// say "exactly one" in a way that names the field, so it is checked here.
import { RETRY_POLICY_DEFAULTS } from './defaults.js';
import type { IssueCollector, Path } from './issues.js';
import { has, readEnum, readInt, readMap, type RawMap } from './raw.js';
import type { HedgeDelay, HedgePolicy } from './types.js';
import { HedgePercentile, HedgeTrigger } from './vocabulary.js';

const D = RETRY_POLICY_DEFAULTS.hedge;

/** "p95" → 0.95. */
const quantileOf = (p: HedgePercentile): number => Number(p.slice(1)) / 100;

function readDelay(h: RawMap, at: Path, issues: IssueCollector): HedgeDelay {
  const afterMs = readInt(h, 'after_ms');
  const after = has(h, 'after') ? readEnum(h, 'after', HedgePercentile.enum, 'p95') : undefined;
  if (has(h, 'after_ms') && has(h, 'after')) {
    issues.error([...at, 'after'], 'give either after_ms (a fixed delay) or after (a percentile such as p95), not both');
  } else if (!has(h, 'after_ms') && !has(h, 'after')) {
    issues.error(at, 'needs after_ms (a fixed delay in ms) or after (a percentile of recent times, such as p95)');
  }
  const minMs = readInt(h, 'min_after_ms') ?? D.min_after_ms;
  const maxMs = readInt(h, 'max_after_ms') ?? D.max_after_ms;
  if (after === undefined) {
    for (const key of ['min_after_ms', 'max_after_ms']) {
      if (has(h, key)) issues.warn([...at, key], 'has no effect with after_ms: it bounds a learned delay (after)');
    }
    return { kind: 'fixed', ms: afterMs ?? D.min_after_ms };
  }
  if (maxMs < minMs) issues.error([...at, has(h, 'max_after_ms') ? 'max_after_ms' : 'min_after_ms'], `max_after_ms (${maxMs}) must be at least min_after_ms (${minMs})`);
  return { kind: 'learned', quantile: quantileOf(after), minMs, maxMs };
}

/** The hedge block of `raw` (a retry_policy or a provider entry at `path`), or undefined when it has none. */
export function buildHedge(raw: RawMap, path: Path, issues: IssueCollector): HedgePolicy | undefined {
  const h = readMap(raw, 'hedge');
  if (h === undefined) return undefined;
  const at = [...path, 'hedge'];
  const trigger = has(h, 'trigger') ? readEnum(h, 'trigger', HedgeTrigger.enum, 'first_byte') : undefined;
  const budget = h['budget_percent'];
  return {
    delay: readDelay(h, at, issues),
    maxExtraAttempts: readInt(h, 'max_extra_attempts') ?? D.max_extra_attempts,
    budgetPercent: typeof budget === 'number' && Number.isFinite(budget) ? budget : D.budget_percent,
    trigger,
  };
}
