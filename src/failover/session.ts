// One request's failover, from its first attempt to its last, before and after
// a stream's commit point alike. Every "what next?" is answered by decideNext
// over this request's own RetryState; the session carries the answer out: it
// records blocks and circuit verdicts, holds a retry-gate slot for each retry
// and waits out the delay, telling the context's observer (if any) what it
// decided and wrote. A continuation after a break is one more failure of the
// same request, so the same rule counts, budget, deadline, gate, blocks and
// fallback order apply to it. A hedge is the retry a timeout of the attempt in
// flight would make, made early, so it too is decided here and holds a slot.
// Logging and the attempts' own start and end stay with the callers, at the edges.
import type { ModelProvider, RetryPolicy, TriggerRule } from '../config/types.js';
import type { CircuitVerdict } from '../state/circuitBreakers.js';
import { deadlineReserveMs, guardLimits, splitForDeadline, splitMayApply, type AttemptLimits } from './attemptLimits.js';
import type { Rng } from './backoff.js';
import { LayeredBlockView } from './blockView.js';
import type { CandidateFilter } from './candidates.js';
import { judgeForCircuit } from './circuitVerdict.js';
import { ruleForFailure } from './classify.js';
import { decideNext, type GiveUpReason } from './decide.js';
import { configHedges, hedgeBudgetAllows } from './hedge.js';
import { buildExhaustionBody } from './exhaustion.js';
import { selectFirstTarget } from './firstTarget.js';
import type { BlockEvent } from './observer.js';
import type { AttemptOutcome, AttemptRecord } from './outcome.js';
import { recordLatencyEvent, recordRetryAfter } from './recordBlocks.js';
import { commitRetry, createRetryState, markTried, recordFailure, type RetryState } from './retryState.js';
import { ruleLabel } from './ruleLabel.js';
import type { AttemptTimings, FailoverContext, StopResult } from './runTypes.js';

/** What the request does next: make an attempt, or stop with a result. */
export type Step =
  | { readonly kind: 'attempt'; readonly target: ModelProvider; readonly attemptNo: number; readonly limits: AttemptLimits }
  | { readonly kind: 'stop'; readonly result: StopResult };

type Stop = Extract<Step, { kind: 'stop' }>;
type AttemptStep = Extract<Step, { kind: 'attempt' }>;

/** Why no hedge starts: the budget is spent, or the retry a timeout would make is not possible now. */
export type NoHedge = { readonly kind: 'no-hedge'; readonly reason: GiveUpReason | 'budget' };

const NO_FAILURES: readonly AttemptRecord[] = Object.freeze([]);

/** Working out where a timeout would go must not draw on the request's RNG (only backoff jitter reads it). */
const NO_JITTER: Rng = () => 1;

export class FailoverSession {
  /** Created on the first failure: a request that succeeds at once allocates none of it. */
  private state: RetryState | undefined;
  /** The targets of attempts holding a retry-gate slot (a retry or a hedge), one entry per slot. */
  private slots: ModelProvider[] | undefined;
  /** The rule whose retry (or hedge) sent the request to each target. */
  private chosenBy: Map<ModelProvider, TriggerRule> | undefined;
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
    // Once per client request: a start retried after a fleet refused a probe is the same request.
    if (refused === 0 && configHedges(ctx.config)) ctx.hedgeBudget.noteRequest(ctx.primary.name, now);
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
   * `target` answered. Its timings count towards on_high_latency and join the
   * model's distributions (learned limits, the deadline reserve); a
   * continuation's are not comparable and are left out.
   */
  succeeded(target: ModelProvider, timings?: AttemptTimings): void {
    this.settle(target, 'ok');
    if (timings === undefined) return;
    const { ctx, policy } = this;
    const nowMs = ctx.clock.now();
    ctx.distributions.record(target.name, 'first-byte', timings.firstEventMs ?? timings.ttfbMs, nowMs);
    // A whole answer's ttftMs is the answer read; only a stream has a first token to learn from.
    if (ctx.stream === true && timings.ttftMs !== undefined) ctx.distributions.record(target.name, 'first-token', timings.ttftMs, nowMs);
    if (policy !== undefined) {
      this.wrote(recordLatencyEvent(policy, target, 'ttfb', timings.ttfbMs, ctx.latency, this.state?.localBlocks, nowMs));
    }
  }

  /**
   * An attempt on `target` lost a race and was ended: that says nothing about
   * the provider. Its time so far is not kept as a sample: a lower bound just
   * above the hedge delay, counted for every hedged attempt, would lift the
   * learned percentile each time it is read and the delay would run away
   * upwards (the slow share is exactly what the percentile sits on).
   */
  lostRace(target: ModelProvider): void {
    this.settle(target, 'neutral');
  }

