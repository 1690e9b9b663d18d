// Hedged requests, the effects. An attempt starts as usual; if it has not
// reached its milestone (first byte, or a stream's first token) when the
// delay is up, the session is asked for a hedge and, when it gives one, a
// second attempt starts beside the first, which keeps running. The first to
// deliver wins (a stream at its first token, a whole answer once complete and
// valid); every other attempt is ended at once, its socket closed, and the
// client sees that one answer only. A failed attempt is recorded and the
// others run on; when the last one running fails, the request goes on from
// that failure exactly as without a hedge. Timers run on the failover clock.
import type { HedgePolicy, ModelProvider } from '../config/types.js';
import { logAttempt } from './attemptLog.js';
import { delayMetric, hedgeDelayMs, hedgeMilestone, type Milestone } from './hedge.js';
import { Mailbox } from './mailbox.js';
import { ABANDONED } from './observer.js';
import { errorTypeOf, type AttemptOutcome } from './outcome.js';
import type { AttemptResult, FailoverContext, RaceLink, RunAttempt } from './runTypes.js';
import type { FailoverSession, Step } from './session.js';

type AttemptStep = Extract<Step, { kind: 'attempt' }>;
type Success<R> = Extract<AttemptResult<R>, { kind: 'success' }>;

export type RaceEnd<R> =
  /** `step` delivered; the others were ended. */
  | { readonly kind: 'won'; readonly step: AttemptStep; readonly result: Success<R>; readonly hedged: boolean }
  /** Every attempt failed; `step` failed last, with `outcome` (already noted by the session). */
  | { readonly kind: 'failed'; readonly step: AttemptStep; readonly outcome: AttemptOutcome }
  /** The client left; every attempt was ended. */
  | { readonly kind: 'client-gone'; readonly target: ModelProvider };

interface Runner {
  readonly step: AttemptStep;
  readonly hedge: boolean;
  readonly startedMs: number;
  cancel: (() => void) | undefined;
  /** running → ended: it settled; lost: the race ended it. */
  state: 'running' | 'ended' | 'lost';
}

type RaceEvent<R> =
  | { readonly kind: 'hedge-due' }
  | { readonly kind: 'reached'; readonly runner: Runner; readonly milestone: Milestone }
  | { readonly kind: 'settled'; readonly runner: Runner; readonly result: AttemptResult<R> }
  | { readonly kind: 'threw'; readonly runner: Runner; readonly error: unknown };

