// The config keys observability reads: switchyard.admin and Plano's tracing section.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { expectError, expectWarning, loadOk, TEST_ENV, TWO_PROVIDERS, yaml } from './helpers.js';

describe('switchyard.admin', () => {
  it('is absent by default: the observability routes stay on the model listener', () => {
    assert.equal(loadOk(yaml(...TWO_PROVIDERS)).config.gateway.admin, undefined);
  });

  it('defaults its address to loopback', () => {
    const { config } = loadOk(yaml(...TWO_PROVIDERS, 'switchyard:', '  admin:', '    port: 9464'));
    assert.deepEqual(config.gateway.admin, { address: '127.0.0.1', port: 9464 });
  });

  it('reads an address', () => {
    const { config } = loadOk(yaml(...TWO_PROVIDERS, 'switchyard:', '  admin:', '    address: 0.0.0.0', '    port: 9464'));
    assert.deepEqual(config.gateway.admin, { address: '0.0.0.0', port: 9464 });
  });

  it('requires a port', () => {
    expectError(yaml(...TWO_PROVIDERS, 'switchyard:', '  admin:', '    address: 127.0.0.1'), 'switchyard.admin.port', 8, 'is required');
  });

  it('refuses the model listener\'s port', () => {
    expectError(yaml(...TWO_PROVIDERS, 'switchyard:', '  admin:', '    port: 12000'), 'switchyard.admin.port', 9, "the model listener's");
  });
});

describe('tracing', () => {
  it('is empty without a section', () => {
    const { config } = loadOk(yaml(...TWO_PROVIDERS));
    assert.deepEqual(config.tracing, { samplingPercent: undefined, grpcEndpoint: undefined, headerPrefixes: [], staticAttributes: {} });
  });

  it("reads Plano's keys", () => {
    const { config, warnings } = loadOk(
      yaml(
        ...TWO_PROVIDERS,
        'tracing:',
        '  random_sampling: 25',
        '  opentracing_grpc_endpoint: http://collector:4317',
        '  span_attributes:',
        '    header_prefixes: [X-User-, x-org-]',
        '    static:',
        '      environment: production',
      ),
    );
    assert.deepEqual(config.tracing, {
      samplingPercent: 25,
      grpcEndpoint: 'http://collector:4317',
      headerPrefixes: ['x-user-', 'x-org-'],
      staticAttributes: { environment: 'production' },
    });
    assert.deepEqual(warnings, []);
  });

  it('warns about the keys it ignores', () => {
    const { warnings } = loadOk(yaml(...TWO_PROVIDERS, 'tracing:', '  trace_arch_internal: true', '  exporters:', '    - type: posthog'));
    expectWarning(warnings, 'tracing.trace_arch_internal', 'ignored by Switchyard');
    expectWarning(warnings, 'tracing.exporters', 'ignored by Switchyard');
  });

  it('refuses a sampling percentage outside 0-100', () => {
    expectError(yaml(...TWO_PROVIDERS, 'tracing:', '  random_sampling: 150'), 'tracing.random_sampling', 8, '0 to 100');
  });

  it('refuses an endpoint that is not an http(s) URL', () => {
    expectError(yaml(...TWO_PROVIDERS, 'tracing:', '  opentracing_grpc_endpoint: collector:4317'), 'tracing.opentracing_grpc_endpoint', 8, 'http://');
  });

  it('warns when sampling has nowhere to send spans, unless OTEL_EXPORTER_OTLP_ENDPOINT says where', () => {
    const text = yaml(...TWO_PROVIDERS, 'tracing:', '  random_sampling: 10');
    expectWarning(loadOk(text).warnings, 'tracing.random_sampling', 'opentracing_grpc_endpoint');
    assert.deepEqual(loadOk(text, { ...TEST_ENV, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }).warnings, []);
  });
});
