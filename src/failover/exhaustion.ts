// The retry_exhausted answer: status, JSON body and Retry-After. Pure.
import type { AttemptOutcome, AttemptRecord } from './outcome.js';

export interface ExhaustionInput {
  /** Failed attempts in order; empty when every candidate was blocked up front. */
  readonly attempts: readonly AttemptRecord[];
  readonly budgetExhausted: boolean;
  /** Time until the earliest relevant block ends, when one is known. */
  readonly shortestRemainingBlockMs: number | undefined;
  /** Status when no attempt was made: 429 (all blocked) unless given, e.g. 504 for a spent deadline. */
  readonly statusWithoutAttempts?: number;
}

export interface ExhaustionResponse {
  readonly status: number;
  /** Serialized JSON, ready to send. */
  readonly body: string;
  /** For the Retry-After header; undefined when no block is known. */
  readonly retryAfterSeconds: number | undefined;
}

/**
 * The status an outcome maps to: the upstream's own status, 504 for a timeout
 * (or an abandoned slow attempt), 502 for a connection that failed outright.
 */
export function statusForOutcome(outcome: AttemptOutcome): number {
  switch (outcome.kind) {
    case 'http-error':
      return outcome.status;
    case 'timeout':
    case 'high-latency':
      return 504;
    case 'connection-error':
    case 'invalid-response':
      return 502;
    case 'untranslatable':
      return 400;
  }
}

function parsedBody(text: string): unknown {
  const t = text.trimStart();
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // Not JSON after all: keep the text.
    }
  }
  return text;
}

function lastError(outcome: AttemptOutcome, errorType: string): { status: number; body: unknown } {
  const status = statusForOutcome(outcome);
  switch (outcome.kind) {
    case 'http-error':
    case 'invalid-response':
      return { status, body: parsedBody(outcome.body) };
    case 'untranslatable':
      return { status, body: { field: outcome.field, message: outcome.message } };
    default:
      return { status, body: errorType };
  }
}

/**
 * Status: the last attempt's (see statusForOutcome); 429 when no attempt was
 * made (every candidate blocked), or statusWithoutAttempts. `last_error` is
 * null then.
 *
 * When the last candidate could not take the request (untranslatable: a
 * contract, or any hint under `translation: strict`), the answer is that 400,
 * even after an earlier provider's 429 or 5xx: retrying the same request later
 * would meet the same refusal on the fallback, so the client is told what to
 * change. The earlier provider's error stays in `attempts`, and Retry-After
 * still says when its block ends.
 */
export function buildExhaustionBody(input: ExhaustionInput): ExhaustionResponse {
  const last = input.attempts.at(-1);
  const blockSeconds =
    input.shortestRemainingBlockMs === undefined
      ? undefined
      : Math.max(1, Math.ceil(input.shortestRemainingBlockMs / 1000));
  const body = {
    error: {
      message:
        last?.outcome.kind === 'untranslatable'
          ? `All retry attempts exhausted; the last candidate cannot take this request: ${last.outcome.message}`
          : 'All retry attempts exhausted',
      type: 'retry_exhausted',
      attempts: input.attempts.map((a) => ({ model: a.target.model, error_type: a.errorType, attempt: a.attempt, rule: a.rule })),
      total_attempts: input.attempts.length,
      retry_budget_exhausted: input.budgetExhausted,
      shortest_remaining_block_seconds: blockSeconds ?? null,
      last_error: last === undefined ? null : lastError(last.outcome, last.errorType),
    },
  };
  return {
    status: last === undefined ? (input.statusWithoutAttempts ?? 429) : statusForOutcome(last.outcome),
    body: JSON.stringify(body),
    retryAfterSeconds: blockSeconds,
  };
}
