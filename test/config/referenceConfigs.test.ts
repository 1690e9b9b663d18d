import { PLANO_REFERENCE_DIR } from '../support/paths.js';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfigFile } from '../../src/config/load.js';
import { formatIssues } from '../../src/config/formatIssues.js';
import { expectWarning } from './helpers.js';

const PLANO = PLANO_REFERENCE_DIR;
const RETRY_DIR = join(PLANO, 'retry_configs');

const ENV: NodeJS.ProcessEnv = {
  MOCK_PRIMARY_PORT: '18001',
  MOCK_SECONDARY_PORT: '18002',
  MOCK_TERTIARY_PORT: '18003',
  MOCK_FALLBACK1_PORT: '18004',
  MOCK_FALLBACK2_PORT: '18005',
  OPENAI_API_KEY: 'sk-o',
  ANTHROPIC_API_KEY: 'sk-a',
  MISTRAL_API_KEY: 'sk-m',
  GROQ_API_KEY: 'sk-g',
  CUSTOM_API_KEY: 'sk-c',
  MOONSHOTAI_API_KEY: 'sk-k',
  POSTHOG_API_KEY: 'phc',
};

describe('Plano retry_configs examples', () => {
  const files = readdirSync(RETRY_DIR).filter((f) => f.endsWith('.yaml'));
  it('finds the examples', () => { assert.ok(files.length >= 13); });
  for (const file of files) {
    it(`loads ${file} without errors or warnings`, () => {
      const r = loadConfigFile(join(RETRY_DIR, file), ENV);
      assert.ok(r.ok, r.ok ? '' : formatIssues(r.issues, file));
      assert.deepEqual(r.warnings, []);
      const primary = r.config.providers[0]!;
      assert.equal(r.config.defaultProvider?.name, 'openai/gpt-4o');
      assert.equal(primary.endpoint.origin, 'http://host.docker.internal:18001');
      assert.equal(primary.accessKey, 'test-key-primary');
    });
  }

  it('maps it7 fallbacks, status rules and defaults', () => {
    const r = loadConfigFile(join(RETRY_DIR, 'retry_it7_fallback_priority.yaml'), ENV);
    assert.ok(r.ok);
    const policy = r.config.providers[0]!.retryPolicy!;
    assert.deepEqual(policy.fallbackModels, ['anthropic/claude-3-5-sonnet', 'mistral/mistral-large']);
    assert.deepEqual(policy.statusRules, [
      { id: 'status[0]', strategy: 'different_provider', maxAttempts: 3, ranges: [{ from: 429, to: 429 }] },
    ]);
    assert.deepEqual(policy.defaultRule, { id: 'default', strategy: 'different_provider', maxAttempts: 3 });
    assert.deepEqual(policy.timeoutRule, { id: 'timeout', strategy: 'different_provider', maxAttempts: 3 });
    assert.deepEqual(policy.retryAfter, { scope: 'model', applyTo: 'global', maxRetryAfterMs: 300_000, maxWaitMs: 5_000 });
    assert.equal(policy.backoff, undefined);
    assert.equal(policy.highLatency, undefined);
    assert.equal(policy.maxRetryDurationMs, undefined);
    assert.equal(r.config.providers[1]!.endpoint.format, 'anthropic');
  });

  it('maps it11 high latency and it6 backoff', () => {
    const it11 = loadConfigFile(join(RETRY_DIR, 'retry_it11_high_latency_failover.yaml'), ENV);
    assert.ok(it11.ok);
    assert.deepEqual(it11.config.providers[0]!.retryPolicy!.highLatency, {
      id: 'latency',
      strategy: 'different_provider',
      maxAttempts: 2,
      thresholdMs: 1000,
      measure: 'total',
      blockDurationMs: 60_000,
      scope: 'model',
      applyTo: 'global',
      minTriggers: 1,
      triggerWindowMs: undefined,
    });
    const it6 = loadConfigFile(join(RETRY_DIR, 'retry_it6_backoff_delay.yaml'), ENV);
    assert.ok(it6.ok);
    assert.deepEqual(it6.config.providers[0]!.retryPolicy!.backoff, { applyTo: 'same_model', baseMs: 500, maxMs: 5000, jitter: false });
  });

  it('it8 keeps retry_after_handling apply_to request', () => {
    const r = loadConfigFile(join(RETRY_DIR, 'retry_it8_retry_after_honored.yaml'), ENV);
    assert.ok(r.ok);
    assert.equal(r.config.providers[0]!.retryPolicy!.retryAfter.applyTo, 'request');
  });
});

