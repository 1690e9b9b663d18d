// Starts tracing when the plan says so. The OpenTelemetry SDK and exporters are
// imported here, lazily, so a gateway with tracing off never loads them.
import type { TracingSettings } from '../../config/types.js';
import { describePlan, planTracing } from './plan.js';
import type { GatewayTracer } from './requestTrace.js';
import type { TracingLog } from './otel.js';

export interface TracingStartLog extends TracingLog {
  info(obj: object, msg: string): void;
}

export async function startTracing(
  settings: TracingSettings,
  env: NodeJS.ProcessEnv,
  redact: (s: string) => string,
  log: TracingStartLog,
): Promise<GatewayTracer | undefined> {
  const plan = planTracing(settings, env);
  if (plan.kind === 'off') {
    if (plan.problem) log.warn({ reason: plan.reason }, 'tracing is off');
    return undefined;
  }
  const description = redact(describePlan(plan, env));
  const { startOtelTracer } = await import('./otel.js');
  const tracer = await startOtelTracer(plan, description, redact, log, env);
  log.info({ tracing: description }, 'tracing on');
  return tracer;
}
