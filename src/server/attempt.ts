// One upstream attempt as the orchestrator sees it: send the request for a
// target, and turn whatever happens into success (an Answer) or an outcome.
import type { ModelProvider } from '../config/types.js';
import type { AttemptResult, RunAttempt } from '../failover/orchestrator.js';
import { parseRetryAfterMs } from '../failover/retryAfter.js';
import { upstreamHeaders, type ClientHeaders } from '../upstream/headers.js';
import { sendUpstream } from '../upstream/send.js';
import { collectAnswer, type Answer } from './answer.js';
import { readSmallBody, streamAnswer } from './relay.js';
import type { RequestScope } from './requestScope.js';
import type { GatewayRuntime } from './runtime.js';

export interface PreparedRequest {
  /** The upstream body for a target, or an error value when it cannot be expressed there. */
  readonly bodyFor: (target: ModelProvider) => Buffer;
  readonly clientHeaders: ClientHeaders;
  readonly stream: boolean;
}

export interface AttemptAnswer {
  readonly answer: Answer;
  /** performance.now() when the attempt was sent, for `measure: total`. */
  readonly sentAt: number;
}

export function attemptRunner(rt: GatewayRuntime, prepared: PreparedRequest, scope: RequestScope): RunAttempt<AttemptAnswer> {
  return async (target, _attemptNo, _signal, remainingMs): Promise<AttemptResult<AttemptAnswer>> => {
    const body = prepared.bodyFor(target);
    const firstByteMs = Math.max(1, Math.min(target.timeouts.firstByteMs, remainingMs));
    const sentAt = performance.now();
    const reply = await sendUpstream(rt.pools, {
      target,
      body,
      headers: upstreamHeaders(target, prepared.clientHeaders, body.length),
      // Ends the call on client disconnect and on the request deadline.
      signal: scope.signal,
      firstByteMs,
    });
    if (!reply.ok) {
      const f = reply.failure;
      if (f.kind !== 'aborted') return { kind: 'failure', outcome: f };
      // Aborted while the client is still here means the request deadline passed.
      return { kind: 'failure', outcome: { kind: 'timeout', phase: 'first-byte', afterMs: Math.round(performance.now() - sentAt) } };
    }
    if (reply.status < 200 || reply.status >= 300) {
      const text = await readSmallBody(reply.headers, reply.body);
      const retryAfterMs = parseRetryAfterMs(reply.headers, Date.now());
      return { kind: 'failure', outcome: { kind: 'http-error', status: reply.status, retryAfterMs, body: text } };
    }
    if (prepared.stream) {
      return {
        kind: 'success',
        ttfbMs: reply.ttfbMs,
        response: { sentAt, answer: streamAnswer(reply.status, reply.headers, reply.body) },
      };
    }
    const collected = await collectAnswer(reply.status, reply.headers, reply.body);
    if (!collected.ok) return { kind: 'failure', outcome: collected.outcome };
    return { kind: 'success', ttfbMs: reply.ttfbMs, response: { sentAt, answer: collected.answer } };
  };
}
