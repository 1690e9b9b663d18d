// The sampler behind each plan: random_sampling as a parent-based ratio, and
// OTEL_TRACES_SAMPLER's names as the SDK reads them when it builds a provider.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ROOT_CONTEXT, SpanKind } from '@opentelemetry/api';
import { SamplingDecision } from '@opentelemetry/sdk-trace-base';
import { samplerFor, type SamplerChoice } from '../../src/observability/tracing/sampler.js';

const describeEnv = (env: NodeJS.ProcessEnv): string => samplerFor({ kind: 'env' }, env).sampler.toString();

describe('tracing sampler', () => {
  it('takes random_sampling as a parent-based ratio, every trace at 100%', () => {
    assert.match(samplerFor({ kind: 'ratio', ratio: 1 }, {}).sampler.toString(), /^ParentBased\{root=AlwaysOnSampler/);
    assert.match(samplerFor({ kind: 'ratio', ratio: 0.25 }, {}).sampler.toString(), /^ParentBased\{root=TraceIdRatioBased\{0\.25\}/);
  });

  it('reads each OTEL_TRACES_SAMPLER name', () => {
    assert.match(describeEnv({}), /^ParentBased\{root=AlwaysOnSampler/);
    assert.equal(describeEnv({ OTEL_TRACES_SAMPLER: 'always_on' }), 'AlwaysOnSampler');
    assert.equal(describeEnv({ OTEL_TRACES_SAMPLER: 'always_off' }), 'AlwaysOffSampler');
    assert.match(describeEnv({ OTEL_TRACES_SAMPLER: 'parentbased_always_off' }), /^ParentBased\{root=AlwaysOffSampler/);
    assert.equal(describeEnv({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' }), 'TraceIdRatioBased{0.1}');
    assert.match(describeEnv({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.5' }), /^ParentBased\{root=TraceIdRatioBased\{0\.5\}/);
  });

  it('says what it could not take, and falls back as the SDK does', () => {
    const unknown = samplerFor({ kind: 'env' }, { OTEL_TRACES_SAMPLER: 'jaeger_remote' });
    assert.match(unknown.sampler.toString(), /^ParentBased\{root=AlwaysOnSampler/);
    assert.match(unknown.problem ?? '', /jaeger_remote/);
    const badArg = samplerFor({ kind: 'env' }, { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '7' });
    assert.equal(badArg.sampler.toString(), 'TraceIdRatioBased{1}');
    assert.match(badArg.problem ?? '', /between 0 and 1/);
    assert.equal(samplerFor({ kind: 'env' }, { OTEL_TRACES_SAMPLER: 'always_on' }).problem, undefined);
  });

  it('says every root is sampled only when its sampler samples every root, with no trace state', () => {
    const choices: [string, SamplerChoice][] = [
      ['ratio 1', samplerFor({ kind: 'ratio', ratio: 1 }, {})],
      ['ratio 0.25', samplerFor({ kind: 'ratio', ratio: 0.25 }, {})],
      ...['always_on', 'always_off', 'parentbased_always_on', 'parentbased_always_off', 'traceidratio', 'parentbased_traceidratio', 'jaeger_remote'].map(
        (name): [string, SamplerChoice] => [name, samplerFor({ kind: 'env' }, { OTEL_TRACES_SAMPLER: name, OTEL_TRACES_SAMPLER_ARG: '0.5' })],
      ),
    ];
    for (const [name, choice] of choices) {
      // Trace ids across the ratio's range: a ratio sampler keeps some and drops others.
      const decisions = ['00000000000000000000000000000001', '7fffffffffffffffffffffffffffffff', 'ffffffffffffffffffffffffffffffff'].map((traceId) =>
        choice.sampler.shouldSample(ROOT_CONTEXT, traceId, 'chat', SpanKind.SERVER, {}, []),
      );
      const every = decisions.every((d) => d.decision === SamplingDecision.RECORD_AND_SAMPLED && d.traceState === undefined);
      assert.equal(choice.rootsSampled, every, name);
    }
    assert.deepEqual(choices.filter(([, c]) => c.rootsSampled).map(([n]) => n), ['ratio 1', 'always_on', 'parentbased_always_on', 'jaeger_remote']);
  });
});
