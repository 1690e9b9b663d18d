import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { defaultRetryPolicy } from '../../src/config/retryPolicy.js';
import { CIRCUIT_DEFAULTS } from '../../src/config/streamSettings.js';
import { expectError, expectWarning, loadOk, TWO_PROVIDERS, yaml } from './helpers.js';

/** TWO_PROVIDERS with a retry_policy on the first entry; policy lines start at 5. */
function withPolicy(...policyLines: string[]): string {
  const [v, mp, p0, k0, ...rest] = TWO_PROVIDERS;
  return yaml(v!, mp!, p0!, k0!, '    retry_policy:', ...policyLines.map((l) => `      ${l}`), ...rest);
}

describe('retry_policy defaults', () => {
  it('fills every default', () => {
    const { config } = loadOk(withPolicy('fallback_models: [anthropic/claude-sonnet-4-0]'));
    const p = config.providers[0]!.retryPolicy!;
    assert.deepEqual(p, {
      fallbackModels: ['anthropic/claude-sonnet-4-0'],
      statusRules: [],
      defaultRule: { id: 'default', strategy: 'different_provider', maxAttempts: 2 },
      timeoutRule: { id: 'timeout', strategy: 'different_provider', maxAttempts: 2 },
      highLatency: undefined,
      backoff: undefined,
      retryAfter: { scope: 'model', applyTo: 'global', maxRetryAfterMs: 300_000, maxWaitMs: 5_000 },
      maxRetryDurationMs: undefined,
      errorRules: [],
      streamGuards: { firstTokenTimeoutMs: undefined, idleTimeoutMs: undefined },
      firstByteTimeoutMs: undefined,
      deadlineReservePercent: 50,
      learnedTimeouts: { multiplier: 5, floorMs: 2000, ceilingMs: undefined },
      hedge: undefined,
      streamCommit: { mode: 'immediate' },
      circuitBreaker: CIRCUIT_DEFAULTS,
    });
    assert.equal(config.providers[1]!.retryPolicy, undefined);
  });

  it('defaultRetryPolicy() is what an empty retry_policy loads as', () => {
    const { config } = loadOk(yaml(...TWO_PROVIDERS.slice(0, 4), '    retry_policy: {}', ...TWO_PROVIDERS.slice(4)));
    assert.deepEqual(config.providers[0]!.retryPolicy, defaultRetryPolicy());
  });

  it('fills high-latency and backoff defaults', () => {
    const { config } = loadOk(
      withPolicy(
        'on_high_latency:',
        '  threshold_ms: 800',
        '  strategy: different_provider',
        '  max_attempts: 1',
        '  block_duration_seconds: 30',
        'backoff:',
        '  apply_to: global',
        'max_retry_duration_ms: 20000',
      ),
    );
    const p = config.providers[0]!.retryPolicy!;
    assert.deepEqual(p.highLatency, {
      id: 'latency',
      strategy: 'different_provider',
      maxAttempts: 1,
      thresholdMs: 800,
      measure: 'ttfb',
      blockDurationMs: 30_000,
      scope: 'model',
      applyTo: 'global',
      minTriggers: 1,
      triggerWindowMs: undefined,
    });
    assert.deepEqual(p.backoff, { applyTo: 'global', baseMs: 100, maxMs: 5000, jitter: true });
    assert.equal(p.maxRetryDurationMs, 20_000);
  });

  it('parses ranges and keeps the rule order as ids', () => {
    const { config } = loadOk(
      withPolicy('on_status_codes:', '  - codes: [429]', '    strategy: same_model', '    max_attempts: 1', '  - codes: ["500-504", 529]', '    strategy: different_provider', '    max_attempts: 2'),
    );
    const rules = config.providers[0]!.retryPolicy!.statusRules;
    assert.deepEqual(rules.map((r) => r.id), ['status[0]', 'status[1]']);
    assert.deepEqual(rules[1]!.ranges, [
      { from: 500, to: 504 },
      { from: 529, to: 529 },
    ]);
  });
});

