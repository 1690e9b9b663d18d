// The stream guards one attempt runs under. Pure.
import type { ModelProvider, RetryPolicy } from '../config/types.js';
import { RETRY_POLICY_DEFAULTS } from '../config/defaults.js';

export interface StreamGuards {
  /** Send → first content-bearing event. */
  readonly firstTokenMs: number;
  /** Longest silence between events once content flows. */
  readonly idleMs: number;
}

/** The target's own setting wins (it knows its model), then the request policy's, then the default. */
export function streamGuardsFor(target: ModelProvider, policy: RetryPolicy | undefined): StreamGuards {
  return {
    firstTokenMs: target.streamGuards.firstTokenTimeoutMs ?? policy?.streamGuards.firstTokenTimeoutMs ?? RETRY_POLICY_DEFAULTS.first_token_timeout_ms,
    idleMs: target.streamGuards.idleTimeoutMs ?? policy?.streamGuards.idleTimeoutMs ?? RETRY_POLICY_DEFAULTS.idle_timeout_ms,
  };
}
