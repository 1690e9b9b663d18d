// One upstream attempt as the orchestrator sees it: send the request for a
// target, and turn whatever happens into success (an Answer) or an outcome.
import type { WireFormat } from '../dialects/wireFormat.js';
import type { IncomingHttpHeaders } from 'node:http';
import { DEFAULT_STREAM_COMMIT } from '../config/streamSettings.js';
import type { ModelProvider, RetryPolicy, StreamCommit } from '../config/types.js';
import type { AttemptResult, RunAttempt } from '../failover/orchestrator.js';
import { parseRetryAfterMs } from '../failover/retryAfter.js';
import { upstreamHeaders, type ClientHeaders } from './headers.js';
import { sendUpstream } from './send.js';
import { CHECKED_ANSWER_LIMIT, collectAnswer, readErrorBody, sseAnswer, type AttemptAnswer } from './answer.js';
import { decodedBody } from './decode.js';
import { ClientBody } from '../providers/clientBody.js';
import { buildUpstreamBody, exchangeFormat, upstreamPath, wireLength, type UpstreamBody, type WireBody } from '../providers/upstreamRequest.js';
import type { ResponsesContext } from '../dialects/index.js';
import type { AttemptLimits } from '../failover/attemptLimits.js';
import type { RaceLink } from '../failover/runTypes.js';
import type { ContinuationAttempt } from '../streaming/recovery.js';
import { startStream } from '../streaming/streamStart.js';
import { translateCompleteAnswer } from './translateAnswer.js';
import { attemptWhole, timedOut } from './wholeAttempt.js';
import type { AttemptControl } from './attemptControl.js';

export type { AttemptAnswer } from './answer.js';
import type { RequestScope } from './requestScope.js';
import type { UpstreamPools } from './pools.js';

export interface PreparedRequest {
  readonly client: WireFormat;
  /** The client's request body (continuations extend its parsed tree). */
  readonly clientBody: ClientBody;
  /** ClientRequest.hintHeaders, for continuation bodies (Messages clients only). */
  readonly hintHeaders?: readonly string[];
  /** The upstream body for a target, or which field cannot be expressed there. */
  readonly bodyFor: (target: ModelProvider) => UpstreamBody;
  readonly clientHeaders: ClientHeaders;
  /** The client's query string without "?", kept on every attempt. */
  readonly query: string;
  readonly stream: boolean;
  /** OpenAI clients: stream_options.include_usage was set. */
  readonly includeUsage: boolean;
  /** Anthropic clients that asked to see thinking: reasoning becomes unsigned thinking blocks. */
  readonly thinkingBlocks?: boolean;
  /** The primary's policy, which governs stream guards and the commit point for every attempt. */
  readonly policy: RetryPolicy | undefined;
  /** A Responses client: what its whole answers are made with (the gateway's id, the request echoed). */
  readonly responses?: ResponsesContext;
  /**
   * Headers that carry the trace to the provider (W3C traceparent) for one
   * attempt, replacing any the client sent; absent when tracing is off.
   */
  readonly traceHeaders?: ((attemptNo: number) => Readonly<Record<string, string>> | undefined) | undefined;
}

/** A continuation is relayed as it comes: the client is already receiving. */
const IMMEDIATE: StreamCommit = { mode: 'immediate' };

function isEventStream(headers: IncomingHttpHeaders): boolean {
  const type = headers['content-type'];
  return typeof type === 'string' && type.toLowerCase().startsWith('text/event-stream');
}

/**
 * Sends one built body to target and reads its answer up to the commit point.
 * Not async itself: a whole answer's attempt is attemptWhole's promise, with no
 * frame of its own around it (it is the most common request).
 */
function attemptOnce(
  pools: UpstreamPools,
  prepared: PreparedRequest,
  scope: RequestScope,
  target: ModelProvider,
  attemptNo: number,
  body: WireBody,
  commit: StreamCommit,
  limits: AttemptLimits,
  race?: RaceLink,
): Promise<AttemptResult<AttemptAnswer>> {
  // A stream's first-token clock starts at send, so a shorter first-token limit also bounds the first byte.
  const tokenBound = prepared.stream && limits.firstTokenMs < limits.firstByteMs;
  const phase = tokenBound ? 'first-token' : 'first-byte';
  const sentAt = performance.now();
  // Not clipped to the deadline: the scope ends the attempt there, on the
  // same clock the orchestrator decides by, so no attempt follows it.
  const firstByte = scope.beginAttempt(tokenBound ? limits.firstTokenMs : limits.firstByteMs, race !== undefined);
  if (race !== undefined) {
    // A race ends a losing attempt through the same switch as the deadline: its socket is closed.
    race.onCancel(() => { firstByte.abort('cancelled'); });
    firstByte.onMilestone = (milestone) => { race.reached(milestone); };
  }
  const headers = upstreamHeaders(target, prepared.clientHeaders, wireLength(body), prepared.traceHeaders?.(attemptNo));
  const format = exchangeFormat(target.endpoint, prepared.client);
  const path = upstreamPath(target.endpoint, prepared.query, prepared.client);
  if (!prepared.stream) return attemptWhole(pools, { target, body, headers, path, format, client: prepared.client, responses: prepared.responses, thinkingBlocks: prepared.thinkingBlocks }, firstByte, sentAt);
  return attemptStreamed(pools, prepared, scope, { target, body, headers, path, format, commit, limits, phase, sentAt, race }, firstByte);
}

