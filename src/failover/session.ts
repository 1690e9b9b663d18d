// One request's failover, from its first attempt to its last, before and after
// a stream's commit point alike. Every "what next?" is answered by decideNext
// over this request's own RetryState; the session carries the answer out: it
// records blocks and circuit verdicts, holds a retry-gate slot for each retry
// and waits out the delay, telling the context's observer (if any) what it
// decided and wrote. A continuation after a break is one more failure of the
// same request, so the same rule counts, budget, deadline, gate, blocks and
// fallback order apply to it. Logging and the attempts' own start and end
// stay with the callers, at the edges.
import type { ModelProvider, RetryPolicy, TriggerRule } from '../config/types.js';
import type { CircuitVerdict } from '../state/circuitBreakers.js';
import { LayeredBlockView } from './blockView.js';
import type { CandidateFilter } from './candidates.js';
import { judgeForCircuit } from './circuitVerdict.js';
import { ruleForFailure } from './classify.js';
import { decideNext, type GiveUpReason } from './decide.js';
import { buildExhaustionBody } from './exhaustion.js';
import { selectFirstTarget } from './firstTarget.js';
import type { BlockEvent } from './observer.js';
import type { AttemptOutcome, AttemptRecord } from './outcome.js';
import { recordLatencyEvent, recordRetryAfter } from './recordBlocks.js';
import { commitRetry, createRetryState, recordFailure, type RetryState } from './retryState.js';
import type { FailoverContext, StopResult } from './runTypes.js';

/** What the request does next: make an attempt, or stop with a result. */
export type Step =
  | { readonly kind: 'attempt'; readonly target: ModelProvider; readonly attemptNo: number }
  | { readonly kind: 'stop'; readonly result: StopResult };

type Stop = Extract<Step, { kind: 'stop' }>;

const NO_FAILURES: readonly AttemptRecord[] = Object.freeze([]);

export class FailoverSession {
  /** Created on the first failure: a request that succeeds at once allocates none of it. */
  private state: RetryState | undefined;
  private gateHeld = false;
  /** The rule whose retry sent the request to the current target. */
  private chosenBy: TriggerRule | undefined;
  /** The rule that governed the latest failure: the one a give-up is reported under. */
  private governing: TriggerRule | undefined;
  private attempts = 0;

  constructor(private readonly ctx: FailoverContext) {}

  private get policy(): RetryPolicy | undefined {
    return this.ctx.primary.retryPolicy;
  }

  /** Attempts made so far, continuations included (x-switchyard-attempts). */
  get attemptCount(): number {
    return this.attempts;
  }

  /** Failed attempts so far, in order. */
  get failures(): readonly AttemptRecord[] {
    return this.state?.attempts ?? NO_FAILURES;
  }

  /**
   * The first attempt: the primary, or where a global block on it steers the
   * request. A Promise only when a circuit's probe must be claimed from the
   * fleet; otherwise the answer is immediate.
   */
  start(refused = 0): Step | Promise<Step> {
    const { ctx, policy } = this;
    if (policy === undefined) return this.attempt(ctx.primary);
    const now = ctx.clock.now();
    const first = selectFirstTarget(ctx.primary, policy, ctx.config.providers, new LayeredBlockView(ctx.blocks), now);
    if (first.kind === 'all-blocked') return this.exhausted('all-blocked', first.shortestRemainingBlockMs);
    // Claims the probe when the target's circuit is due one; steering already skipped open circuits.
    const admitted = this.admit(first.target, policy, now);
    if (typeof admitted === 'boolean') return this.attempt(first.target);
    // Another replica holds the probe: its circuit now blocks the target here too, so steering moves on.
    // The bound only guards against a fleet that keeps refusing without saying why.
    return admitted.then((won) => (won ? this.attempt(first.target) : refused < ctx.config.providers.length ? this.start(refused + 1) : this.exhausted('no-candidate')));
  }

