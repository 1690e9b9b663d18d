// Circuit breakers counted in this process. A fleet keeps one of these as its
// mirror: it applies the fleet's transitions with `force`, and falls back to
// counting here while Redis is unreachable.
import { blockKey } from '../config/blockKeys.js';
import type { CircuitBreakerPolicy, ModelProvider } from '../config/types.js';
import type { BlockReason, BlockStore } from './blockStore.js';
import { PROBE_LEASE_MS, type CircuitBreakers, type CircuitPhase, type CircuitTransition, type CircuitVerdict } from './circuitBreakers.js';

const CIRCUIT_OPEN: BlockReason = Object.freeze({ cause: 'circuit-open' });

/** A circuit as another replica may report it: what `force` applies. */
export type CircuitState =
  | { readonly phase: 'closed' }
  | { readonly phase: 'open'; readonly untilMs: number; readonly openMs: number }
  | { readonly phase: 'half-open'; readonly probeUntilMs: number; readonly openMs: number };

type Circuit =
  | { phase: 'closed'; consecutive: number; events: { at: number; failed: boolean }[] }
  | { phase: 'open'; untilMs: number; openMs: number }
  | { phase: 'half-open'; probeUntilMs: number; openMs: number };

export class MemoryCircuitBreakers implements CircuitBreakers {
  private readonly circuits = new Map<string, Circuit>();

  constructor(private readonly blocks: BlockStore) {}

  admit(target: ModelProvider, policy: CircuitBreakerPolicy, nowMs: number, atMs = nowMs): boolean {
    if (!policy.enabled) return true;
    const c = this.circuits.get(target.name);
    if (c === undefined || c.phase === 'closed') return true;
    if (c.phase === 'open' && atMs < c.untilMs) return false;
    if (c.phase === 'half-open' && nowMs < c.probeUntilMs) return false;
    this.force(target.name, { phase: 'half-open', probeUntilMs: nowMs + PROBE_LEASE_MS, openMs: c.openMs });
    return true;
  }

  /** Records an attempt's verdict; returns the transition it caused, if any. */
  record(target: ModelProvider, policy: CircuitBreakerPolicy, verdict: CircuitVerdict, nowMs: number): CircuitTransition | undefined {
    if (!policy.enabled || verdict === 'neutral' && this.circuits.get(target.name)?.phase !== 'half-open') return undefined;
    const c = this.circuits.get(target.name) ?? this.closed();
    switch (c.phase) {
      case 'open':
        return undefined; // attempts started before it opened say nothing new
      case 'half-open': {
        if (verdict === 'ok') {
          this.force(target.name, { phase: 'closed' });
          return 'closed';
        }
        // A probe that told nothing (client left) lets the next request probe at once.
        if (verdict === 'neutral') {
          this.force(target.name, { phase: 'open', untilMs: nowMs, openMs: c.openMs });
          return undefined;
        }
        return this.open(target.name, Math.min(c.openMs * 2, policy.maxOpenMs), nowMs);
      }
      case 'closed': {
        this.circuits.set(target.name, c);
        const failed = verdict === 'failure';
        c.consecutive = failed ? c.consecutive + 1 : 0;
        if (c.consecutive >= policy.failureThreshold) return this.open(target.name, policy.openMs, nowMs);
        if (policy.failureRatio === undefined) return undefined;
        c.events.push({ at: nowMs, failed });
        const kept = c.events.findIndex((e) => e.at > nowMs - policy.windowMs);
        c.events.splice(0, kept === -1 ? c.events.length : kept);
        if (c.events.length < policy.minRequests) return undefined;
        let failures = 0;
        for (const e of c.events) if (e.failed) failures++;
        return failures / c.events.length > policy.failureRatio ? this.open(target.name, policy.openMs, nowMs) : undefined;
      }
    }
  }

  phase(target: ModelProvider): CircuitPhase {
    return this.circuits.get(target.name)?.phase ?? 'closed';
  }

  /** The circuit of entry `name`, for a fleet deciding whether to claim a probe. */
  state(name: string): CircuitState {
    return this.circuits.get(name) ?? { phase: 'closed' };
  }

  /** Every circuit that is open or probing, by entry name. */
  *unclosed(): IterableIterator<readonly [string, Exclude<CircuitState, { phase: 'closed' }>]> {
    for (const [name, c] of this.circuits) if (c.phase !== 'closed') yield [name, c];
  }

  /**
   * Sets entry `name`'s circuit and its block. The block is replaced, not
   * merged: a failed probe shortens the probe's lease to the new open period.
   */
  force(name: string, state: CircuitState): void {
    const key = blockKey('model', name);
    this.blocks.release(key, 'circuit-open');
    switch (state.phase) {
      case 'closed':
        this.circuits.delete(name);
        return;
      case 'open':
        this.circuits.set(name, { phase: 'open', untilMs: state.untilMs, openMs: state.openMs });
        this.blocks.block(key, state.untilMs, CIRCUIT_OPEN);
        return;
      case 'half-open':
        this.circuits.set(name, { phase: 'half-open', probeUntilMs: state.probeUntilMs, openMs: state.openMs });
        this.blocks.block(key, state.probeUntilMs, CIRCUIT_OPEN);
        return;
    }
  }

  private closed(): Circuit & { phase: 'closed' } {
    return { phase: 'closed', consecutive: 0, events: [] };
  }

  private open(name: string, openMs: number, nowMs: number): 'opened' {
    this.force(name, { phase: 'open', untilMs: nowMs + openMs, openMs });
    return 'opened';
  }
}
