// A non-streaming attempt: send, read the whole answer through the dispatch
// client, and decide what it is (an answer, an upstream error, or a broken
// body) before anything reaches the client.
import type { IncomingHttpHeaders } from 'node:http';
import type { WireBody } from '../providers/upstreamRequest.js';
import type { WireFormat } from '../dialects/wireFormat.js';
import type { ModelProvider } from '../config/types.js';
import type { ResponsesContext } from '../dialects/index.js';
import { BODY_CUT } from '../failover/outcome.js';
import type { AttemptResult } from '../failover/orchestrator.js';
import { parseRetryAfterMs } from '../failover/retryAfter.js';
import type { AttemptControl } from './attemptControl.js';
import { collectUpstream, type CollectedReply } from './collect.js';
import { CHECKED_ANSWER_LIMIT, largeAnswer, readErrorBody, wholeAnswer, type AttemptAnswer } from './answer.js';
import { decodedBody, decodeWholeBody } from './decode.js';
import { translateCompleteAnswer } from './translateAnswer.js';
import type { UpstreamPools } from './pools.js';

/** An attempt ended by its first-byte limit or by the request deadline. */
export function timedOut(control: AttemptControl, sentAt: number, phase: 'first-byte' | 'first-token'): AttemptResult<AttemptAnswer> {
  const afterMs = control.expired ? control.limitMs : Math.round(performance.now() - sentAt);
  return { kind: 'failure', outcome: { kind: 'timeout', phase: control.expired ? phase : 'first-byte', afterMs } };
}

export interface WholeRequest {
  readonly target: ModelProvider;
  readonly body: WireBody;
  readonly headers: Record<string, string>;
  readonly path: string;
  /** What the upstream speaks in this exchange. */
  readonly format: WireFormat;
  readonly client: WireFormat;
  readonly responses: ResponsesContext | undefined;
  /** Anthropic clients: reasoning becomes unsigned thinking blocks. */
  readonly thinkingBlocks: boolean | undefined;
}

/**
 * Sends the request and makes an attempt's result of the whole reply. A
 * reaction on the reply rather than an async frame around it: this runs on
 * every non-streaming request, and each frame is a promise and a microtask turn.
 */
export function attemptWhole(
  pools: UpstreamPools,
  req: WholeRequest,
  control: AttemptControl,
  sentAt: number,
): Promise<AttemptResult<AttemptAnswer>> {
  // The first-byte limit is over either way: the headers came, the call ended without them, or it threw.
  return collectUpstream(pools, req, control, CHECKED_ANSWER_LIMIT).then(
    (reply) => {
      control.stop();
      return resultOf(reply, req, control, sentAt);
    },
    (err: unknown) => {
      control.stop();
      throw err;
    },
  );
}

/** An attempt's result from its reply; a promise only while a long error body is read. */
function resultOf(reply: CollectedReply, req: WholeRequest, control: AttemptControl, sentAt: number): AttemptResult<AttemptAnswer> | Promise<AttemptResult<AttemptAnswer>> {
  if (!reply.ok) {
    const f = reply.failure;
    return f.kind === 'aborted' ? timedOut(control, sentAt, 'first-byte') : { kind: 'failure', outcome: f };
  }
  const { status, headers } = reply;
  if (status < 200 || status >= 300) {
    if (reply.kind === 'large') return readErrorBody(headers, reply.stream).then((text) => httpError(status, headers, text));
    return httpError(status, headers, (decodeWholeBody(headers, reply.body) ?? reply.body).toString('utf8'));
  }
  if (reply.kind === 'large') {
    // Relayed as it arrives: its first token is (about) its first byte.
    return { kind: 'success', ttfbMs: reply.ttfbMs, ttftMs: reply.ttfbMs, response: { sentAt, answer: largeAnswer(status, headers, [], decodedBody(headers, reply.stream)) } };
  }
  if (reply.kind === 'broken') return { kind: 'failure', outcome: BODY_CUT };
  const decoded = decodeWholeBody(headers, reply.body);
  if (decoded === undefined) {
    return { kind: 'failure', outcome: { kind: 'invalid-response', reason: 'truncated', status, body: reply.body.toString('utf8') } };
  }
  const checked = wholeAnswer(status, headers, decoded);
  if (!checked.ok) return { kind: 'failure', outcome: checked.outcome };
  const answer = checked.answer.kind === 'complete' ? translateCompleteAnswer(checked.answer, req.format, req.client, req.responses, req.thinkingBlocks) : checked.answer;
  return { kind: 'success', ttfbMs: reply.ttfbMs, ttftMs: performance.now() - sentAt, response: { sentAt, answer } };
}

function httpError(status: number, headers: IncomingHttpHeaders, body: string): AttemptResult<AttemptAnswer> {
  return { kind: 'failure', outcome: { kind: 'http-error', status, retryAfterMs: parseRetryAfterMs(headers, Date.now()), body } };
}
