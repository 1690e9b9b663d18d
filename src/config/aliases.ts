// model_aliases: friendly names resolved once, at load time, to entry names.
// A key with a `*` is a pattern (`claude-*-haiku-*`): `*` stands for any run of
// characters, and patterns are tried in the order written, after every exact
// name (Switchyard extension: coding agents ask for dated and undated names).
import type { IssueCollector } from './issues.js';
import { readMap, readString, type RawMap } from './raw.js';
import { resolveTarget, type ModelRef } from './resolveModels.js';
import type { AliasPattern } from './types.js';

export interface Aliases {
  /** alias → entry name. */
  readonly exact: Map<string, string>;
  /** In config order. */
  readonly patterns: AliasPattern[];
}

export const isAliasPattern = (key: string): boolean => key.includes('*');

export function buildAliases(root: RawMap, providers: readonly ModelRef[], issues: IssueCollector): Aliases {
  const exact = new Map<string, string>();
  const patterns: AliasPattern[] = [];
  for (const [alias, spec] of Object.entries(readMap(root, 'model_aliases') ?? {})) {
    const path = ['model_aliases', alias];
    if (providers.some((p) => p.name === alias)) {
      // Requests naming it would be ambiguous between the alias and the entry.
      issues.error(path, `alias "${alias}" is also the name of a model provider entry; rename one of them`);
      continue;
    }
    const target = spec !== null && typeof spec === 'object' ? readString(spec as RawMap, 'target') : undefined;
    if (target === undefined) continue;
    const r = resolveTarget(target, providers);
    if (!r.ok) issues.error([...path, 'target'], r.message);
    else if (isAliasPattern(alias)) patterns.push({ pattern: alias, target: r.name });
    else exact.set(alias, r.name);
  }
  return { exact, patterns };
}
