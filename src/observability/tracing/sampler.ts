// The SDK sampler the plan asks for. OTEL_TRACES_SAMPLER is read as the SDK
// reads it when it builds a tracer provider: the gateway records its own spans
// (see spanRecord.ts), so it builds the sampler itself, from the SDK's classes.
import { AlwaysOffSampler, AlwaysOnSampler, ParentBasedSampler, TraceIdRatioBasedSampler, type Sampler } from '@opentelemetry/sdk-trace-base';
import type { TracingPlan } from './plan.js';

type SamplerPlan = Extract<TracingPlan, { kind: 'on' }>['sampler'];

export interface SamplerChoice {
  readonly sampler: Sampler;
  /**
   * Every root span (no parent) is sampled, with no trace state: the tracer
   * need not ask the sampler about a request that came without a traceparent
   * (a call through the parent-based sampler and a result object a request).
   */
  readonly rootsSampled: boolean;
  /** Set when the environment named something the SDK would not take, and a default was used instead. */
  readonly problem?: string;
}

function ratioFrom(arg: string | undefined): { ratio: number; problem?: string } {
  const value = arg === undefined || arg.trim() === '' ? undefined : Number(arg);
  if (value === undefined) return { ratio: 1, problem: 'OTEL_TRACES_SAMPLER_ARG is not set; sampling every trace' };
  if (!(value >= 0 && value <= 1)) return { ratio: 1, problem: `OTEL_TRACES_SAMPLER_ARG "${arg}" is not between 0 and 1; sampling every trace` };
  return { ratio: value };
}

export function samplerFor(plan: SamplerPlan, env: NodeJS.ProcessEnv): SamplerChoice {
  // Every trace (random_sampling: 100): no look at the trace id.
  if (plan.kind === 'ratio') return { sampler: new ParentBasedSampler({ root: plan.ratio >= 1 ? new AlwaysOnSampler() : new TraceIdRatioBasedSampler(plan.ratio) }), rootsSampled: plan.ratio >= 1 };
  const name = env['OTEL_TRACES_SAMPLER']?.trim() || 'parentbased_always_on';
  switch (name) {
    case 'always_on':
      return { sampler: new AlwaysOnSampler(), rootsSampled: true };
    case 'always_off':
      return { sampler: new AlwaysOffSampler(), rootsSampled: false };
    case 'parentbased_always_on':
      return { sampler: new ParentBasedSampler({ root: new AlwaysOnSampler() }), rootsSampled: true };
    case 'parentbased_always_off':
      return { sampler: new ParentBasedSampler({ root: new AlwaysOffSampler() }), rootsSampled: false };
    case 'traceidratio': {
      const { ratio, problem } = ratioFrom(env['OTEL_TRACES_SAMPLER_ARG']);
      return { sampler: new TraceIdRatioBasedSampler(ratio), rootsSampled: false, ...(problem === undefined ? {} : { problem }) };
    }
    case 'parentbased_traceidratio': {
      const { ratio, problem } = ratioFrom(env['OTEL_TRACES_SAMPLER_ARG']);
      return { sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) }), rootsSampled: false, ...(problem === undefined ? {} : { problem }) };
    }
    default:
      return { sampler: new ParentBasedSampler({ root: new AlwaysOnSampler() }), rootsSampled: true, problem: `OTEL_TRACES_SAMPLER "${name}" is not a sampler the SDK knows; using parentbased_always_on` };
  }
}
