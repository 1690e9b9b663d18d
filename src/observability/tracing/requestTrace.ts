// The tracing seam, free of OpenTelemetry imports: the gateway talks to these
// interfaces, and the OTel implementation (otel.ts) is loaded only when
// tracing is on, so a gateway without tracing never loads the SDK.
import type { IncomingHttpHeaders } from 'node:http';
import type { ModelProvider } from '../../config/types.js';
import type { TokenUsage } from '../../dialects/tokenUsage.js';
import type { WireFormat } from '../../dialects/wireFormat.js';
import type { StreamObserver } from '../../streaming/observer.js';

export interface RequestTraceStart {
  readonly headers: IncomingHttpHeaders;
  readonly dialect: WireFormat;
  readonly path: string;
  readonly requestId: string;
  /** performance.now() when the request arrived. */
  readonly startedAt: number;
}

export interface RequestTraceEnd {
  readonly status: number;
  readonly answeredBy: ModelProvider | undefined;
  readonly usage: TokenUsage | undefined;
  /** The model the provider said answered. */
  readonly responseModel: string | undefined;
  readonly attempts: number;
}

/** One client request's span and its attempts' child spans. */
export interface RequestTrace extends StreamObserver {
  /** The requested model resolved to `primary`. */
  routed(primary: ModelProvider): void;
  /** The W3C headers (traceparent, tracestate) to send with attempt `attemptNo`. */
  attemptHeaders(attemptNo: number): Readonly<Record<string, string>> | undefined;
  end(result: RequestTraceEnd): void;
}

export interface GatewayTracer {
  /** Protocol and endpoint, for the start-up log line. */
  readonly description: string;
  startRequest(start: RequestTraceStart): RequestTrace;
  /** Sends the spans still queued and stops. */
  shutdown(): Promise<void>;
}
