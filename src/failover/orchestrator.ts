// The failover loop up to the commit point: it runs the attempt the session
// asks for and hands back what came of it. Generic over the response type, so
// it runs without sockets. An attempt with hedging configured runs as a race
// (race.ts); any other takes the plain path, which allocates nothing for
// hedging. After the commit point the same session goes on deciding
// continuations (streaming/recovery.ts).
import type { ModelProvider } from '../config/types.js';
import type { SharedState } from '../state/sharedState.js';
import { logAttempt } from './attemptLog.js';
import { hedgeFor } from './hedge.js';
import { ABANDONED, type FailoverObserver } from './observer.js';
import { raceAttempts } from './race.js';
import { recordLatencyEvent } from './recordBlocks.js';
import { FailoverSession } from './session.js';
import { errorTypeOf, type AttemptRecord } from './outcome.js';
import type { AttemptResult, FailoverContext, RunAttempt, StopResult } from './runTypes.js';

export type { AttemptResult, FailoverContext, RunAttempt, StopResult } from './runTypes.js';
export { FailoverSession } from './session.js';

export type FailoverResult<R> =
  | {
      readonly kind: 'success';
      readonly response: R;
      /** The entry that answered (x-switchyard-model). */
      readonly target: ModelProvider;
      /** Attempts made, this one and hedges included (x-switchyard-attempts). */
      readonly attemptCount: number;
      /** The answer came from a hedge (x-switchyard-hedged). */
      readonly hedged: boolean;
      readonly failures: readonly AttemptRecord[];
      /** Decides any continuation after the commit point, with this request's state. */
      readonly session: FailoverSession;
    }
  | StopResult;

/**
 * Runs a request through the primary's retry policy up to an answer. Never
 * rejects unless runAttempt throws while the client is still there (a bug in
 * the caller). success → send `response`; passthrough → relay the upstream
 * error as-is; exhausted → send status/body/headers; client-gone → send nothing.
 */
export async function runWithFailover<R>(ctx: FailoverContext, runAttempt: RunAttempt<R>): Promise<FailoverResult<R>> {
  const session = new FailoverSession(ctx);
  try {
    const first = session.start();
    // Only a probe claimed from the fleet makes the first step wait.
    let step = first instanceof Promise ? await first : first;
    while (step.kind === 'attempt') {
      const { target, attemptNo, limits } = step;
      const startedMs = ctx.clock.now();
      const remainingMs = ctx.deadlineMs - startedMs;
      if (remainingMs <= 0) return session.exhausted('deadline').result;
      const hedge = hedgeFor(target, ctx.primary.retryPolicy);
      if (hedge !== undefined) {
        const end = await raceAttempts(ctx, session, runAttempt, step, hedge);
        if (end.kind === 'client-gone') return session.abandoned(end.target).result;
        if (end.kind === 'won') {
          const { response } = end.result;
          return { kind: 'success', response, target: end.step.target, attemptCount: session.attemptCount, hedged: end.hedged, failures: session.failures, session };
        }
        step = await session.next(end.step.target, end.outcome);
        continue;
      }
      ctx.observer?.attemptStarted(target, attemptNo, false);
      let result: AttemptResult<R> | undefined;
      try {
        // Awaited here rather than in a helper: an async frame fewer on every attempt.
        result = await runAttempt(target, attemptNo, remainingMs, { limits });
      } catch (err) {
        // Thrown because the client went away: abandoned below. Otherwise a bug in the caller.
        if (!ctx.client.gone) throw err;
      }
      if (result === undefined || ctx.client.gone) {
        ctx.observer?.attemptEnded(target, attemptNo, ABANDONED);
        return session.abandoned(target).result;
      }
      if (result.kind === 'success') {
        logAttempt(ctx, step, 'success', result.ttfbMs, undefined);
        ctx.observer?.attemptEnded(target, attemptNo, { kind: 'answered', ttfbMs: result.ttfbMs, ttftMs: result.ttftMs });
        session.succeeded(target, result);
        return { kind: 'success', response: result.response, target, attemptCount: attemptNo, hedged: false, failures: session.failures, session };
      }
      const record = session.noteFailure(target, result.outcome);
      logAttempt(ctx, step, errorTypeOf(result.outcome), ctx.clock.now() - startedMs, record?.rule);
      ctx.observer?.attemptEnded(target, attemptNo, { kind: 'failed', outcome: result.outcome });
      step = await session.next(target, result.outcome);
    }
    return step.result;
  } finally {
    session.release();
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
  observer?: FailoverObserver,
): boolean {
  const block = recordLatencyEvent(primary.retryPolicy, target, 'total', totalMs, shared.latency, undefined, nowMs);
  if (block !== undefined) observer?.blockWritten(block);
  return block !== undefined;
}
