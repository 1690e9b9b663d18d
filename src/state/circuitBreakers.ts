// Per model entry circuit breakers. Counting lives here; the effect of an open
// circuit is a block (cause 'circuit-open') in the shared BlockStore, so every
// path that skips Retry-After blocks skips open circuits too.
//
// closed ──failures──► open ──open period over, first admit──► half-open (one probe)
// half-open ──probe ok──► closed; ──probe failed──► open, period doubled up to the cap.
import type { CircuitBreakerPolicy, ModelProvider } from '../config/types.js';
import { modelBlockKey, type BlockReason, type BlockStore } from './blockStore.js';

/** What an attempt says about the entry's health. */
export type CircuitVerdict = 'ok' | 'failure' | 'neutral';

/** How long a probe may run before another request may probe instead. */
export const PROBE_LEASE_MS = 60_000;

const CIRCUIT_OPEN: BlockReason = Object.freeze({ cause: 'circuit-open' });

type Circuit =
  | { phase: 'closed'; consecutive: number; events: { at: number; failed: boolean }[] }
  | { phase: 'open'; untilMs: number; openMs: number }
  | { phase: 'half-open'; probeSinceMs: number; openMs: number };

export class CircuitBreakers {
  private readonly circuits = new Map<string, Circuit>();

  constructor(private readonly blocks: BlockStore) {}

  /**
   * Whether an attempt on target starting at atMs may go ahead. The first
   * admit after the open period claims the single probe (and blocks the entry
   * for everyone else while it runs); later ones are refused until it reports.
   */
  admit(target: ModelProvider, policy: CircuitBreakerPolicy, nowMs: number, atMs = nowMs): boolean {
    if (!policy.enabled) return true;
    const c = this.circuits.get(target.name);
    if (c === undefined || c.phase === 'closed') return true;
    if (c.phase === 'open' && atMs < c.untilMs) return false;
    if (c.phase === 'half-open' && nowMs - c.probeSinceMs < PROBE_LEASE_MS) return false;
    this.circuits.set(target.name, { phase: 'half-open', probeSinceMs: nowMs, openMs: c.openMs });
    this.blocks.block(modelBlockKey(target), nowMs + PROBE_LEASE_MS, CIRCUIT_OPEN);
    return true;
  }

  /** Records an attempt's verdict; returns the transition it caused, if any. */
  record(target: ModelProvider, policy: CircuitBreakerPolicy, verdict: CircuitVerdict, nowMs: number): 'opened' | 'closed' | undefined {
    if (!policy.enabled || verdict === 'neutral' && this.circuits.get(target.name)?.phase !== 'half-open') return undefined;
    const c = this.circuits.get(target.name) ?? this.closed();
    switch (c.phase) {
      case 'open':
        return undefined; // attempts started before it opened say nothing new
      case 'half-open': {
        this.blocks.release(modelBlockKey(target), 'circuit-open');
        if (verdict === 'ok') {
          this.circuits.set(target.name, this.closed());
          return 'closed';
        }
        if (verdict === 'neutral') {
          // The probe told nothing (client left): the next request probes again.
          this.circuits.set(target.name, { phase: 'open', untilMs: nowMs, openMs: c.openMs });
          return undefined;
        }
        return this.open(target, Math.min(c.openMs * 2, policy.maxOpenMs), nowMs);
      }
      case 'closed': {
        this.circuits.set(target.name, c);
        const failed = verdict === 'failure';
        c.consecutive = failed ? c.consecutive + 1 : 0;
        if (c.consecutive >= policy.failureThreshold) return this.open(target, policy.openMs, nowMs);
        if (policy.failureRatio === undefined) return undefined;
        c.events.push({ at: nowMs, failed });
        const kept = c.events.findIndex((e) => e.at > nowMs - policy.windowMs);
        c.events.splice(0, kept === -1 ? c.events.length : kept);
        if (c.events.length < policy.minRequests) return undefined;
        let failures = 0;
        for (const e of c.events) if (e.failed) failures++;
        return failures / c.events.length > policy.failureRatio ? this.open(target, policy.openMs, nowMs) : undefined;
      }
    }
  }

  /** The phase of target's circuit, for logs and tests. */
  phase(target: ModelProvider): Circuit['phase'] {
    return this.circuits.get(target.name)?.phase ?? 'closed';
  }

  private closed(): Circuit & { phase: 'closed' } {
    return { phase: 'closed', consecutive: 0, events: [] };
  }

  private open(target: ModelProvider, openMs: number, nowMs: number): 'opened' {
    this.circuits.set(target.name, { phase: 'open', untilMs: nowMs + openMs, openMs });
    this.blocks.block(modelBlockKey(target), nowMs + openMs, CIRCUIT_OPEN);
    return 'opened';
  }
}
