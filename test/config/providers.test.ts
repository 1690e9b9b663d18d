import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { expectError, expectWarning, loadOk, TWO_PROVIDERS, yaml, errorsOf } from './helpers.js';

describe('model providers', () => {
  it('requires at least one provider', () => {
    expectError(yaml('version: v0.4.0', 'model_providers: []'), 'model_providers', 2, 'at least one model provider');
    expectError(yaml('version: v0.4.0'), 'model_providers', 1, 'at least one model provider');
  });

  it('requires model, pointing at the entry', () => {
    expectError(yaml('version: v0.4.0', 'model_providers:', '  - name: x', '    access_key: k'), 'model_providers[0].model', 3, 'is required');
  });

  it('requires version', () => {
    expectError(yaml('model_providers:', '  - model: openai/gpt-4o'), 'version', 1, 'is required');
  });

  it('rejects an unknown version', () => {
    expectError(yaml('version: v9', 'model_providers:', '  - model: openai/gpt-4o'), 'version', 1, 'must be one of', 'v0.4.0', 'got "v9"');
  });

  for (const bad of ['gpt-4o', '/gpt-4o', 'openai/']) {
    it(`rejects model "${bad}"`, () => {
      expectError(yaml('version: v0.4.0', 'model_providers:', `  - model: ${bad}`), 'model_providers[0].model', 3, 'must be "provider/model-id"', JSON.stringify(bad));
    });
  }

  it('splits on the first slash', () => {
    const { config } = loadOk(yaml('version: v0.4.0', 'model_providers:', '  - model: openrouter/meta/llama-3', '    access_key: k'));
    const p = config.providers[0]!;
    assert.equal(p.prefix, 'openrouter');
    assert.equal(p.modelId, 'meta/llama-3');
    assert.equal(p.name, 'openrouter/meta/llama-3');
  });

  it('rejects a duplicate name on the second entry, naming the first', () => {
    expectError(
      yaml(...TWO_PROVIDERS, '  - model: openai/gpt-4o', '    access_key: k'),
      'model_providers[2].model',
      7,
      'duplicate provider name "openai/gpt-4o"',
      'model_providers[0]',
    );
    expectError(
      yaml(...TWO_PROVIDERS, '    name: openai/gpt-4o'),
      'model_providers[1].name',
      7,
      'already used by model_providers[0]',
    );
  });

  it('rejects two defaults, naming both', () => {
    const text = yaml(
      'version: v0.4.0',
      'model_providers:',
      '  - model: openai/gpt-4o',
      '    default: true',
      '  - model: anthropic/claude-sonnet-4-0',
      '    default: true',
    );
    expectError(text, 'model_providers[1].default', 6, 'only one provider may be default', 'model_providers[0]', 'model_providers[1]');
  });

  it('leaves defaultProvider undefined without a default', () => {
    const { config, warnings } = loadOk(yaml(...TWO_PROVIDERS));
    assert.equal(config.defaultProvider, undefined);
    assert.deepEqual(warnings, []);
  });

  it('puts endpoint errors on the field the registry names', () => {
    expectError(yaml('version: v0.4.0', 'model_providers:', '  - model: acme/m1'), 'model_providers[0].model', 3, 'unknown provider prefix "acme"');
    expectError(
      yaml('version: v0.4.0', 'model_providers:', '  - model: openai/gpt-4o', '    base_url: ftp://example.com'),
      'model_providers[0].base_url',
      4,
      'scheme "ftp" is not supported',
    );
    expectError(
      yaml('version: v0.4.0', 'model_providers:', '  - model: acme/m1', '    provider_interface: openai'),
      'model_providers[0].base_url',
      3,
      'base_url is required',
    );
  });

  it('accepts a self-hosted provider with base_url and provider_interface', () => {
    const { config } = loadOk(
      yaml('version: v0.4.0', 'model_providers:', '  - model: vllm/qwen', '    base_url: http://127.0.0.1:8000/v1', '    provider_interface: openai'),
    );
    assert.equal(config.providers[0]!.endpoint.origin, 'http://127.0.0.1:8000');
  });

  it('treats llm_providers as a deprecated alias', () => {
    const { config, warnings } = loadOk(yaml('version: v0.4.0', 'llm_providers:', '  - model: openai/gpt-4o'));
    assert.equal(config.providers.length, 1);
    expectWarning(warnings, 'llm_providers', 'deprecated', 'model_providers');
  });

  it('rejects both model_providers and llm_providers', () => {
    expectError(
      yaml('version: v0.4.0', 'model_providers:', '  - model: openai/gpt-4o', 'llm_providers:', '  - model: openai/gpt-4o'),
      'llm_providers',
      4,
      'not both',
    );
  });

  it('fills timeouts from the extension keys, overrides, or defaults (an unset first-byte limit falls back at request time)', () => {
    const { config } = loadOk(
      yaml(
        'version: v0.4.0',
        'overrides:',
        '  upstream_connect_timeout: 2.5s',
        'model_providers:',
        '  - model: openai/gpt-4o',
        '    connect_timeout_ms: 700',
        '    first_byte_timeout_ms: 9000',
        '  - model: anthropic/claude-sonnet-4-0',
        '  - model: mistral/mistral-large-latest',
        '    first_byte_timeout_ms: auto',
        '    first_token_timeout_ms: auto',
      ),
    );
    assert.deepEqual(config.providers[0]!.timeouts, { connectMs: 700, firstByteMs: 9000 });
    // Unset: the request policy's first_byte_timeout_ms, else 120000 (failover/attemptLimits.ts).
    assert.deepEqual(config.providers[1]!.timeouts, { connectMs: 2500, firstByteMs: undefined });
    assert.deepEqual(config.providers[2]!.timeouts, { connectMs: 2500, firstByteMs: 'auto' });
    assert.equal(config.providers[2]!.streamGuards.firstTokenTimeoutMs, 'auto');
    const plain = loadOk(yaml('version: v0.4.0', 'model_providers:', '  - model: openai/gpt-4o')).config;
    assert.deepEqual(plain.providers[0]!.timeouts, { connectMs: 5000, firstByteMs: undefined });
  });

  it('rejects a bad upstream_connect_timeout', () => {
    expectError(
      yaml('version: v0.4.0', 'overrides:', '  upstream_connect_timeout: soon', 'model_providers:', '  - model: openai/gpt-4o'),
      'overrides.upstream_connect_timeout',
      3,
      'must be a positive duration',
      '"soon"',
    );
  });

  it('rejects an invalid header name', () => {
    expectError(
      yaml('version: v0.4.0', 'model_providers:', '  - model: openai/gpt-4o', '    headers:', '      "Bad Header": x'),
      'model_providers[0].headers["Bad Header"]',
      5,
      'not a valid HTTP header name',
    );
  });

  it('warns about inline routing_preferences', () => {
    const { warnings } = loadOk(
      yaml('version: v0.4.0', 'model_providers:', '  - model: openai/gpt-4o', '    routing_preferences:', '      - name: code', '        description: writing code'),
    );
    expectWarning(warnings, 'model_providers[0].routing_preferences', 'ignored by Switchyard');
  });

  it('accepts provider_interface values Plano lists and "anthropic"', () => {
    loadOk(yaml('version: v0.4.0', 'model_providers:', '  - model: custom/m', '    base_url: http://127.0.0.1:9/x', '    provider_interface: claude'));
    const { config } = loadOk(
      yaml('version: v0.4.0', 'model_providers:', '  - model: custom/m', '    base_url: http://127.0.0.1:9', '    provider_interface: anthropic'),
    );
    assert.equal(config.providers[0]!.endpoint.format, 'anthropic');
    assert.ok(errorsOf(yaml('version: v0.4.0', 'model_providers:', '  - model: custom/m', '    base_url: http://127.0.0.1:9', '    provider_interface: opnai')).length > 0);
  });
});
