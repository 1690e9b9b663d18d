import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { switchyardConfigYaml } from '../../bench/switchyardConfig.js';
import { portkeyHeader } from '../../bench/portkeyConfig.js';

interface Doc {
  listeners: { type: string; address: string; port: number; timeout: string }[];
  model_providers: { model: string; base_url: string; access_key: string; retry_policy?: { on_status_codes: { codes: number[] }[] } }[];
  switchyard: { log_level: string };
}

describe('switchyard bench config', () => {
  it('points a healthy primary at the mock, with a retry policy and a fallback provider', () => {
    const doc = parse(switchyardConfigYaml({ listenPort: 4100, mockOrigin: 'http://127.0.0.1:9', primaryFails: false })) as Doc;
    assert.deepEqual(doc.listeners[0], { type: 'model', name: 'bench_listener', address: '127.0.0.1', port: 4100, timeout: '120s' });
    assert.equal(doc.model_providers[0]?.base_url, 'http://127.0.0.1:9');
    assert.deepEqual(doc.model_providers[0].retry_policy?.on_status_codes[0]?.codes, [429]);
    assert.equal(doc.model_providers[1]?.model, 'mistral/mistral-small');
    assert.equal(doc.switchyard.log_level, 'warn');
  });
  it('counts attempts in a circuit breaker, and shares state through Redis only when asked', () => {
    const memory = parse(switchyardConfigYaml({ listenPort: 4100, mockOrigin: 'http://127.0.0.1:9', primaryFails: false })) as Doc & { model_providers: { retry_policy?: { circuit_breaker?: unknown } }[]; switchyard: { shared_state?: unknown } };
    assert.deepEqual(memory.model_providers[0]?.retry_policy?.circuit_breaker, { failure_threshold: 5 });
    assert.equal(memory.switchyard.shared_state, undefined);
    const fleet = parse(switchyardConfigYaml({ listenPort: 4100, mockOrigin: 'http://127.0.0.1:9', primaryFails: false, sharedStateUrl: 'redis://127.0.0.1:6390/0' })) as { switchyard: unknown };
    assert.deepEqual(fleet.switchyard, { log_level: 'warn', shared_state: { type: 'redis', url: 'redis://127.0.0.1:6390/0' } });
  });
  it('traces every request to the sink when asked, and not otherwise', () => {
    const traced = parse(switchyardConfigYaml({ listenPort: 4100, mockOrigin: 'http://127.0.0.1:9', primaryFails: false, traceTo: 'http://127.0.0.1:4317' })) as Doc & {
      tracing?: { random_sampling: number; opentracing_grpc_endpoint: string };
    };
    assert.deepEqual(traced.tracing, { random_sampling: 100, opentracing_grpc_endpoint: 'http://127.0.0.1:4317' });
    assert.equal((parse(switchyardConfigYaml({ listenPort: 4100, mockOrigin: 'http://127.0.0.1:9', primaryFails: false })) as { tracing?: unknown }).tracing, undefined);
  });
  it('sends the failing primary under /fail/ and keeps the fallback healthy', () => {
    const doc = parse(switchyardConfigYaml({ listenPort: 4100, mockOrigin: 'http://127.0.0.1:9', primaryFails: true })) as Doc;
    assert.equal(doc.model_providers[0]?.base_url, 'http://127.0.0.1:9/fail/v1');
    assert.equal(doc.model_providers[1]?.base_url, 'http://127.0.0.1:9');
  });
});

describe('portkey header', () => {
  it('routes straight to the mock when healthy', () => {
    assert.deepEqual(JSON.parse(portkeyHeader('http://127.0.0.1:9', false)), { provider: 'openai', api_key: 'x', custom_host: 'http://127.0.0.1:9/v1' });
  });
  it('falls back from the failing path on 429', () => {
    const config = JSON.parse(portkeyHeader('http://127.0.0.1:9', true)) as { strategy: unknown; targets: { custom_host: string }[] };
    assert.deepEqual(config.strategy, { mode: 'fallback', on_status_codes: [429] });
    assert.deepEqual(config.targets.map((t) => t.custom_host), ['http://127.0.0.1:9/fail/v1', 'http://127.0.0.1:9/v1']);
  });
});
