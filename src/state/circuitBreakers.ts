// Per model entry circuit breakers. The effect of an open circuit is a block
// (cause 'circuit-open') in the BlockStore, so every path that skips
// Retry-After blocks skips open circuits too.
//
// closed ──failures──► open ──open period over, first admit──► half-open (one probe)
// half-open ──probe ok──► closed; ──probe failed──► open, period doubled up to the cap.
import type { CircuitBreakerPolicy, ModelProvider } from '../config/types.js';

/** What an attempt says about the entry's health. */
export type CircuitVerdict = 'ok' | 'failure' | 'neutral';

export type CircuitPhase = 'closed' | 'open' | 'half-open';

/** What a verdict did to a circuit, when it did anything. */
export type CircuitTransition = 'opened' | 'closed';

/** How long a probe may run before another request may probe instead. */
export const PROBE_LEASE_MS = 60_000;

export interface CircuitBreakers {
  /**
   * Whether an attempt on target starting at atMs may go ahead. The first
   * admit after the open period claims the single probe (and blocks the entry
   * for everyone else while it runs); later ones are refused until it reports.
   * A closed or still-open circuit answers at once; claiming a probe in a
   * fleet asks Redis, within SHARED_STATE_WAIT_MS.
   */
  admit(target: ModelProvider, policy: CircuitBreakerPolicy, nowMs: number, atMs?: number): boolean | Promise<boolean>;
  /**
   * Records an attempt's verdict; returns the transition it caused, when that
   * is known at once (for metrics and traces). A fleet counts verdicts in Redis
   * and learns of transitions later, through its channel: there, only a
   * replica deciding alone (Redis unreachable) returns one.
   */
  record(target: ModelProvider, policy: CircuitBreakerPolicy, verdict: CircuitVerdict, nowMs: number): CircuitTransition | undefined;
  /** The phase of target's circuit, for logs, status and tests. */
  phase(target: ModelProvider): CircuitPhase;
}
