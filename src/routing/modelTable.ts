// Resolves the `model` a client asked for to one configured provider entry.
// The table is built once per config so each request costs one Map lookup;
// only a name that no entry or alias spells out exactly is tried against the
// pattern aliases (in config order), then sent to the default entry when
// switchyard.unknown_models is use_default.
import type { Config, ModelProvider } from '../config/types.js';

export type Resolution =
  | { readonly ok: true; readonly provider: ModelProvider }
  | { readonly ok: false; readonly message: string };

export interface ModelTable {
  resolve(requested: string | undefined): Resolution;
  /** Every name a client may use: entry names and aliases, for /v1/models and error messages. */
  readonly publicNames: readonly string[];
}

export function buildModelTable(config: Config): ModelTable {
  const byKey = new Map<string, ModelProvider>();
  const byName = new Map(config.providers.map((p) => [p.name, p] as const));
  for (const p of config.providers) {
    byKey.set(p.name, p);
    if (!byKey.has(p.model)) byKey.set(p.model, p);
  }
  // A bare model id ("gpt-4o") resolves only when exactly one entry serves it.
  const bareCounts = new Map<string, number>();
  for (const p of config.providers) bareCounts.set(p.modelId, (bareCounts.get(p.modelId) ?? 0) + 1);
  for (const p of config.providers) {
    if (bareCounts.get(p.modelId) === 1 && !byKey.has(p.modelId)) byKey.set(p.modelId, p);
  }
  for (const [alias, target] of config.aliases) {
    const p = byName.get(target);
    if (p) byKey.set(alias, p);
  }

  const patterns = config.aliasPatterns.flatMap(({ pattern, target }) => {
    const p = byName.get(target);
    return p ? [{ matches: globMatcher(pattern), provider: p }] : [];
  });
  const catchAll = config.gateway.unknownModels === 'use_default' ? config.defaultProvider : undefined;

  const publicNames = [...config.providers.map((p) => p.name), ...config.aliases.keys()];
  const listed = publicNames.join(', ');

  return {
    publicNames,
    resolve(requested) {
      if (requested === undefined) {
        return config.defaultProvider
          ? { ok: true, provider: config.defaultProvider }
          : { ok: false, message: `the request has no "model" and no default provider is configured; configured models: ${listed}` };
      }
      const hit = byKey.get(requested) ?? patterns.find((p) => p.matches(requested))?.provider;
      if (hit) return { ok: true, provider: hit };
      const ambiguous = (bareCounts.get(requested) ?? 0) > 1;
      const shown = JSON.stringify(requested.length > 200 ? `${requested.slice(0, 200)}…` : requested);
      if (catchAll && !ambiguous) return { ok: true, provider: catchAll };
      return {
        ok: false,
        message: ambiguous
          ? `model ${shown} is served by more than one provider; use the full provider/model name. Configured models: ${listed}`
          : `model ${shown} is not configured. Configured models: ${listed}`,
      };
    },
  };
}

/**
 * `*` matches any run of characters (none included); everything else matches
 * itself. Matched without a RegExp: the classic two-pointer scan that returns
 * to the last `*` on a mismatch takes at most pattern × name steps, so a long
 * model name cannot make a pattern backtrack exponentially.
 */
export function globMatcher(pattern: string): (name: string) => boolean {
  return (name) => {
    let p = 0;
    let n = 0;
    let star = -1;
    let resume = 0;
    while (n < name.length) {
      if (p < pattern.length && pattern[p] !== '*' && pattern[p] === name[n]) {
        p++;
        n++;
      } else if (p < pattern.length && pattern[p] === '*') {
        star = p++;
        resume = n;
      } else if (star >= 0) {
        p = star + 1;
        n = ++resume;
      } else {
        return false;
      }
    }
    while (pattern[p] === '*') p++;
    return p === pattern.length;
  };
}
