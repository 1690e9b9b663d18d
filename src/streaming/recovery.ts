// Recovery after the commit point. A break is one more failure of the
// request: the request's own FailoverSession notes it and decides what comes
// next, exactly as before the commit point, with one extra condition: once
// text was streamed, only entries that accept a prefill may continue it. What
// only a stream can rule out (its content already complete, a tool call in
// flight, an error already sent, a stream too large to replay) is checked
// first. Failures here are logged and recorded but never shown to the client:
// if nothing can continue, the client's error names the original break.
import type { ModelProvider } from '../config/types.js';
import type { WireFormat } from '../dialects/wireFormat.js';
import type { AttemptLimits } from '../failover/attemptLimits.js';
import type { CandidateFilter } from '../failover/candidates.js';
import { errorTypeOf, type AttemptOutcome } from '../failover/outcome.js';
import { ABANDONED } from '../failover/observer.js';
import type { FailoverLog } from '../failover/runTypes.js';
import type { FailoverSession, Step } from '../failover/session.js';
import { breakCode, breakOutcome, describeBreak, type StreamBreak } from './breakage.js';
import type { LiveStream } from './liveStream.js';
import type { RecoveryResult, StreamObserver } from './observer.js';
import { OverlapTrimmer } from './overlapTrimmer.js';
import { withAssistantPrefill } from './prefillRequest.js';
import { SpliceRewriter } from './spliceRewriter.js';
import type { StreamSummary } from './streamSummary.js';

export type ContinuationAttempt = (
  target: ModelProvider,
  json: Record<string, unknown>,
  attemptNo: number,
  limits: AttemptLimits,
) => Promise<
  | { readonly ok: true; readonly stream: LiveStream; readonly ttfbMs?: number; readonly ttftMs?: number }
  | { readonly ok: false; readonly outcome: AttemptOutcome }
>;

export interface RecoveryDeps {
  readonly client: WireFormat;
  /** The client's request, parsed only when a continuation is built. */
  readonly clientJson: () => Record<string, unknown>;
  /** The request's failover session, carried over from before the commit point. */
  readonly session: FailoverSession;
  /** Whether the primary has a retry policy: without one nothing is retried, continuations included. */
  readonly hasPolicy: boolean;
  readonly now: () => number;
  /** Whether the client went away (a function: no AbortSignal is made for the many streams that never break). */
  readonly clientGone: () => boolean;
  readonly log: FailoverLog;
  readonly requestId: string;
  readonly attempt: ContinuationAttempt;
  /** Told about the break, each continuation attempt and the result. */
  readonly observer?: StreamObserver;
}

export type Recovered =
  | { readonly kind: 'continued'; readonly stream: LiveStream; readonly splice: SpliceRewriter }
  | { readonly kind: 'complete' }
  | { readonly kind: 'end'; readonly message: string; readonly code: string }
  | { readonly kind: 'client-gone' };

const COMPLETE: RecoveryResult = Object.freeze({ kind: 'complete' });

/** Once text was streamed, a continuation must extend it: only entries that accept a prefill can. */
const acceptsPrefill = (p: ModelProvider): boolean => p.supportsPrefill;

/** A Responses stream is continued through a translation only: a native stream's events cannot be spliced. */
const translatedForResponses = (p: ModelProvider): boolean => p.endpoint.responsesPath === undefined;

function continuationFilter(client: WireFormat, textStreamed: boolean): CandidateFilter {
  if (client !== 'responses') return textStreamed ? acceptsPrefill : undefined;
  return textStreamed ? (p) => acceptsPrefill(p) && translatedForResponses(p) : translatedForResponses;
}

export class StreamRecovery {
  /** One entry per break, for the x-switchyard-recovery trailer. */
  readonly notes: string[] = [];

  constructor(private readonly deps: RecoveryDeps) {}

  /** Attempts in the request so far, continuations included. */
  get attempts(): number {
    return this.deps.session.attemptCount;
  }

