// Start-up warnings for retry policies that load but cannot do what they say:
// a strategy with no possible candidate, or a fallback that no rule may pick.
import type { IssueCollector, Path } from './issues.js';
import { readList, readMap, type RawMap } from './raw.js';
import { resolveTarget, type ModelRef } from './resolveModels.js';
import type { RetryPolicy, Strategy, TriggerRule } from './types.js';

export interface PrefixedRef extends ModelRef {
  readonly prefix: string;
}

interface LocatedRule {
  readonly rule: TriggerRule;
  readonly path: Path;
}

function rulesWithPaths(raw: RawMap, policy: RetryPolicy, base: Path): LocatedRule[] {
  const out: LocatedRule[] = [{ rule: policy.defaultRule, path: [...base, 'default_strategy'] }];
  policy.statusRules.forEach((rule, i) => out.push({ rule, path: [...base, 'on_status_codes', i, 'strategy'] }));
  // An omitted on_timeout copies the default rule; warning twice would repeat one problem.
  if (readMap(raw, 'on_timeout')) out.push({ rule: policy.timeoutRule, path: [...base, 'on_timeout', 'strategy'] });
  if (policy.highLatency) out.push({ rule: policy.highLatency, path: [...base, 'on_high_latency', 'strategy'] });
  return out.filter((r) => r.rule.maxAttempts > 0);
}

/** Whether `strategy` may move from the owner to an entry with `prefix`. */
function allows(strategy: Strategy, ownerPrefix: string, prefix: string): boolean {
  if (strategy === 'same_provider') return prefix === ownerPrefix;
  if (strategy === 'different_provider') return prefix !== ownerPrefix;
  return false; // same_model retries the primary only
}

export function warnUnusableStrategies(
  raw: RawMap,
  policy: RetryPolicy,
  owner: PrefixedRef & { readonly path: Path },
  all: readonly PrefixedRef[],
  issues: IssueCollector,
): void {
  const base = [...owner.path, 'retry_policy'];
  const others = all.filter((p) => p.name !== owner.name);
  const rules = rulesWithPaths(raw, policy, base);
  for (const { rule, path } of rules) {
    if (rule.strategy === 'same_model') continue;
    if (!others.some((p) => allows(rule.strategy, owner.prefix, p.prefix))) {
      const where = rule.strategy === 'same_provider' ? `with prefix "${owner.prefix}"` : `with a prefix other than "${owner.prefix}"`;
      issues.warn(path, `strategy "${rule.strategy}" can never find a candidate: no other entry ${where}`);
    }
  }
  (readList(raw, 'fallback_models') ?? []).forEach((item, i) => {
    if (typeof item !== 'string') return;
    const r = resolveTarget(item, all);
    const target = r.ok ? all.find((p) => p.name === r.name) : undefined;
    if (!target || target.name === owner.name) return;
    if (!rules.some(({ rule }) => allows(rule.strategy, owner.prefix, target.prefix))) {
      const strategies = [...new Set(rules.map(({ rule }) => rule.strategy))].join(', ') || 'none that retry';
      issues.warn(
        [...base, 'fallback_models', i],
        `"${item}" (prefix "${target.prefix}") is never tried: no rule's strategy allows it (strategies: ${strategies})`,
      );
    }
  });
}
