// One chat request as observability sees it: it hears every lifecycle point
// (the failover and stream observers), keeps the request's own timings, and
// turns them into metrics, status-board samples and, when tracing is on, spans.
// With tracing off it holds no span and calls no OTel code.
import type { ModelProvider, TriggerRule } from '../config/types.js';
import type { AnswerFacts, TokenUsage } from '../dialects/tokenUsage.js';
import type { WireFormat } from '../dialects/wireFormat.js';
import type { GiveUpReason } from '../failover/decision.js';
import type { AttemptEnd, BlockEvent, CircuitState, RetryEvent } from '../failover/observer.js';
import { errorTypeOf } from '../failover/outcome.js';
import type { StreamBreak } from '../streaming/breakage.js';
import type { RecoveryResult, StreamObserver } from '../streaming/observer.js';
import { UsageTap } from '../streaming/usageTap.js';
import type { GatewayMetrics } from './metrics.js';
import { errorLabelOf } from './outcomeLabel.js';
import type { StatusBoard } from './statusBoard.js';
import type { RequestTrace } from './tracing/requestTrace.js';

/** What a recorder needs from the process: the metrics, the board and the count of retries in backoff. */
export interface RecorderSinks {
  readonly metrics: GatewayMetrics;
  readonly board: StatusBoard;
  backoffStarted(): void;
  backoffEnded(): void;
}

export class RequestRecorder implements StreamObserver {
  private primary: ModelProvider | undefined;
  private streamed = false;
  private answeredBy: ModelProvider | undefined;
  private attempts = 0;
  /** Attempts in flight now (more than one once hedging exists), and since when any has been. */
  private inFlight = 0;
  private waitingSince = 0;
  private upstreamMs = 0;
  private backoffSince: number | undefined;
  private backoffMs = 0;
  private readyAt: number | undefined;
  private facts: AnswerFacts | undefined;
  private tap: UsageTap | undefined;
  private finished = false;
  /** performance.now() when the request arrived. */
  readonly startedAt: number;

  constructor(
    private readonly sinks: RecorderSinks,
    private readonly dialect: WireFormat,
    private readonly requestId: string,
    readonly trace: RequestTrace | undefined,
    startedAt: number,
  ) {
    this.startedAt = startedAt;
  }

  /** The request resolved to `primary`; `streamed` says whether the client asked for a stream. */
  routed(primary: ModelProvider, streamed: boolean): void {
    this.primary = primary;
    this.streamed = streamed;
    this.trace?.routed(primary);
  }

  /** The W3C trace headers for one attempt, when tracing is on. */
  traceHeaders(attemptNo: number): Readonly<Record<string, string>> | undefined {
    return this.trace?.attemptHeaders(attemptNo);
  }

  /** For the relay of a streamed answer: reads its usage as it passes. */
  get usageTap(): UsageTap {
    this.tap ??= new UsageTap();
    return this.tap;
  }

  /** A whole answer's own usage and model. */
  answerFacts(facts: AnswerFacts | undefined): void {
    this.facts = facts;
  }

  /** The answer (or error) is ready to go out: the gateway's overhead ends here. */
  answerReady(): void {
    this.readyAt ??= performance.now();
  }

  attemptStarted(target: ModelProvider, attemptNo: number, continuation: boolean): void {
    this.attempts++;
    if (this.inFlight++ === 0) this.waitingSince = performance.now();
    this.trace?.attemptStarted(target, attemptNo, continuation);
  }

