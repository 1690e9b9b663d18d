// What a chat or Responses request sends each target, and what the
// translations left out. Both handlers use this one seam, so the
// x-switchyard-dropped header, the debug line and the access line's `dropped`
// mean the same thing on /v1/chat/completions, /v1/messages and /v1/responses.
import type { ModelProvider } from '../config/types.js';
import { DROPPED_HEADER, droppedHeaderValue } from '../dialects/index.js';
import type { FailoverResult } from '../failover/orchestrator.js';
import type { AccessNotes } from '../observability/accessLog.js';
import type { Logger } from '../observability/logger.js';
import { buildUpstreamBody, type ClientRequest, type UpstreamBody } from '../providers/upstreamRequest.js';
import type { AttemptAnswer, PreparedRequest } from '../upstream/attempt.js';

type BodyFor = PreparedRequest['bodyFor'];

/**
 * The body for each target, built once per distinct target (same-model
 * retries resend the same bytes); the hints a target's translation dropped
 * are logged once, when its body is built.
 */
export function upstreamBodies(client: ClientRequest, log: Logger, requestId: string): BodyFor {
  const bodies = new Map<string, UpstreamBody>();
  return (target) => {
    let body = bodies.get(target.name);
    if (!body) {
      body = buildBodyOrRefuse(client, target);
      bodies.set(target.name, body);
      if (body.ok && body.dropped.length > 0) log.debug({ requestId, model: target.name, dropped: body.dropped }, 'hints dropped in translation');
    }
    return body;
  };
}

/**
 * Translation assumes the shapes the wire types describe; a client can send
 * anything (`"tools": " "`, `"messages": [null]`). Whatever the translator
 * trips over is the request's fault, so it becomes a 400, never a 500.
 */
function buildBodyOrRefuse(client: ClientRequest, target: ModelProvider): UpstreamBody {
  try {
    return buildUpstreamBody(client, target);
  } catch {
    return {
      ok: false,
      field: client.dialect === 'responses' ? 'input' : 'request',
      message: `the request has a field of an unexpected type and cannot be translated to the ${target.endpoint.format} format of ${target.model}`,
    };
  }
}

/** x-switchyard-dropped for the entry that answered: what its translation left out. */
export function droppedHeaders(bodyFor: BodyFor, target: ModelProvider): Record<string, string> | undefined {
  const built = bodyFor(target);
  const value = built.ok ? droppedHeaderValue(built.dropped) : undefined;
  return value === undefined ? undefined : { [DROPPED_HEADER]: value };
}

/** The access line's entry, attempts and dropped hints, from how the failover ended. */
export function noteResult(access: AccessNotes, bodyFor: BodyFor, result: FailoverResult<AttemptAnswer>): void {
  const target = result.kind === 'success' || result.kind === 'passthrough' ? result.target : result.failures.at(-1)?.target;
  access.attempts = attemptsSent(result);
  if (target === undefined) return;
  access.entry = target.name;
  const built = bodyFor(target);
  if (built.ok) access.dropped = droppedHeaderValue(built.dropped);
}

/** Attempts that reached a provider: a target skipped as untranslatable was sent nothing. */
function attemptsSent(result: FailoverResult<AttemptAnswer>): number {
  const made = result.kind === 'exhausted' ? result.failures.length : result.attemptCount;
  // The common answer, first try: nothing to count out (and nothing to allocate).
  if (result.failures.length === 0 && result.kind === 'success') return made;
  const skipped = new Set(result.failures.filter((f) => f.outcome.kind === 'untranslatable').map((f) => f.attempt));
  if (result.kind === 'passthrough' && result.outcome.kind === 'untranslatable') skipped.add(result.attemptCount);
  return made - skipped.size;
}
