// The recovery a streamed success carries past its commit point: the same for
// chat, Messages and Responses clients, so both handlers build it here.
import type { ModelProvider } from '../config/types.js';
import { systemClock } from '../failover/clock.js';
import type { FailoverResult } from '../failover/orchestrator.js';
import type { RequestRecorder } from '../observability/requestRecorder.js';
import { StreamRecovery } from '../streaming/recovery.js';
import { continuationRunner, type AttemptAnswer, type PreparedRequest } from '../upstream/attempt.js';
import type { RequestScope } from '../upstream/requestScope.js';
import type { GatewayRuntime } from './runtime.js';

type StreamedSuccess = Extract<FailoverResult<AttemptAnswer>, { kind: 'success' }>;

export function streamRecoveryFor(
  rt: GatewayRuntime,
  prepared: PreparedRequest,
  scope: RequestScope,
  primary: ModelProvider,
  requestId: string,
  result: StreamedSuccess,
  rec: RequestRecorder,
): StreamRecovery {
  return new StreamRecovery({
    client: prepared.client,
    clientJson: () => prepared.clientBody.json,
    session: result.session,
    hasPolicy: primary.retryPolicy !== undefined,
    now: () => systemClock.now(),
    clientGone: () => scope.gone,
    log: rt.log,
    requestId,
    attempt: continuationRunner(rt.pools, prepared, scope),
    observer: rec,
  });
}
