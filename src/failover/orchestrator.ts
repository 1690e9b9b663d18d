// The failover I/O loop. It asks the pure modules what to do and does it: calls
// the injected attempt function, records blocks, waits, and holds a retry-gate
// slot for each retry. Generic over the response type so it runs without sockets.
import type { ModelProvider, TriggerRule } from '../config/types.js';
import type { SharedState } from '../state/sharedState.js';
import { globalView } from './blockView.js';
import { classifyOutcome } from './classifyErrors.js';
import { circuitVerdict } from './circuitVerdict.js';
import { decideNext, type GiveUpReason } from './decide.js';
import { buildExhaustionBody } from './exhaustion.js';
import { selectFirstTarget } from './firstTarget.js';
import { errorTypeOf, type AttemptRecord } from './outcome.js';
import { recordLatencyEvent, recordRetryAfter } from './recordBlocks.js';
import { commitRetry, createRetryState, recordFailure, type RetryState } from './retryState.js';
import type { AttemptResult, FailoverContext, FailoverResult, RunAttempt } from './runTypes.js';

export type { AttemptResult, FailoverContext, FailoverLog, FailoverResult, RunAttempt } from './runTypes.js';

const NO_FAILURES: readonly AttemptRecord[] = Object.freeze([]);

/**
 * Runs a request through the primary's retry policy. Never rejects unless
 * runAttempt throws while the client is still there (a bug in the caller).
 * success → send `response`; passthrough → relay the upstream error as-is;
 * exhausted → send status/body/headers; client-gone → send nothing.
 */
export async function runWithFailover<R>(ctx: FailoverContext, runAttempt: RunAttempt<R>): Promise<FailoverResult<R>> {
  const policy = ctx.primary.retryPolicy;
  if (policy === undefined) return runSingle(ctx, runAttempt);

  const providers = ctx.config.providers;
  const first = selectFirstTarget(ctx.primary, policy, providers, globalView(ctx.blocks), ctx.clock.now());
  if (first.kind === 'all-blocked') {
    return exhausted(ctx, 'all-blocked', NO_FAILURES, first.shortestRemainingBlockMs);
  }

  let target = first.target;
  // Claims the probe when the target's circuit is due one; steering already skipped open circuits.
  ctx.circuits.admit(target, policy.circuitBreaker, ctx.clock.now());
  let attemptNo = 1;
  let state: RetryState | undefined;
  let holdingGate = false;
  /** The rule whose retry sent the request to the current target. */
  let chosenBy: TriggerRule | undefined;
  try {
    for (;;) {
      const startedMs = ctx.clock.now();
      const remainingMs = ctx.deadlineMs - startedMs;
      if (remainingMs <= 0) {
        return exhausted(ctx, 'deadline', state?.attempts ?? NO_FAILURES, shortestBlock(state, ctx.clock.now()));
      }
      const result = await attempt(ctx, runAttempt, target, attemptNo, remainingMs);
      if (holdingGate) {
        ctx.gate.release();
        holdingGate = false;
      }
      const endedMs = ctx.clock.now();
      // A failure caused by the client leaving says nothing about the provider.
      if (result === undefined || ctx.client.gone) {
        ctx.circuits.record(target, policy.circuitBreaker, 'neutral', endedMs);
        return clientGone(attemptNo, state);
      }
      ctx.circuits.record(target, policy.circuitBreaker, result.kind === 'success' ? 'ok' : circuitVerdict(result.outcome), endedMs);

      if (result.kind === 'success') {
        logAttempt(ctx, target, attemptNo, 'success', result.ttfbMs);
        recordLatencyEvent(policy, target, 'ttfb', result.ttfbMs, ctx.latency, ctx.blocks, state?.localBlocks, endedMs);
        return {
          kind: 'success',
          response: result.response,
          target,
          attemptCount: attemptNo,
          failures: state?.attempts ?? NO_FAILURES,
        };
      }

      state ??= createRetryState({ policy, primary: ctx.primary, providers, globalBlocks: ctx.blocks, deadlineMs: ctx.deadlineMs });
      const outcome = result.outcome;
      const record = recordFailure(state, target, attemptNo, outcome, endedMs);
      logAttempt(ctx, target, attemptNo, record.errorType, endedMs - startedMs);
      recordRetryAfter(policy, target, outcome, ctx.blocks, state.localBlocks, endedMs);

      // A fallback that cannot express this request (a field its wire format
      // lacks) is a failed candidate, not the client's error: move on under the
      // rule that chose it (the default rule for a steered first attempt).
      const rule =
        outcome.kind === 'untranslatable' && target !== ctx.primary ? (chosenBy ?? policy.defaultRule) : classifyOutcome(outcome, policy).rule;
      if (rule === undefined) {
        return { kind: 'passthrough', outcome, target, attemptCount: attemptNo, failures: state.attempts };
      }
      const decision = decideNext(state, target, rule, endedMs, ctx.rng);
      if (decision.kind === 'give-up') return exhausted(ctx, decision.reason, state.attempts, shortestBlock(state, endedMs));
      if (!ctx.gate.tryAcquire()) return exhausted(ctx, 'gate-full', state.attempts, shortestBlock(state, endedMs));
      holdingGate = true;
      // Claimed now, not after the wait, so no other request can take the probe meanwhile.
      // Only a same-model retry can pick an entry whose circuit is still open or probing elsewhere.
      if (!ctx.circuits.admit(decision.target, policy.circuitBreaker, endedMs, endedMs + decision.delayMs)) {
        return exhausted(ctx, 'no-candidate', state.attempts, shortestBlock(state, endedMs));
      }
      commitRetry(state, decision.ruleId, decision.backoffApplied);
      chosenBy = rule;

      if (decision.delayMs > 0) await ctx.clock.sleep(decision.delayMs, ctx.client.signal);
      if (ctx.client.gone) {
        ctx.circuits.record(decision.target, policy.circuitBreaker, 'neutral', ctx.clock.now());
        return clientGone(attemptNo, state);
      }
      target = decision.target;
      attemptNo++;
    }
  } finally {
    if (holdingGate) ctx.gate.release();
  }
}