/** What attemptStreamed needs of the attempt attemptOnce set up. */
interface StreamedAttempt {
  readonly target: ModelProvider;
  readonly body: WireBody;
  readonly headers: Record<string, string>;
  readonly path: string;
  readonly format: WireFormat;
  readonly commit: StreamCommit;
  readonly limits: AttemptLimits;
  readonly phase: 'first-byte' | 'first-token';
  readonly sentAt: number;
  readonly race: RaceLink | undefined;
}

/** A streamed attempt, read to its commit point (or what it was sent back instead of a stream). */
async function attemptStreamed(
  pools: UpstreamPools,
  prepared: PreparedRequest,
  scope: RequestScope,
  { target, body, headers, path, format, commit, limits, phase, sentAt, race }: StreamedAttempt,
  firstByte: AttemptControl,
): Promise<AttemptResult<AttemptAnswer>> {
  try {
    const reply = await sendUpstream(pools, {
      target,
      body,
      headers,
      path,
      // Ends the call on client disconnect, the request deadline and the first-byte limit.
      signal: firstByte.signal,
    });
    if (!reply.ok) {
      const f = reply.failure;
      // Aborted while the client is still here: the first-byte limit or the deadline passed.
      return f.kind === 'aborted' ? timedOut(firstByte, sentAt, phase) : { kind: 'failure', outcome: f };
    }
    if (reply.status < 200 || reply.status >= 300) {
      firstByte.stop();
      const text = await readErrorBody(reply.headers, reply.body);
      const retryAfterMs = parseRetryAfterMs(reply.headers, Date.now());
      return { kind: 'failure', outcome: { kind: 'http-error', status: reply.status, retryAfterMs, body: text } };
    }
    if (isEventStream(reply.headers)) {
      // A stream's first byte is its first event: the limit runs on until then;
      // the first-token guard then runs on to the first content.
      const started = await startStream(reply.status, decodedBody(reply.headers, reply.body), reply.body, {
        target,
        format,
        guards: limits,
        commit,
        sentAt,
        signal: firstByte.signal,
        onFirstEvent: () => { firstByte.reachedFirstByte(); },
        onFirstToken: race === undefined ? undefined : () => { race.reached('first-token'); },
        maxHeldBytes: CHECKED_ANSWER_LIMIT,
      });
      if (!started.ok) {
        return firstByte.signal.aborted && !scope.gone ? timedOut(firstByte, sentAt, phase) : { kind: 'failure', outcome: started.outcome };
      }
      const firstContentAt = started.stream.firstContentAt;
      return {
        kind: 'success',
        ttfbMs: reply.ttfbMs,
        ttftMs: firstContentAt === undefined ? undefined : firstContentAt - sentAt,
        firstEventMs: started.firstEventAt - sentAt,
        response: { sentAt, answer: sseAnswer(reply.status, reply.headers, started.stream) },
      };
    }
    firstByte.stop();
    const collected = await collectAnswer(reply.status, reply.headers, reply.body);
    if (!collected.ok) return { kind: 'failure', outcome: collected.outcome };
    const answer = collected.answer.kind === 'complete' ? translateCompleteAnswer(collected.answer, format, prepared.client, prepared.responses, prepared.thinkingBlocks) : collected.answer;
    return { kind: 'success', ttfbMs: reply.ttfbMs, ttftMs: performance.now() - sentAt, response: { sentAt, answer } };
  } finally {
    firstByte.stop();
  }
}

export function attemptRunner(pools: UpstreamPools, prepared: PreparedRequest, scope: RequestScope): RunAttempt<AttemptAnswer> {
  const commit = prepared.policy?.streamCommit ?? DEFAULT_STREAM_COMMIT;
  // Not async itself: one promise per attempt fewer on the hot path.
  return (target, attemptNo, _remainingMs, plan): Promise<AttemptResult<AttemptAnswer>> => {
    const built = prepared.bodyFor(target);
    if (!built.ok) return Promise.resolve({ kind: 'failure', outcome: { kind: 'untranslatable', field: built.field, message: built.message } });
    return attemptOnce(pools, prepared, scope, target, attemptNo, built.body, commit, plan.limits, plan.race);
  };
}

/**
 * A continuation attempt after the commit point: the prefilled request, read
 * to its first content (the client is already waiting, so nothing is buffered).
 */
export function continuationRunner(pools: UpstreamPools, prepared: PreparedRequest, scope: RequestScope): ContinuationAttempt {
  return async (target, json, attemptNo, limits) => {
    const built = buildUpstreamBody({ dialect: prepared.client, body: ClientBody.ofTree(json), hintHeaders: prepared.hintHeaders }, target);
    if (!built.ok) return { ok: false, outcome: { kind: 'untranslatable', field: built.field, message: built.message } };
    const r = await attemptOnce(pools, prepared, scope, target, attemptNo, built.body, IMMEDIATE, limits);
    if (r.kind === 'failure') return { ok: false, outcome: r.outcome };
    const answer = r.response.answer;
    if (answer.kind === 'sse') return { ok: true, stream: answer.stream, ttfbMs: r.ttfbMs, ttftMs: r.ttftMs };
    // A whole JSON answer cannot be spliced into an event stream.
    return { ok: false, outcome: { kind: 'invalid-response', reason: 'not-json', status: answer.status, body: '' } };
  };
}
