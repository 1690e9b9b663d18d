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

/** Until shared state has a backend of its own to report on, it lives in this process's memory. */
const IN_MEMORY: SharedStateHealth = Object.freeze({ backend: 'memory', healthy: true, detail: null });

export class Observability implements RecorderSinks {
  readonly metrics: GatewayMetrics;
  readonly board = new StatusBoard();
  private retriesInBackoff = 0;

  constructor(
    private readonly live: () => LiveState,
    readonly tracer: GatewayTracer | undefined,
    private readonly sharedHealth: () => SharedStateHealth = () => IN_MEMORY,
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