  /**
   * `target` answered. `ttfbMs`, its time to first byte, counts towards
   * on_high_latency; a continuation's is not comparable and is left out.
   */
  succeeded(target: ModelProvider, ttfbMs?: number): void {
    this.settle(target, 'ok');
    const { ctx, policy } = this;
    if (policy !== undefined && ttfbMs !== undefined) {
      this.wrote(recordLatencyEvent(policy, target, 'ttfb', ttfbMs, ctx.latency, this.state?.localBlocks, ctx.clock.now()));
    }
  }

  /** The attempt ended because the client left, which says nothing about the provider. */
  abandoned(target: ModelProvider): Stop {
    this.settle(target, 'neutral');
    return this.stop({ kind: 'client-gone', attemptCount: this.attempts, failures: this.failures });
  }

  /** `target` failed with `outcome`: the next attempt (after any wait), or why the request stops. */
  async failed(target: ModelProvider, outcome: AttemptOutcome, filter?: CandidateFilter): Promise<Step> {
    this.noteFailure(target, outcome);
    return this.next(target, outcome, filter);
  }

  /**
   * Records what a failure of `target` says: its circuit verdict, the attempt
   * list, and any Retry-After block. Returns its record (undefined without a policy).
   */
  noteFailure(target: ModelProvider, outcome: AttemptOutcome): AttemptRecord | undefined {
    const { ctx, policy } = this;
    this.settle(target, judgeForCircuit(outcome));
    if (policy === undefined) return undefined;
    const nowMs = ctx.clock.now();
    const state = (this.state ??= createRetryState({
      policy,
      primary: ctx.primary,
      providers: ctx.config.providers,
      globalBlocks: ctx.blocks,
      deadlineMs: ctx.deadlineMs,
    }));
    const record = recordFailure(state, target, this.attempts, outcome, nowMs);
    this.wrote(recordRetryAfter(policy, target, outcome, ctx.blocks, state.localBlocks, nowMs));
    return record;
  }

  /**
   * The step after a noted failure of `target`. `filter` narrows the candidates
   * beyond the policy (a continuation of streamed text needs a prefill).
   */
  async next(target: ModelProvider, outcome: AttemptOutcome, filter?: CandidateFilter): Promise<Step> {
    const { ctx, policy, state } = this;
    if (policy === undefined || state === undefined) {
      return this.stop({ kind: 'passthrough', outcome, target, attemptCount: this.attempts, failures: this.failures });
    }
    const nowMs = ctx.clock.now();
    const rule = ruleForFailure(outcome, policy, target, ctx.primary, this.chosenBy);
    this.governing = rule;
    if (rule === undefined) {
      return this.stop({ kind: 'passthrough', outcome, target, attemptCount: this.attempts, failures: state.attempts });
    }
    const decision = decideNext(state, target, rule, nowMs, ctx.rng, filter);
    if (decision.kind === 'give-up') return this.exhausted(decision.reason);
    if (!(await ctx.gate.acquire())) return this.exhausted('gate-full');
    this.gateHeld = true;
    // Claimed now, not after the wait, so no other request can take the probe meanwhile.
    // Only a same-model retry can pick an entry whose circuit is still open or probing elsewhere.
    if (!(await this.admit(decision.target, policy, nowMs, nowMs + decision.delayMs))) {
      return this.exhausted('no-candidate');
    }
    commitRetry(state, decision.ruleId, decision.backoffApplied);
    this.chosenBy = rule;
    ctx.observer?.retrying({ from: target, to: decision.target, rule, trigger: outcome, delayMs: decision.delayMs });

    if (decision.delayMs > 0) {
      ctx.observer?.backoffStarted(decision.delayMs);
      await ctx.clock.sleep(decision.delayMs, ctx.client.signal);
      ctx.observer?.backoffEnded();
    }
    if (ctx.client.gone) {
      ctx.circuits.record(decision.target, policy.circuitBreaker, 'neutral', ctx.clock.now());
      return this.stop({ kind: 'client-gone', attemptCount: this.attempts, failures: state.attempts });
    }
    if (ctx.clock.now() >= ctx.deadlineMs) {
      // The retry never ran: a probe it claimed goes to the next request.
      ctx.circuits.record(decision.target, policy.circuitBreaker, 'neutral', ctx.clock.now());
      return this.exhausted('deadline');
    }
    return this.attempt(decision.target);
  }

