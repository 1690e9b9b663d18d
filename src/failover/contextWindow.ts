// After a context-length error, entries known to have a larger context_window
// than the one that failed are tried first. Pure.
import type { ModelProvider } from '../config/types.js';

/** The providers whose context_window is known and larger than `than`, in config order. */
export function withLargerWindow(providers: readonly ModelProvider[], than: number): readonly ModelProvider[] {
  return providers.filter((p) => p.contextWindow !== undefined && p.contextWindow > than);
}