describe('Plano full reference config', () => {
  const file = join(PLANO, 'plano_config_full_reference.yaml');

  it('loads, warning about every section Switchyard ignores', () => {
    const r = loadConfigFile(file, ENV);
    assert.ok(r.ok, r.ok ? '' : formatIssues(r.issues, file));
    for (const section of [
      'agents',
      'filters',
      'routing_preferences',
      'model_metrics_sources',
      'endpoints',
      'system_prompt',
      'prompt_targets',
      'ratelimits',
      'routing',
      'prompt_guards',
    ]) {
      expectWarning(r.warnings, section, `section "${section}" is ignored by Switchyard`);
    }
    // Tracing is honoured; only the keys Switchyard has no use for are warned about.
    expectWarning(r.warnings, 'tracing.trace_arch_internal', 'ignored by Switchyard');
    expectWarning(r.warnings, 'tracing.exporters', 'ignored by Switchyard');
    assert.equal(r.config.tracing.samplingPercent, 100);
    assert.equal(r.config.tracing.grpcEndpoint, 'http://localhost:4317');
    expectWarning(r.warnings, 'listeners[0]', 'agent listener "travel_booking_service" is ignored by Switchyard');
    expectWarning(r.warnings, 'listeners[2]', 'prompt listener');
    expectWarning(r.warnings, 'listeners[1].max_retries', 'ignored by Switchyard');
    expectWarning(r.warnings, 'listeners[1].input_filters', 'ignored by Switchyard');
    expectWarning(r.warnings, 'overrides.llm_routing_model', 'ignored by Switchyard');
    assert.ok(!r.warnings.some((w) => w.path === 'overrides.upstream_connect_timeout'));
    // state_storage is acted on: the Responses API keeps its conversations there.
    assert.ok(!r.warnings.some((w) => w.path.startsWith('state_storage')));
    assert.deepEqual(r.config.stateStorage, { type: 'memory', ttlMs: 3_600_000, maxEntries: 10_000 });
    assert.ok(r.warnings.every((w) => w.severity === 'warning' && typeof w.line === 'number'));
  });

  it('resolves listener, timeouts, aliases, headers and endpoints', () => {
    const r = loadConfigFile(file, ENV);
    assert.ok(r.ok);
    const c = r.config;
    assert.deepEqual(c.listener, { name: 'model_1', address: '0.0.0.0', port: 12000, timeoutMs: 30_000 });
    assert.equal(c.providers.length, 8);
    assert.equal(c.defaultProvider?.name, 'openai/gpt-4o');
    assert.ok(c.providers.every((p) => p.timeouts.connectMs === 10_000 && p.timeouts.firstByteMs === undefined));
    assert.deepEqual([...c.aliases], [
      ['fast-llm', 'openai/gpt-4o-mini'],
      ['smart-llm', 'openai/gpt-4o'],
    ]);
    const kimi = c.providers.find((p) => p.prefix === 'moonshotai')!;
    assert.deepEqual(kimi.headers, { 'User-Agent': 'KimiCLI/1.3' });
    assert.equal(kimi.endpoint.origin, 'https://api.kimi.com');
    assert.equal(kimi.endpoint.chatPath, '/coding/v1/chat/completions');
    const litellm = c.providers.find((p) => p.modelId === 'gpt-4o-litellm')!;
    assert.equal(litellm.passthroughAuth, true);
    assert.equal(litellm.accessKey, undefined);
    assert.equal(c.providers.find((p) => p.modelId === 'llama-3.3-70b')!.httpHost, 'api.custom-provider.com');
  });

  it('fails, naming each variable, when its env vars are missing', () => {
    const r = loadConfigFile(file, {});
    assert.equal(r.ok, false);
    const missing = r.issues.filter((i) => i.message.includes('is not set'));
    assert.equal(missing.length, 7);
    assert.ok(missing.some((i) => i.path === 'model_providers[0].access_key' && i.message.includes('OPENAI_API_KEY') && i.line === 23));
  });
});

describe('loadConfigFile', () => {
  it('reports a missing file as an issue instead of throwing', () => {
    const r = loadConfigFile('/nonexistent/switchyard.yaml', {});
    assert.equal(r.ok, false);
    assert.deepEqual(r.issues, [{ severity: 'error', path: '', message: 'file not found', line: undefined }]);
  });

  it('reports a directory as unreadable', () => {
    const r = loadConfigFile(PLANO, {});
    assert.equal(r.ok, false);
    assert.match(r.issues[0]!.message, /directory/);
  });
});