/**
 * For `measure: total`: call when a response body has finished. Counts a latency
 * event for the target under the primary's policy and blocks it (globally) once
 * the window fills. Returns true when a block was created.
 */
export function recordTotalLatency(
  shared: SharedState,
  primary: ModelProvider,
  target: ModelProvider,
  totalMs: number,
  nowMs: number,
): boolean {
  return recordLatencyEvent(primary.retryPolicy, target, 'total', totalMs, shared.latency, shared.blocks, undefined, nowMs);
}

/** No policy: one attempt, its error relayed unchanged, nothing recorded. */
async function runSingle<R>(ctx: FailoverContext, runAttempt: RunAttempt<R>): Promise<FailoverResult<R>> {
  const startedMs = ctx.clock.now();
  const result = await attempt(ctx, runAttempt, ctx.primary, 1, ctx.deadlineMs - startedMs);
  if (result === undefined || ctx.client.gone) return clientGone(1, undefined);
  if (result.kind === 'success') {
    logAttempt(ctx, ctx.primary, 1, 'success', result.ttfbMs);
    return { kind: 'success', response: result.response, target: ctx.primary, attemptCount: 1, failures: NO_FAILURES };
  }
  logAttempt(ctx, ctx.primary, 1, errorTypeOf(result.outcome), ctx.clock.now() - startedMs);
  return { kind: 'passthrough', outcome: result.outcome, target: ctx.primary, attemptCount: 1, failures: NO_FAILURES };
}

/** Runs one attempt; undefined when it threw because the client went away. */
async function attempt<R>(
  ctx: FailoverContext,
  runAttempt: RunAttempt<R>,
  target: ModelProvider,
  attemptNo: number,
  remainingMs: number,
): Promise<AttemptResult<R> | undefined> {
  try {
    return await runAttempt(target, attemptNo, remainingMs);
  } catch (err) {
    if (ctx.client.gone) return undefined;
    throw err;
  }
}

function logAttempt(ctx: FailoverContext, target: ModelProvider, attemptNo: number, outcome: string, latencyMs: number): void {
  ctx.log.info({ requestId: ctx.requestId, model: target.model, attempt: attemptNo, outcome, latencyMs }, 'upstream attempt');
}

function clientGone<R>(attemptNo: number, state: RetryState | undefined): FailoverResult<R> {
  return { kind: 'client-gone', attemptCount: attemptNo, failures: state?.attempts ?? NO_FAILURES };
}

/** The soonest any block on the primary or a tried target ends, if one is known. */
function shortestBlock(state: RetryState | undefined, nowMs: number): number | undefined {
  if (state === undefined) return undefined;
  let shortest = remaining(state, state.primary, nowMs);
  for (const t of state.tried) {
    const r = remaining(state, t, nowMs);
    if (r !== undefined && (shortest === undefined || r < shortest)) shortest = r;
  }
  return shortest;
}

function remaining(state: RetryState, target: ModelProvider, nowMs: number): number | undefined {
  const until = state.blocks.blockedUntil(target, nowMs);
  return until === undefined ? undefined : until - nowMs;
}

function exhausted<R>(
  ctx: FailoverContext,
  reason: GiveUpReason | 'all-blocked',
  failures: readonly AttemptRecord[],
  shortestRemainingBlockMs: number | undefined,
): FailoverResult<R> {
  const res = buildExhaustionBody({
    attempts: failures,
    budgetExhausted: reason === 'budget-exhausted',
    shortestRemainingBlockMs,
    statusWithoutAttempts: reason === 'all-blocked' ? 429 : 504,
  });
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-request-id': ctx.requestId };
  if (res.retryAfterSeconds !== undefined) headers['retry-after'] = String(res.retryAfterSeconds);
  return { kind: 'exhausted', reason, status: res.status, body: res.body, headers, failures };
}
