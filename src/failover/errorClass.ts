// LLM-aware error classes, read from the provider's error body as well as the
// status, in both dialects. Pure.
import type { ErrorClass } from '../config/types.js';
import { readUpstreamError } from '../dialects/errors.js';
import type { AttemptOutcome } from './outcome.js';

const CONTEXT_CODES = new Set(['context_length_exceeded', 'string_above_max_length']);
const CONTEXT_TEXT = /prompt is too long|context length|context window|maximum context|too many (input )?tokens|input is too long/i;
const CONTENT_CODES = new Set(['content_policy_violation', 'content_filter', 'content_filtered', 'safety', 'responsible_ai_policy_violation']);
const CONTENT_TEXT = /content (management )?policy|content[_ ]filter|safety (system|filter)/i;

function fromDetails(status: number, body: string): ErrorClass | undefined {
  const d = readUpstreamError(status, body);
  const code = typeof d.code === 'string' ? d.code : '';
  const type = d.type ?? '';
  if (CONTEXT_CODES.has(code) || CONTEXT_CODES.has(type)) return 'context_length_exceeded';
  if (CONTENT_CODES.has(code) || CONTENT_CODES.has(type)) return 'content_policy';
  if (type === 'overloaded_error' || code === 'overloaded') return 'overloaded';
  // Anthropic says "prompt is too long" under a generic invalid_request_error.
  if (status === 400 || status === 413 || status < 300) {
    if (CONTEXT_TEXT.test(d.message)) return 'context_length_exceeded';
    if (CONTENT_TEXT.test(d.message)) return 'content_policy';
  }
  return undefined;
}

/** The error class of a failed attempt, or undefined when it is none of them. */
export function readErrorClass(outcome: AttemptOutcome): ErrorClass | undefined {
  switch (outcome.kind) {
    case 'http-error':
      if (outcome.status === 401 || outcome.status === 403) return 'auth';
      if (outcome.status === 529) return 'overloaded';
      if (outcome.body === '') return undefined;
      return fromDetails(outcome.status, outcome.body);
    case 'invalid-response':
      // An in-band error (a 200 whose body or first event is an error) carries its class in the body.
      return outcome.reason === 'error-body' ? fromDetails(outcome.status, outcome.body) : undefined;
    default:
      return undefined;
  }
}