  /** Gives back a retry-gate slot still held: the request ended before its retry ran. */
  release(): void {
    if (this.gateHeld) {
      this.gateHeld = false;
      this.ctx.gate.release();
    }
  }

  /** The exhausted answer, e.g. when the deadline passed before the next attempt could start. */
  exhausted(reason: GiveUpReason | 'all-blocked', shortestRemainingBlockMs = this.shortestBlock()): Stop {
    this.ctx.observer?.gaveUp(reason, this.governing);
    const failures = this.failures;
    const res = buildExhaustionBody({
      attempts: failures,
      budgetExhausted: reason === 'budget-exhausted',
      shortestRemainingBlockMs,
      statusWithoutAttempts: reason === 'all-blocked' ? 429 : 504,
    });
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-request-id': this.ctx.requestId };
    if (res.retryAfterSeconds !== undefined) headers['retry-after'] = String(res.retryAfterSeconds);
    return this.stop({ kind: 'exhausted', reason, status: res.status, body: res.body, headers, failures });
  }

  private attempt(target: ModelProvider): Step {
    this.attempts++;
    return { kind: 'attempt', target, attemptNo: this.attempts };
  }

  private stop(result: StopResult): Stop {
    this.release();
    return { kind: 'stop', result };
  }

  /** An attempt ended: its gate slot is free, and its circuit hears how it went. */
  private settle(target: ModelProvider, verdict: CircuitVerdict): void {
    this.release();
    const { ctx, policy } = this;
    if (policy === undefined) return;
    const nowMs = ctx.clock.now();
    const transition = ctx.circuits.record(target, policy.circuitBreaker, verdict, nowMs);
    if (transition === undefined || ctx.observer === undefined) return;
    ctx.observer.circuitChanged(target, transition === 'opened' ? 'open' : 'closed');
    if (transition === 'opened') {
      const untilMs = ctx.blocks.blockedUntil(target.blockKeys.model, nowMs) ?? nowMs;
      ctx.observer.blockWritten({ scope: 'model', target: target.name, cause: 'circuit-open', untilMs, applyTo: 'global' });
    }
  }

  /**
   * Admits an attempt through the target's circuit, telling the observer when it claimed the probe.
   * A Promise only when a fleet's probe must be claimed from Redis.
   */
  private admit(target: ModelProvider, policy: RetryPolicy, nowMs: number, atMs = nowMs): boolean | Promise<boolean> {
    const { circuits, observer } = this.ctx;
    if (observer === undefined || !policy.circuitBreaker.enabled) return circuits.admit(target, policy.circuitBreaker, nowMs, atMs);
    const wasProbing = circuits.phase(target) === 'half-open';
    const told = (admitted: boolean): boolean => {
      if (admitted && !wasProbing && circuits.phase(target) === 'half-open') observer.circuitChanged(target, 'half-open');
      return admitted;
    };
    const admitted = circuits.admit(target, policy.circuitBreaker, nowMs, atMs);
    return typeof admitted === 'boolean' ? told(admitted) : admitted.then(told);
  }

  private wrote(block: BlockEvent | undefined): void {
    if (block !== undefined) this.ctx.observer?.blockWritten(block);
  }

  /** The soonest any block on the primary or a tried target ends, if one is known. */
  private shortestBlock(): number | undefined {
    const state = this.state;
    if (state === undefined) return undefined;
    const nowMs = this.ctx.clock.now();
    const remaining = (target: ModelProvider): number | undefined => {
      const until = state.blocks.blockedUntil(target, nowMs);
      return until === undefined ? undefined : until - nowMs;
    };
    let shortest = remaining(state.primary);
    for (const t of state.tried) {
      const r = remaining(t);
      if (r !== undefined && (shortest === undefined || r < shortest)) shortest = r;
    }
    return shortest;
  }
}