  attemptEnded(target: ModelProvider, attemptNo: number, end: AttemptEnd): void {
    const now = performance.now();
    if (--this.inFlight === 0) this.upstreamMs += now - this.waitingSince;
    const { metrics, board } = this.sinks;
    // The wall clock, from the reading already taken.
    const wall = performance.timeOrigin + now;
    switch (end.kind) {
      case 'answered':
        this.answeredBy = target;
        metrics.attemptAnswered(target, end.ttfbMs, this.streamed ? end.ttftMs : undefined);
        board.attempt(target.name, false, wall);
        if (end.ttftMs !== undefined) board.ttft(target.name, end.ttftMs, wall);
        break;
      case 'failed': {
        metrics.attemptFailed(target, errorLabelOf(end.outcome));
        const o = end.outcome;
        if (o.kind === 'timeout' && (o.phase === 'first-token' || o.phase === 'idle')) metrics.guardExpired(target, o.phase === 'idle' ? 'idle' : 'first_token');
        board.attempt(target.name, true, wall);
        break;
      }
      case 'abandoned':
        metrics.attemptAbandoned(target);
        break;
    }
    this.trace?.attemptEnded(target, attemptNo, end);
  }

  retrying(retry: RetryEvent): void {
    this.sinks.metrics.retried(retry.from, retry.to, retry.rule.id, errorLabelOf(retry.trigger));
    this.sinks.board.note({
      atMs: Date.now(),
      kind: retry.from === retry.to ? 'same-model' : 'failover',
      requestId: this.requestId,
      from: retry.from.name,
      to: retry.to.name,
      rule: retry.rule.id,
      trigger: errorTypeOf(retry.trigger),
      reason: null,
    });
    this.trace?.retrying(retry);
  }

  gaveUp(reason: GiveUpReason | 'all-blocked', rule: TriggerRule | undefined): void {
    const primary = this.primary;
    if (primary !== undefined) {
      this.sinks.metrics.gaveUp(primary, reason);
      this.sinks.board.note({ atMs: Date.now(), kind: 'gave-up', requestId: this.requestId, from: primary.name, to: null, rule: rule?.id ?? null, trigger: null, reason });
    }
    this.trace?.gaveUp(reason, rule);
  }

  backoffStarted(delayMs: number): void {
    this.backoffSince = performance.now();
    this.sinks.backoffStarted();
    this.trace?.backoffStarted(delayMs);
  }

  backoffEnded(): void {
    if (this.backoffSince !== undefined) this.backoffMs += performance.now() - this.backoffSince;
    this.backoffSince = undefined;
    this.sinks.backoffEnded();
    this.trace?.backoffEnded();
  }

  blockWritten(block: BlockEvent): void {
    this.sinks.metrics.blockWritten(block);
    this.trace?.blockWritten(block);
  }

  circuitChanged(target: ModelProvider, state: CircuitState): void {
    this.sinks.metrics.circuitChanged(target, state);
    this.trace?.circuitChanged(target, state);
  }

  streamBroken(target: ModelProvider, cause: StreamBreak): void {
    this.sinks.board.broke(target.name, Date.now());
    if (cause.kind === 'stalled') this.sinks.metrics.guardExpired(target, 'idle');
    this.trace?.streamBroken(target, cause);
  }

  streamRecovered(from: ModelProvider, result: RecoveryResult): void {
    this.sinks.metrics.recovered(from, result.kind);
    this.trace?.streamRecovered(from, result);
  }

  /**
   * The response is over (sent, cut or abandoned). `status` is what the client
   * got, 499 when it left before any answer. Idempotent: only the first call counts.
   */
  finish(status: number): void {
    if (this.finished) return;
    this.finished = true;
    // A request that ends mid-backoff (client gone) frees its place in the gauge.
    if (this.backoffSince !== undefined) this.backoffEnded();
    const now = performance.now();
    const model = this.answeredBy ?? this.primary;
    const overheadMs = this.primary === undefined ? undefined : (this.readyAt ?? now) - this.startedAt - this.upstreamMs - this.backoffMs;
    this.sinks.metrics.request(this.dialect, model, status, now - this.startedAt, overheadMs);
    const usage: TokenUsage | undefined = this.tap?.usage ?? this.facts?.usage;
    if (usage !== undefined && this.answeredBy !== undefined) this.sinks.metrics.tokensUsed(this.answeredBy, usage);
    this.trace?.end({ status, answeredBy: this.answeredBy, usage, responseModel: this.tap?.model ?? this.facts?.model, attempts: this.attempts });
  }
}
