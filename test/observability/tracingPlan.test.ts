// When tracing runs, where spans go and how they are sampled.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NO_TRACING } from '../../src/config/tracing.js';
import type { TracingSettings } from '../../src/config/types.js';
import { describePlan, planTracing } from '../../src/observability/tracing/plan.js';

const file = (over: Partial<TracingSettings>): TracingSettings => ({ ...NO_TRACING, ...over });
const GRPC = file({ samplingPercent: 25, grpcEndpoint: 'http://collector:4317' });

describe('planTracing', () => {
  it('is off by default', () => {
    assert.equal(planTracing(NO_TRACING, {}).kind, 'off');
  });

  it("sends OTLP/gRPC to Plano's endpoint when random_sampling is above 0", () => {
    const plan = planTracing(GRPC, {});
    assert.ok(plan.kind === 'on');
    assert.equal(plan.protocol, 'grpc');
    assert.equal(plan.endpoint, 'http://collector:4317');
    assert.deepEqual(plan.sampler, { kind: 'ratio', ratio: 0.25 });
    assert.equal(plan.serviceName, 'switchyard');
  });

  it('needs random_sampling for the endpoint in the file to count', () => {
    assert.equal(planTracing(file({ grpcEndpoint: 'http://collector:4317' }), {}).kind, 'off');
  });

  it('is off with random_sampling 0, whatever the environment says', () => {
    assert.equal(planTracing(file({ samplingPercent: 0, grpcEndpoint: 'http://c:4317' }), { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' }).kind, 'off');
  });

  it('follows OTEL_EXPORTER_OTLP_ENDPOINT with the protocol OTEL_EXPORTER_OTLP_PROTOCOL names, http/protobuf by default', () => {
    const byDefault = planTracing(NO_TRACING, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' });
    assert.ok(byDefault.kind === 'on');
    assert.equal(byDefault.protocol, 'http/protobuf');
    assert.equal(byDefault.endpoint, 'http://c:4318/v1/traces', 'the signal path is appended over HTTP');
    assert.deepEqual(byDefault.sampler, { kind: 'env' });
    for (const protocol of ['grpc', 'http/json', 'http/protobuf'] as const) {
      const plan = planTracing(NO_TRACING, { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4318/v1/traces', OTEL_EXPORTER_OTLP_PROTOCOL: protocol });
      assert.ok(plan.kind === 'on' && plan.protocol === protocol);
    }
    const grpc = planTracing(NO_TRACING, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4317/', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' });
    assert.ok(grpc.kind === 'on' && grpc.endpoint === 'http://c:4317/', 'but not over gRPC');
    const own = planTracing(NO_TRACING, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://t:9999/traces' });
    assert.ok(own.kind === 'on' && own.endpoint === 'http://t:9999/traces', 'the traces endpoint is used as it is');
    const traces = planTracing(NO_TRACING, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json' });
    assert.ok(traces.kind === 'on' && traces.protocol === 'http/json', 'the traces-specific variable wins');
  });

  it('refuses an unknown protocol, as a problem worth a warning', () => {
    const plan = planTracing(NO_TRACING, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_PROTOCOL: 'carrier-pigeon' });
    assert.ok(plan.kind === 'off' && plan.problem);
  });

  it('lets OTEL_TRACES_SAMPLER decide sampling when set', () => {
    const plan = planTracing(GRPC, { OTEL_TRACES_SAMPLER: 'always_on' });
    assert.ok(plan.kind === 'on');
    assert.deepEqual(plan.sampler, { kind: 'env' });
  });

  it('uses random_sampling with an environment endpoint', () => {
    const plan = planTracing(file({ samplingPercent: 10 }), { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' });
    assert.ok(plan.kind === 'on');
    assert.deepEqual(plan.sampler, { kind: 'ratio', ratio: 0.1 });
  });

  it('honours OTEL_SDK_DISABLED, OTEL_TRACES_EXPORTER=none and OTEL_SERVICE_NAME', () => {
    assert.equal(planTracing(GRPC, { OTEL_SDK_DISABLED: 'true' }).kind, 'off');
    assert.equal(planTracing(GRPC, { OTEL_TRACES_EXPORTER: 'none' }).kind, 'off');
    const named = planTracing(GRPC, { OTEL_SERVICE_NAME: 'gateway-eu' });
    assert.ok(named.kind === 'on' && named.serviceName === 'gateway-eu');
  });

  it('describes the endpoint without credentials', () => {
    const plan = planTracing(file({ samplingPercent: 100, grpcEndpoint: 'https://user:s3cret@collector:4317' }), {});
    assert.ok(plan.kind === 'on');
    const text = describePlan(plan, {});
    assert.ok(!text.includes('s3cret') && text.includes('collector:4317'), text);
  });
});
