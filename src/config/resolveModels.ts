// Resolves a model reference (alias target, fallback entry) to one provider
// entry name: exact name, then exact "prefix/model", then a bare model id that
// exactly one entry serves.
export interface ModelRef {
  readonly name: string;
  readonly model: string;
  readonly modelId: string;
}

export type TargetResolution =
  | { readonly ok: true; readonly name: string }
  | { readonly ok: false; readonly message: string };

function quoteList(values: readonly string[]): string {
  return values.map((v) => `"${v}"`).join(', ');
}

export function resolveTarget(target: string, providers: readonly ModelRef[]): TargetResolution {
  const byName = providers.find((p) => p.name === target);
  if (byName) return { ok: true, name: byName.name };

  for (const matches of [providers.filter((p) => p.model === target), providers.filter((p) => p.modelId === target)]) {
    if (matches.length === 1 && matches[0]) return { ok: true, name: matches[0].name };
    if (matches.length > 1) {
      return {
        ok: false,
        message: `"${target}" is ambiguous: it matches entries ${quoteList(matches.map((p) => p.name))}; use one of those names`,
      };
    }
  }
  const configured = providers.map((p) => p.model);
  return {
    ok: false,
    message: `"${target}" does not match any configured model (configured: ${configured.length > 0 ? quoteList(configured) : 'none'})`,
  };
}
