// Exponential backoff between retries. Pure given the RNG.
import type { BackoffPolicy, ModelProvider } from '../config/types.js';

/** Uniform in [0, 1), like Math.random; injectable so tests can seed it. */
export type Rng = () => number;

/**
 * Delay before the n-th retry the backoff applies to (n >= 1):
 * min(base * 2^(n-1), max), drawn uniformly from [d/2, d] with jitter.
 */
export function computeBackoffMs(n: number, backoff: BackoffPolicy, rng: Rng): number {
  const exp = backoff.baseMs * 2 ** Math.max(0, n - 1);
  const delay = Math.min(exp, backoff.maxMs);
  if (!backoff.jitter) return delay;
  const half = delay / 2;
  return Math.round(half + rng() * half);
}

/** Whether backoff.apply_to covers a retry moving from `failed` to `next`. */
export function backoffApplies(backoff: BackoffPolicy, failed: ModelProvider, next: ModelProvider): boolean {
  switch (backoff.applyTo) {
    case 'global':
      return true;
    case 'same_provider':
      return failed.prefix === next.prefix;
    case 'same_model':
      return failed === next;
  }
}
