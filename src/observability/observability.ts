// Everything observability keeps for the life of the process, across config
// reloads: the Prometheus registry, the status board, the tracer (when tracing
// is on) and the count of retries in backoff. Each chat request gets a
// RequestRecorder from here.
import type { IncomingHttpHeaders } from 'node:http';
import type { Config } from '../config/types.js';
import type { WireFormat } from '../dialects/wireFormat.js';
import type { SharedState } from '../state/sharedState.js';
import { BUILD } from './buildInfo.js';
import { GatewayMetrics } from './metrics.js';
import { RequestRecorder, type RecorderSinks } from './requestRecorder.js';
import { StatusBoard } from './statusBoard.js';
import { buildStatusSnapshot, type SharedStateHealth, type StatusSnapshot } from './statusSnapshot.js';
import type { GatewayTracer } from './tracing/requestTrace.js';

/** The running config and shared state, read when a scrape or the status asks. */
export interface LiveState {
  readonly config: Config;
  readonly shared: SharedState;
}

const IN_MEMORY: SharedStateHealth = Object.freeze({ backend: 'memory', healthy: true, detail: null });

/** The status view of the shared state: memory, or a fleet's Redis and whether this replica shares it now. */
function sharedStateHealthOf(shared: SharedState): SharedStateHealth {
  const health = shared.link.health();
  if (health.type === 'memory') return IN_MEMORY;
  const healthy = health.status === 'connected';
  return { backend: `redis ${health.endpoint}`, healthy, detail: healthy ? null : `${health.status}${health.problem === undefined ? '' : `: ${health.problem}`}` };
}

export class Observability implements RecorderSinks {
  readonly metrics: GatewayMetrics;
  readonly board = new StatusBoard();
  private retriesInBackoff = 0;

  constructor(
    private readonly live: () => LiveState,
    readonly tracer: GatewayTracer | undefined,
    private readonly sharedHealth: () => SharedStateHealth = () => sharedStateHealthOf(live().shared),
  ) {
    this.metrics = new GatewayMetrics(() => ({ ...live(), retriesInBackoff: this.retriesInBackoff }));
  }

  backoffStarted(): void {
    this.retriesInBackoff++;
  }

  backoffEnded(): void {
    this.retriesInBackoff--;
  }

  /** A chat request arrived (performance.now() `startedAt`). */
  startRequest(dialect: WireFormat, requestId: string, headers: IncomingHttpHeaders, path: string, startedAt: number): RequestRecorder {
    const trace = this.tracer?.startRequest({ headers, dialect, path, requestId, startedAt });
    return new RequestRecorder(this, dialect, requestId, trace, startedAt);
  }

  snapshot(nowMs = Date.now()): StatusSnapshot {
    const { config, shared } = this.live();
    return buildStatusSnapshot({
      config,
      shared,
      board: this.board,
      retriesInBackoff: this.retriesInBackoff,
      sharedHealth: this.sharedHealth(),
      version: BUILD.version,
      nowMs,
    });
  }

  async close(): Promise<void> {
    await this.tracer?.shutdown();
  }
}