/** Runs `first` with hedges per `hedge` until one attempt delivers or all have failed. */
export async function raceAttempts<R>(
  ctx: FailoverContext,
  session: FailoverSession,
  runAttempt: RunAttempt<R>,
  first: AttemptStep,
  hedge: HedgePolicy,
): Promise<RaceEnd<R>> {
  const stream = ctx.stream === true;
  const trigger = hedgeMilestone(hedge, stream);
  const startMs = ctx.clock.now();
  const observed =
    hedge.delay.kind === 'learned' ? ctx.distributions.quantile(first.target.name, delayMetric(hedge, stream), hedge.delay.quantile, startMs) : undefined;
  const delayMs = hedgeDelayMs(hedge, observed);
  const events = new Mailbox<RaceEvent<R>>();
  const runners: Runner[] = [];
  let hedges = 0;
  let triggered = false;
  let winner: Runner | undefined;
  let timer: AbortController | undefined;

  const live = (): Runner[] => runners.filter((r) => r.state === 'running');
  const disarm = (): void => {
    timer?.abort();
    timer = undefined;
  };
  // The k-th hedge is due k delays after the first attempt started.
  const arm = (): void => {
    if (hedges >= hedge.maxExtraAttempts || triggered || winner !== undefined) return;
    const t = new AbortController();
    timer = t;
    const waitMs = Math.max(0, startMs + (hedges + 1) * delayMs - ctx.clock.now());
    void ctx.clock.sleep(waitMs, t.signal).then(() => {
      if (!t.signal.aborted) events.push({ kind: 'hedge-due' });
    });
  };
  const start = (step: AttemptStep, isHedge: boolean): void => {
    const runner: Runner = { step, hedge: isHedge, startedMs: ctx.clock.now(), cancel: undefined, state: 'running' };
    runners.push(runner);
    ctx.observer?.attemptStarted(step.target, step.attemptNo, false);
    const link: RaceLink = {
      reached: (milestone) => { events.push({ kind: 'reached', runner, milestone }); },
      onCancel: (cancel) => { runner.cancel = cancel; },
    };
    // Through a promise's executor, so that a runner throwing before its first await is settled as `threw` too.
    new Promise<AttemptResult<R>>((resolve) => { resolve(runAttempt(step.target, step.attemptNo, ctx.deadlineMs - runner.startedMs, { limits: step.limits, race: link })); }).then(
      (result) => { events.push({ kind: 'settled', runner, result }); },
      (error: unknown) => { events.push({ kind: 'threw', runner, error }); },
    );
  };
  // Ends an attempt that lost: its socket is closed now; its result, whenever it comes, is ignored.
  const lose = (runner: Runner): void => {
    runner.state = 'lost';
    runner.cancel?.();
    const ms = ctx.clock.now() - runner.startedMs;
    session.lostRace(runner.step.target);
    logAttempt(ctx, runner.step, 'lost_race', ms, undefined, runner.hedge);
    // Metrics and traces count a lost attempt as abandoned: like a client leaving, it says nothing about the provider.
    ctx.observer?.attemptEnded(runner.step.target, runner.step.attemptNo, ABANDONED);
  };
  const clientGone = (runner: Runner): RaceEnd<R> => {
    ctx.observer?.attemptEnded(runner.step.target, runner.step.attemptNo, ABANDONED);
    for (const other of live()) {
      other.state = 'lost';
      session.lostRace(other.step.target);
      ctx.observer?.attemptEnded(other.step.target, other.step.attemptNo, ABANDONED);
    }
    return { kind: 'client-gone', target: runner.step.target };
  };

  start(first, false);
  arm();
  try {
    for (;;) {
      const event = await events.next();
      switch (event.kind) {
        case 'hedge-due': {
          timer = undefined;
          const inFlight = live();
          if (winner !== undefined || triggered || ctx.client.gone || inFlight.length === 0) break;
          const step = await session.hedge(
            inFlight.map((r) => r.step.target),
            hedge.budgetPercent,
          );
          // No hedge now (budget, gate, nowhere to go) means none for this attempt: the reasons do not pass with a delay.
          if (step.kind !== 'attempt') break;
          hedges++;
          start(step, true);
          arm();
          break;
        }
        case 'reached': {
          const { runner, milestone } = event;
          if (runner.state !== 'running') break;
          // Someone is answering: no further hedge. A first token implies a first byte.
          if (milestone === trigger || milestone === 'first-token') {
            triggered = true;
            disarm();
          }
          // A stream is delivered at its first token: the others stop here, before the client sees anything.
          if (stream && milestone === 'first-token' && winner === undefined) {
            winner = runner;
            for (const other of live()) if (other !== runner) lose(other);
          }
          break;
        }
        case 'threw': {
          event.runner.state = 'ended';
          if (ctx.client.gone) return clientGone(event.runner);
          throw event.error;
        }
        case 'settled': {
          const { runner, result } = event;
          if (runner.state === 'lost') break;
          runner.state = 'ended';
          if (ctx.client.gone) return clientGone(runner);
          const latencyMs = ctx.clock.now() - runner.startedMs;
          if (result.kind === 'success') {
            disarm();
            for (const other of live()) lose(other);
            logAttempt(ctx, runner.step, 'success', result.ttfbMs, undefined, runner.hedge);
            ctx.observer?.attemptEnded(runner.step.target, runner.step.attemptNo, { kind: 'answered', ttfbMs: result.ttfbMs, ttftMs: result.ttftMs });
            session.succeeded(runner.step.target, result);
            return { kind: 'won', step: runner.step, result, hedged: runner.hedge };
          }
          const record = session.noteFailure(runner.step.target, result.outcome);
          logAttempt(ctx, runner.step, errorTypeOf(result.outcome), latencyMs, record?.rule, runner.hedge);
          ctx.observer?.attemptEnded(runner.step.target, runner.step.attemptNo, { kind: 'failed', outcome: result.outcome });
          if (winner === runner) winner = undefined;
          if (live().length === 0) return { kind: 'failed', step: runner.step, outcome: result.outcome };
          break;
        }
      }
    }
  } finally {
    disarm();
  }
}