  /**
   * A hedge beside the attempts in flight (`inFlight`, oldest first): the
   * retry a timeout of the latest would make, decided as that retry would be
   * (the timeout rule's strategy and count, blocks, open circuits, fallback
   * order) but made now, with no wait. It draws on the hedge budget of the
   * requested model, holds a retry-gate slot and counts as a retry of the
   * timeout rule. Async so that a shared gate or circuit may answer later.
   */
  async hedge(inFlight: readonly ModelProvider[], budgetPercent: number): Promise<AttemptStep | NoHedge> {
    const { ctx, policy } = this;
    const current = inFlight.at(-1);
    if (policy === undefined || current === undefined) return { kind: 'no-hedge', reason: 'not-retriable' };
    const nowMs = ctx.clock.now();
    if (!hedgeBudgetAllows(ctx.hedgeBudget.counts(ctx.primary.name, nowMs), budgetPercent)) return { kind: 'no-hedge', reason: 'budget' };
    const state = this.retryState(policy);
    for (const t of inFlight) markTried(state, t);
    const decision = decideNext(state, current, policy.timeoutRule, nowMs, ctx.rng, undefined, 'hedge');
    if (decision.kind === 'give-up') return { kind: 'no-hedge', reason: decision.reason };
    // The same gate as retries: in a fleet, a hedge takes one of the fleet's max_concurrent_retries slots.
    if (!(await ctx.gate.acquire())) return { kind: 'no-hedge', reason: 'gate-full' };
    if (!(await this.admit(decision.target, policy, nowMs))) {
      ctx.gate.release();
      return { kind: 'no-hedge', reason: 'no-candidate' };
    }
    this.holdSlot(decision.target);
    ctx.hedgeBudget.noteHedge(ctx.primary.name, nowMs);
    commitRetry(state, decision.ruleId, false);
    this.chose(decision.target, policy.timeoutRule);
    return this.attempt(decision.target);
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
    const state = this.retryState(policy);
    const rule = ruleForFailure(outcome, policy, target, ctx.primary, this.chosenBy?.get(target));
    const record = recordFailure(state, target, this.attempts, outcome, nowMs, rule === undefined ? undefined : ruleLabel(rule));
    this.wrote(recordRetryAfter(policy, target, outcome, ctx.blocks, state.localBlocks, nowMs));
    return record;
  }

  /** The request's retry state, created on first need. */
  private retryState(policy: RetryPolicy): RetryState {
    const { ctx } = this;
    return (this.state ??= createRetryState({
      policy,
      primary: ctx.primary,
      providers: ctx.config.providers,
      globalBlocks: ctx.blocks,
      deadlineMs: ctx.deadlineMs,
    }));
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
    const rule = ruleForFailure(outcome, policy, target, ctx.primary, this.chosenBy?.get(target));
    this.governing = rule;
    if (rule === undefined) {
      return this.stop({ kind: 'passthrough', outcome, target, attemptCount: this.attempts, failures: state.attempts });
    }
    const decision = decideNext(state, target, rule, nowMs, ctx.rng, filter);
    if (decision.kind === 'give-up') return this.exhausted(decision.reason);
    if (!(await ctx.gate.acquire())) return this.exhausted('gate-full');
    this.holdSlot(decision.target);
    // Claimed now, not after the wait, so no other request can take the probe meanwhile.
    // Only a same-model retry can pick an entry whose circuit is still open or probing elsewhere.
    if (!(await this.admit(decision.target, policy, nowMs, nowMs + decision.delayMs))) {
      return this.exhausted('no-candidate');
    }
    commitRetry(state, decision.ruleId, decision.backoffApplied);
    this.chose(decision.target, rule);
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

  /** Gives back every retry-gate slot still held: the request ended before its retries (or hedges) ended. */
  release(): void {
    const slots = this.slots;
    if (slots === undefined) return;
    for (let n = slots.length; n > 0; n--) this.ctx.gate.release();
    slots.length = 0;
  }

  private holdSlot(target: ModelProvider): void {
    (this.slots ??= []).push(target);
  }

  private chose(target: ModelProvider, rule: TriggerRule): void {
    (this.chosenBy ??= new Map()).set(target, rule);
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

  private attempt(target: ModelProvider): AttemptStep {
    this.attempts++;
    return { kind: 'attempt', target, attemptNo: this.attempts, limits: this.limitsFor(target) };
  }

  /**
   * The limits of an attempt on `target` starting now: as configured or
   * learned, then the deadline split. While a timeout could still move the
   * request (decided as the retry would be), the attempt leaves the next
   * candidate its reserve; the last candidate may use all that remains.
   */
  private limitsFor(target: ModelProvider): AttemptLimits {
    const { ctx, policy } = this;
    const nowMs = ctx.clock.now();
    const stream = ctx.stream === true;
    const limits = guardLimits(target, policy, stream, ctx.distributions, nowMs);
    const remainingMs = ctx.deadlineMs - nowMs;
    if (policy === undefined || !splitMayApply(limits, stream, policy, remainingMs)) return limits;
    const state = this.retryState(policy);
    markTried(state, target);
    const after = decideNext(state, target, policy.timeoutRule, nowMs, NO_JITTER);
    if (after.kind !== 'retry') return limits;
    return splitForDeadline(limits, stream, remainingMs - deadlineReserveMs(policy, after.target, stream, remainingMs, ctx.distributions, nowMs));
  }

  private stop(result: StopResult): Stop {
    this.release();
    return { kind: 'stop', result };
  }

  /** An attempt ended: its gate slot (if it held one) is free, and its circuit hears how it went. */
  private settle(target: ModelProvider, verdict: CircuitVerdict): void {
    const { ctx, policy } = this;
    const slots = this.slots;
    const held = slots === undefined ? -1 : slots.indexOf(target);
    if (slots !== undefined && held >= 0) {
      slots.splice(held, 1);
      ctx.gate.release();
    }
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