describe('retry_policy errors', () => {
  const codesCase = (code: string, ...fragments: string[]): void => void
    expectError(
      withPolicy('on_status_codes:', `  - codes: [429, ${code}]`, '    strategy: same_model', '    max_attempts: 1'),
      'model_providers[0].retry_policy.on_status_codes[0].codes[1]',
      7,
      ...fragments,
    );

  it('rejects a malformed range string', () => { codesCase('"50x"', '"50x" is not a status code or a "start-end" range'); });
  it('rejects a code outside 100-599', () => { codesCase('600', 'between 100 and 599', '600'); });
  it('rejects an inverted range', () => { codesCase('"504-502"', 'inverted', '"502-504"'); });
  it('rejects a 2xx code', () => { codesCase('200', 'below 400', 'never trigger a retry'); });
  it('rejects a range reaching into 3xx', () => { codesCase('"399-401"', 'below 400'); });

  it('rejects a code listed in two entries', () => {
    expectError(
      withPolicy(
        'on_status_codes:',
        '  - codes: ["500-504"]',
        '    strategy: same_model',
        '    max_attempts: 1',
        '  - codes: [429, 503]',
        '    strategy: different_provider',
        '    max_attempts: 1',
      ),
      'model_providers[0].retry_policy.on_status_codes[1].codes[1]',
      10,
      '503 is already covered by on_status_codes[0].codes[0]',
    );
  });

  it('rejects max_ms not above base_ms', () => {
    expectError(
      withPolicy('backoff:', '  apply_to: global', '  base_ms: 500', '  max_ms: 200'),
      'model_providers[0].retry_policy.backoff.max_ms',
      9,
      'must be greater than base_ms (500), got 200',
    );
  });

  it('compares against the default when one side is omitted', () => {
    expectError(
      withPolicy('backoff:', '  apply_to: global', '  max_ms: 50'),
      'model_providers[0].retry_policy.backoff.max_ms',
      8,
      'must be greater than base_ms (100, the default), got 50',
    );
    expectError(
      withPolicy('backoff:', '  apply_to: global', '  base_ms: 6000'),
      'model_providers[0].retry_policy.backoff.base_ms',
      8,
      'must be less than max_ms (5000, the default), got 6000',
    );
  });

  it('requires backoff.apply_to, pointing at backoff', () => {
    expectError(withPolicy('backoff:', '  base_ms: 10'), 'model_providers[0].retry_policy.backoff.apply_to', 6, 'is required');
  });

  it('requires trigger_window_seconds when min_triggers > 1', () => {
    expectError(
      withPolicy(
        'on_high_latency:',
        '  threshold_ms: 800',
        '  strategy: different_provider',
        '  max_attempts: 1',
        '  block_duration_seconds: 30',
        '  min_triggers: 3',
      ),
      'model_providers[0].retry_policy.on_high_latency.trigger_window_seconds',
      6,
      'required when min_triggers is greater than 1',
    );
  });

  it('rejects an unknown fallback model, listing configured models', () => {
    expectError(
      withPolicy('fallback_models: [mistral/mistral-large]'),
      'model_providers[0].retry_policy.fallback_models[0]',
      6,
      '"mistral/mistral-large" does not match any configured model',
      '"openai/gpt-4o"',
    );
  });

  it('rejects a bad strategy with a suggestion', () => {
    expectError(
      withPolicy('default_strategy: diferent_provider'),
      'model_providers[0].retry_policy.default_strategy',
      6,
      'must be one of same_model, same_provider, different_provider',
      'did you mean "different_provider"?',
    );
  });
});

describe('retry_policy warnings', () => {
  it('warns when the primary is its own fallback', () => {
    const { config, warnings } = loadOk(withPolicy('fallback_models: [gpt-4o, anthropic/claude-sonnet-4-0]'));
    expectWarning(warnings, 'model_providers[0].retry_policy.fallback_models[0]', 'is this provider itself');
    assert.deepEqual(config.providers[0]!.retryPolicy!.fallbackModels, ['anthropic/claude-sonnet-4-0']);
  });

  it('warns when different_provider has no candidate', () => {
    const { warnings } = loadOk(
      yaml('version: v0.4.0', 'model_providers:', '  - model: openai/gpt-4o', '    retry_policy:', '      default_max_attempts: 1'),
    );
    const w = expectWarning(warnings, 'model_providers[0].retry_policy.default_strategy', 'strategy "different_provider" can never find a candidate');
    assert.equal(w.line, 4);
  });

  it('warns when same_provider has no candidate, naming the rule path', () => {
    const { warnings } = loadOk(withPolicy('on_status_codes:', '  - codes: [429]', '    strategy: same_provider', '    max_attempts: 1'));
    const w = expectWarning(warnings, 'model_providers[0].retry_policy.on_status_codes[0].strategy', 'same_provider', 'prefix "openai"');
    assert.equal(w.line, 8);
  });

  it('warns when a fallback contradicts every rule', () => {
    const { warnings } = loadOk(
      withPolicy('fallback_models: [anthropic/claude-sonnet-4-0]', 'default_strategy: same_model', 'on_timeout:', '  strategy: same_model', '  max_attempts: 1'),
    );
    expectWarning(warnings, 'model_providers[0].retry_policy.fallback_models[0]', 'never tried', 'prefix "anthropic"');
  });
});
