import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildZeroConfig, ZERO_CONFIG_PROVIDERS } from '../../src/config/zeroConfig.js';

describe('buildZeroConfig', () => {
  it('fails without any key, listing every variable it looked for', () => {
    const r = buildZeroConfig({ OPENAI_API_KEY: '' });
    assert.equal(r.ok, false);
    assert.equal(r.issues.length, 1);
    for (const { envVar } of ZERO_CONFIG_PROVIDERS) assert.ok(r.issues[0]!.message.includes(envVar), envVar);
    assert.ok(r.issues[0]!.message.includes('FIREWORKS_API_KEY'));
  });

  it('builds one provider per key, first one default, failing over to the others', () => {
    const r = buildZeroConfig({ ANTHROPIC_API_KEY: 'sk-ant', OPENAI_API_KEY: 'sk-oai', GROQ_API_KEY: 'gsk', PATH: '/bin' });
    assert.ok(r.ok);
    assert.deepEqual(r.warnings, []);
    const { config } = r;
    assert.equal(config.source, '<zero-config>');
    assert.deepEqual(config.providers.map((p) => p.prefix), ['openai', 'anthropic', 'groq']);
    assert.equal(config.defaultProvider?.model, 'openai/gpt-4o-mini');
    assert.equal(config.providers[1]!.accessKey, 'sk-ant');
    const policy = config.providers[0]!.retryPolicy!;
    assert.deepEqual(policy.fallbackModels, [config.providers[1]!.name, config.providers[2]!.name]);
    assert.deepEqual(policy.statusRules[0]!.ranges, [
      { from: 429, to: 429 },
      { from: 500, to: 599 },
    ]);
    assert.equal(policy.statusRules[0]!.strategy, 'different_provider');
    assert.deepEqual(policy.timeoutRule, { id: 'timeout', strategy: 'different_provider', maxAttempts: 2 });
    assert.deepEqual(config.providers[2]!.retryPolicy!.fallbackModels, [config.providers[0]!.name, config.providers[1]!.name]);
  });

  it('every known key yields a loadable provider', () => {
    const env = Object.fromEntries(ZERO_CONFIG_PROVIDERS.map((p) => [p.envVar, 'k']));
    const r = buildZeroConfig(env);
    assert.ok(r.ok, r.ok ? '' : JSON.stringify(r.issues));
    assert.equal(r.config.providers.length, ZERO_CONFIG_PROVIDERS.length);
    assert.deepEqual(r.warnings, []);
  });

  it('a single key retries the same model without warnings', () => {
    const r = buildZeroConfig({ MISTRAL_API_KEY: 'm' });
    assert.ok(r.ok);
    assert.deepEqual(r.warnings, []);
    assert.equal(r.config.providers[0]!.retryPolicy!.defaultRule.strategy, 'same_model');
  });
});
