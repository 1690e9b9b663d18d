// How long a replica waits before trying Redis again: doubling from 100 ms to
// 2 s, with jitter so a fleet that lost Redis together does not return in step.

const FIRST_MS = 100;
const CAP_MS = 2_000;

/** The delay before retry number `attempt` (1, 2, …); `rng` returns [0, 1). */
export function reconnectDelayMs(attempt: number, rng: () => number = Math.random): number {
  const base = Math.min(FIRST_MS * 2 ** Math.max(0, attempt - 1), CAP_MS);
  return Math.round(base * (0.8 + 0.4 * rng()));
}