  async afterBreak(broken: ModelProvider, b: StreamBreak, summary: StreamSummary | undefined): Promise<Recovered> {
    const d = this.deps;
    const outcome = breakOutcome(b);
    const code = breakCode(b);
    d.observer?.streamBroken(broken, b);
    d.session.noteFailure(broken, outcome);
    d.log.info({ requestId: d.requestId, model: broken.model, attempt: this.attempts, outcome: code, streamedChars: summary?.text.length }, 'stream broken after commit');

    const ended = (reason: string): Recovered => {
      this.notes.push(`${code}; from=${broken.name}; result=error; reason=${reason}`);
      d.log.info({ requestId: d.requestId, model: broken.model, outcome: code, recovery: 'error', reason }, 'stream recovery');
      d.observer?.streamRecovered(broken, { kind: 'error', reason });
      const streamed = summary === undefined ? '' : ` after ${summary.text.length} characters`;
      return { kind: 'end', code, message: `the upstream stream from ${broken.model} broke${streamed} (${describeBreak(b)}) and could not be continued (${reason})` };
    };
    if (summary === undefined) return ended('stream too large to continue');
    if (summary.finished && !summary.errored) {
      // The content was complete before the break: close the stream normally.
      this.notes.push(`${code}; from=${broken.name}; result=complete`);
      d.observer?.streamRecovered(broken, COMPLETE);
      return { kind: 'complete' };
    }
    if (!d.hasPolicy) return ended('no-policy');
    if (summary.errored) return ended('client-has-error');
    if (summary.toolCall) return ended('tool-call');

    const filter = continuationFilter(d.client, summary.text !== '');
    const prefilled = withAssistantPrefill(d.client, d.clientJson(), summary.text);
    let step: Step = await d.session.next(broken, outcome, filter);
    while (step.kind === 'attempt') {
      const { target, attemptNo, limits } = step;
      if (d.clientGone()) return this.gone(target);
      const startedMs = d.now();
      d.observer?.attemptStarted(target, attemptNo, true);
      const r = await d.attempt(target, prefilled.json, attemptNo, limits);
      if (d.clientGone()) {
        if (r.ok) r.stream.reader.close();
        d.observer?.attemptEnded(target, attemptNo, ABANDONED);
        return this.gone(target);
      }
      const latencyMs = d.now() - startedMs;
      const logged = { requestId: d.requestId, model: target.model, attempt: attemptNo, latencyMs, continuation: true };
      if (r.ok) {
        d.observer?.attemptEnded(target, attemptNo, { kind: 'answered', ttfbMs: r.ttfbMs, ttftMs: r.ttftMs });
        d.session.succeeded(target);
        d.log.info({ ...logged, outcome: 'continued' }, 'upstream attempt');
        this.notes.push(`${code}; from=${broken.name}; result=continued; to=${target.name}`);
        d.log.info({ requestId: d.requestId, model: broken.model, outcome: code, recovery: 'continued', to: target.model }, 'stream recovery');
        d.observer?.streamRecovered(broken, { kind: 'continued', to: target });
        // A Responses client's stream is spliced at the Chat Completions level, before it is sequenced.
        const splice = new SpliceRewriter(d.client === 'responses' ? 'openai' : d.client, summary, new OverlapTrimmer(summary.text, prefilled.heldBack));
        return { kind: 'continued', stream: r.stream, splice };
      }
      const record = d.session.noteFailure(target, r.outcome);
      d.log.info({ ...logged, outcome: errorTypeOf(r.outcome), rule: record?.rule }, 'upstream attempt');
      d.observer?.attemptEnded(target, attemptNo, { kind: 'failed', outcome: r.outcome });
      step = await d.session.next(target, r.outcome, filter);
    }
    const stop = step.result;
    if (stop.kind === 'client-gone') return { kind: 'client-gone' };
    return ended(stop.kind === 'exhausted' ? stop.reason : 'not-retriable');
  }

  private gone(target: ModelProvider): Recovered {
    this.deps.session.abandoned(target);
    return { kind: 'client-gone' };
  }
}
