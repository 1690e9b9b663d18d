// model_aliases: friendly names resolved once, at load time, to entry names.
import type { IssueCollector } from './issues.js';
import { readMap, readString, type RawMap } from './raw.js';
import { resolveTarget, type ModelRef } from './resolveModels.js';

export function buildAliases(root: RawMap, providers: readonly ModelRef[], issues: IssueCollector): Map<string, string> {
  const out = new Map<string, string>();
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
    if (r.ok) out.set(alias, r.name);
    else issues.error([...path, 'target'], r.message);
  }
  return out;
}
