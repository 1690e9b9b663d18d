// After a context-length error, entries known to have a larger context_window
// than the one that failed are tried first. Pure.
import type { ModelProvider } from '../config/types.js';

const cache = new WeakMap<readonly ModelProvider[], Map<number, readonly ModelProvider[]>>();

/** The providers whose context_window is known and larger than `than`, in config order. */
export function withLargerWindow(providers: readonly ModelProvider[], than: number): readonly ModelProvider[] {
  let byWindow = cache.get(providers);
  if (byWindow === undefined) {
    byWindow = new Map();
    cache.set(providers, byWindow);
  }
  let list = byWindow.get(than);
  if (list === undefined) {
    list = providers.filter((p) => p.contextWindow !== undefined && p.contextWindow > than);
    byWindow.set(than, list);
  }
  return list;
}
