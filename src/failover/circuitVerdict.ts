// What a failed attempt says about the entry's health, for its circuit. Pure.
import type { CircuitVerdict } from '../state/circuitBreakers.js';
import type { AttemptOutcome } from './outcome.js';

/**
 * Failures: no connection, a timeout, a broken or error answer, 5xx and 408.
 * A 429 is neutral (Retry-After blocks handle it); other 4xx are the request's
 * fault and show the entry is up.
 */
export function judgeForCircuit(outcome: AttemptOutcome): CircuitVerdict {
  switch (outcome.kind) {
    case 'connection-error':
    case 'timeout':
    case 'invalid-response':
      return 'failure';
    case 'http-error':
      if (outcome.status >= 500 || outcome.status === 408) return 'failure';
      return outcome.status === 429 ? 'neutral' : 'ok';
    case 'untranslatable':
    case 'high-latency':
      return 'neutral';
  }
}
