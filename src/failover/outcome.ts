// What one upstream attempt ended with, as a value. The upstream client builds
// these; classification and the exhaustion body read them.
import type { ModelProvider } from '../config/types.js';

export type ConnectionFailure = 'refused' | 'reset' | 'tls' | 'dns' | 'other';

export type AttemptOutcome =
  | {
      readonly kind: 'http-error';
      readonly status: number;
      /** Parsed Retry-After (see parseRetryAfterMs), uncapped; the orchestrator caps it by policy. */
      readonly retryAfterMs?: number | undefined;
      readonly body: string;
    }
  | { readonly kind: 'connection-error'; readonly reason: ConnectionFailure }
  | { readonly kind: 'timeout'; readonly phase: 'connect' | 'first-byte' | 'first-token' | 'idle'; readonly afterMs: number }
  /**
   * A 2xx whose body is not an answer: not JSON, HTML, a JSON error object, or
   * cut before it ended. Treated like a 502 from that provider.
   */
  | { readonly kind: 'invalid-response'; readonly reason: 'not-json' | 'error-body' | 'truncated'; readonly status: number; readonly body: string }
  /** The request cannot be expressed in the target's wire format (e.g. `n > 1` on Anthropic). Never retried. */
  | { readonly kind: 'untranslatable'; readonly field: string; readonly message: string }
  /** An attempt the caller abandoned for being slower than on_high_latency.threshold_ms. */
  | { readonly kind: 'high-latency'; readonly latencyMs: number; readonly thresholdMs: number };

/**
 * A 2xx body whose connection broke before it ended. Before or after a stream's
 * commit point, streaming or not, it is the same failure: a reset connection,
 * governed by the timeout rule (a clean end before the final event is a
 * truncated answer instead, see 'invalid-response').
 */
export const BODY_CUT: AttemptOutcome = Object.freeze({ kind: 'connection-error', reason: 'reset' });

/** One failed attempt, as listed in logs and in the retry_exhausted body. */
export interface AttemptRecord {
  readonly target: ModelProvider;
  /** 1-based attempt number within the request. */
  readonly attempt: number;
  readonly errorType: string;
  readonly outcome: AttemptOutcome;
  /** The policy rule that governed it (ruleLabel: on_timeout, on_status_codes[0], …); undefined: none, it was passed through. */
  readonly rule?: string | undefined;
}

const CONNECTION_ERROR_TYPES: Readonly<Record<ConnectionFailure, string>> = {
  refused: 'connection_refused',
  reset: 'connection_reset',
  tls: 'connection_tls',
  dns: 'connection_dns',
  other: 'connection_error',
};

/** `http_429`, `timeout_5000ms`, `connection_refused`, `high_latency_1200ms_threshold_1000ms`. */
export function errorTypeOf(outcome: AttemptOutcome): string {
  switch (outcome.kind) {
    case 'http-error':
      return `http_${outcome.status}`;
    case 'connection-error':
      return CONNECTION_ERROR_TYPES[outcome.reason];
    case 'timeout':
      return `timeout_${outcome.afterMs}ms`;
    case 'invalid-response':
      return `invalid_response_${outcome.reason.replace('-', '_')}`;
    case 'untranslatable':
      return `untranslatable_${outcome.field}`;
    case 'high-latency':
      return `high_latency_${outcome.latencyMs}ms_threshold_${outcome.thresholdMs}ms`;
  }
}
