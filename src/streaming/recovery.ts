// Recovery after the commit point: decide (planContinuation), then try the
// planned candidates with the streamed text as a prefill. Every failure here
// is recorded (log, circuit) but never shown to the client: if nothing can
// continue, the client's error names the original break.
import type { WireFormat } from '../dialects/wireFormat.js';
import type { ModelProvider, RetryPolicy } from '../config/types.js';
import { LayeredBlockView } from '../failover/blockView.js';
import { circuitVerdict } from '../failover/circuitVerdict.js';
import { errorTypeOf, type AttemptOutcome, type AttemptRecord } from '../failover/outcome.js';
import type { FailoverLog } from '../failover/runTypes.js';
import type { SharedState } from '../state/sharedState.js';
import { breakCode, breakOutcome, describeBreak, type StreamBreak } from './breakage.js';
import { planContinuation } from './continuationPlan.js';
import type { LiveStream } from './liveStream.js';
import { OverlapTrimmer } from './overlapTrimmer.js';
import { withAssistantPrefill } from './prefillRequest.js';
import { SpliceRewriter } from './spliceRewriter.js';
import type { StreamSummary } from './streamSummary.js';

export type ContinuationAttempt = (
  target: ModelProvider,
  json: Record<string, unknown>,
  attemptNo: number,
) => Promise<{ readonly ok: true; readonly stream: LiveStream } | { readonly ok: false; readonly outcome: AttemptOutcome }>;

export interface RecoveryDeps {
  readonly client: WireFormat;
  readonly clientJson: Record<string, unknown>;
  /** The primary's policy: it governs the whole request. */
  readonly policy: RetryPolicy | undefined;
  readonly primary: ModelProvider;
  readonly providers: readonly ModelProvider[];
  readonly shared: SharedState;
  /** Failed attempts before the commit point. */
  readonly earlier: readonly AttemptRecord[];
  /** Attempts made before the commit point, the committed one included. */
  readonly attemptsBefore: number;
  readonly now: () => number;
  readonly remainingMs: () => number;
  /** Aborts when the client goes away. */
  readonly clientSignal: AbortSignal;
  readonly log: FailoverLog;
  readonly requestId: string;
  readonly attempt: ContinuationAttempt;
}

export type Recovered =
  | { readonly kind: 'continued'; readonly stream: LiveStream; readonly splice: SpliceRewriter }
  | { readonly kind: 'complete' }
  | { readonly kind: 'end'; readonly message: string; readonly code: string }
  | { readonly kind: 'client-gone' };

export class StreamRecovery {
  /** Attempts in the request so far, continuations included. */
  attempts: number;
  /** One entry per break, for the x-switchyard-recovery trailer. */
  readonly notes: string[] = [];
  private readonly tried: ModelProvider[];
  private readonly failed: AttemptOutcome[];
  private continuations = 0;

  constructor(private readonly deps: RecoveryDeps) {
    this.attempts = deps.attemptsBefore;
    this.tried = deps.earlier.map((r) => r.target);
    this.failed = deps.earlier.map((r) => r.outcome);
  }

  async afterBreak(broken: ModelProvider, b: StreamBreak, summary: StreamSummary | undefined): Promise<Recovered> {
    const d = this.deps;
    const outcome = breakOutcome(b);
    const code = breakCode(b);
    const cb = d.policy?.circuitBreaker;
    if (cb !== undefined) d.shared.circuits.record(broken, cb, 'failure', d.now());
    d.log.info({ requestId: d.requestId, model: broken.model, attempt: this.attempts, outcome: code, streamedChars: summary?.text.length }, 'stream broken after commit');

    const ended = (reason: string): Recovered => {
      this.notes.push(`${code}; from=${broken.name}; result=error; reason=${reason}`);
      d.log.info({ requestId: d.requestId, model: broken.model, outcome: code, recovery: 'error', reason }, 'stream recovery');
      const streamed = summary === undefined ? '' : ` after ${summary.text.length} characters`;
      return { kind: 'end', code, message: `the upstream stream from ${broken.model} broke${streamed} (${describeBreak(b)}) and could not be continued (${reason})` };
    };
    if (summary === undefined) return ended('stream too large to continue');

    const plan = planContinuation({
      policy: d.policy,
      primary: d.primary,
      broken,
      outcome,
      summary,
      providers: d.providers,
      tried: [...this.tried, broken],
      earlier: this.failed,
      continuationAttempts: this.continuations,
      blocks: new LayeredBlockView(d.shared.blocks),
      nowMs: d.now(),
      remainingMs: d.remainingMs(),
    });
    this.tried.push(broken);
    if (plan.kind === 'complete') {
      this.notes.push(`${code}; from=${broken.name}; result=complete`);
      return plan;
    }
    if (plan.kind === 'end') return ended(plan.reason);

    const prefilled = withAssistantPrefill(d.client, d.clientJson, summary.text);
    for (const target of plan.targets) {
      if (d.clientSignal.aborted) return { kind: 'client-gone' };
      if (d.remainingMs() <= 0) return ended('deadline');
      if (cb !== undefined && !d.shared.circuits.admit(target, cb, d.now())) continue;
      this.continuations++;
      this.attempts++;
      const startedMs = d.now();
      const r = await d.attempt(target, prefilled.json, this.attempts);
      if (d.clientSignal.aborted) {
        if (r.ok) r.stream.reader.close();
        if (cb !== undefined) d.shared.circuits.record(target, cb, 'neutral', d.now());
        return { kind: 'client-gone' };
      }
      if (cb !== undefined) d.shared.circuits.record(target, cb, r.ok ? 'ok' : circuitVerdict(r.outcome), d.now());
      const outcomeText = r.ok ? 'continued' : errorTypeOf(r.outcome);
      d.log.info({ requestId: d.requestId, model: target.model, attempt: this.attempts, outcome: outcomeText, latencyMs: d.now() - startedMs, continuation: true }, 'upstream attempt');
      if (r.ok) {
        this.notes.push(`${code}; from=${broken.name}; result=continued; to=${target.name}`);
        d.log.info({ requestId: d.requestId, model: broken.model, outcome: code, recovery: 'continued', to: target.model }, 'stream recovery');
        const splice = new SpliceRewriter(d.client, summary, new OverlapTrimmer(summary.text, prefilled.heldBack));
        return { kind: 'continued', stream: r.stream, splice };
      }
      this.tried.push(target);
    }
    return ended('every continuation attempt failed');
  }
}
