// One upstream attempt as the orchestrator sees it: send the request for a
// target, and turn whatever happens into success (an Answer) or an outcome.
import type { IncomingHttpHeaders } from 'node:http';
import type { ModelProvider } from '../config/types.js';
import type { AttemptResult, RunAttempt } from '../failover/orchestrator.js';
import { parseRetryAfterMs } from '../failover/retryAfter.js';
import { upstreamHeaders, type ClientHeaders } from '../upstream/headers.js';
import { FirstByteTimer } from '../upstream/firstByteTimer.js';
import { sendUpstream } from '../upstream/send.js';
import { collectAnswer, type Answer } from './answer.js';
import type { ClientDialect } from '../dialects/translation.js';
import { upstreamPath, type UpstreamBody } from '../providers/upstreamRequest.js';
import { readSmallBody } from './relay.js';
import { startStream } from './streamStart.js';
import { translateCompleteAnswer } from './translateAnswer.js';
import type { RequestScope } from './requestScope.js';
import type { GatewayRuntime } from './runtime.js';

export interface PreparedRequest {
  readonly client: ClientDialect;
  /** The upstream body for a target, or which field cannot be expressed there. */
  readonly bodyFor: (target: ModelProvider) => UpstreamBody;
  readonly clientHeaders: ClientHeaders;
  /** The client's query string without "?", kept on every attempt. */
  readonly query: string;
  readonly stream: boolean;
  /** OpenAI clients: stream_options.include_usage was set. */
  readonly includeUsage: boolean;
}

export interface AttemptAnswer {
  readonly answer: Answer;
  /** performance.now() when the attempt was sent, for `measure: total`. */
  readonly sentAt: number;
}

function isEventStream(headers: IncomingHttpHeaders): boolean {
  const type = headers['content-type'];
  return typeof type === 'string' && type.toLowerCase().startsWith('text/event-stream');
}

/** An attempt ended by its first-byte limit or by the request deadline. */
function timedOut(firstByte: FirstByteTimer, sentAt: number): AttemptResult<AttemptAnswer> {
  const afterMs = firstByte.expired ? firstByte.limitMs : Math.round(performance.now() - sentAt);
  return { kind: 'failure', outcome: { kind: 'timeout', phase: 'first-byte', afterMs } };
}

export function attemptRunner(rt: GatewayRuntime, prepared: PreparedRequest, scope: RequestScope): RunAttempt<AttemptAnswer> {
  return async (target, _attemptNo, _signal, _remainingMs): Promise<AttemptResult<AttemptAnswer>> => {
    const built = prepared.bodyFor(target);
    if (!built.ok) return { kind: 'failure', outcome: { kind: 'untranslatable', field: built.field, message: built.message } };
    const body = built.body;
    const sentAt = performance.now();
    // Not clipped to the deadline: scope.signal ends the attempt there, on the
    // same clock the orchestrator decides by, so no attempt follows it.
    const firstByte = new FirstByteTimer(target.timeouts.firstByteMs, scope.signal);
    try {
      const reply = await sendUpstream(rt.pools, {
        target,
        body,
        headers: upstreamHeaders(target, prepared.clientHeaders, body.length),
        path: upstreamPath(target.endpoint, prepared.query),
        // Ends the call on client disconnect, the request deadline and the first-byte limit.
        signal: firstByte.signal,
      });
      if (!reply.ok) {
        const f = reply.failure;
        // Aborted while the client is still here: the first-byte limit or the deadline passed.
        return f.kind === 'aborted' ? timedOut(firstByte, sentAt) : { kind: 'failure', outcome: f };
      }
      if (reply.status < 200 || reply.status >= 300) {
        firstByte.stop();
        const text = await readSmallBody(reply.headers, reply.body);
        const retryAfterMs = parseRetryAfterMs(reply.headers, Date.now());
        return { kind: 'failure', outcome: { kind: 'http-error', status: reply.status, retryAfterMs, body: text } };
      }
      const format = target.endpoint.format;
      if (prepared.stream && isEventStream(reply.headers)) {
        // A stream's first byte is its first event: the limit runs on until then.
        const started = await startStream(reply.status, reply.headers, reply.body, {
          client: prepared.client,
          format,
          includeUsage: prepared.includeUsage,
        });
        if (!started.ok) return firstByte.signal.aborted && !scope.clientSignal.aborted ? timedOut(firstByte, sentAt) : { kind: 'failure', outcome: started.outcome };
        return { kind: 'success', ttfbMs: reply.ttfbMs, response: { sentAt, answer: started.answer } };
      }
      firstByte.stop();
      const collected = await collectAnswer(reply.status, reply.headers, reply.body);
      if (!collected.ok) return { kind: 'failure', outcome: collected.outcome };
      const answer = collected.answer.kind === 'complete' ? translateCompleteAnswer(collected.answer, format, prepared.client) : collected.answer;
      return { kind: 'success', ttfbMs: reply.ttfbMs, response: { sentAt, answer } };
    } finally {
      firstByte.stop();
    }
  };
}
