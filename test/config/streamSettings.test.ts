import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { expectError, loadOk, errorsOf, TWO_PROVIDERS, yaml } from './helpers.js';

/** TWO_PROVIDERS with policy lines on the first entry (from line 6) and provider lines before them (line 5 on). */
function withLines(providerLines: string[], policyLines: string[]): string {
  const [v, mp, p0, k0, ...rest] = TWO_PROVIDERS;
  return yaml(v!, mp!, p0!, k0!, ...providerLines.map((l) => `    ${l}`), '    retry_policy:', ...policyLines.map((l) => `      ${l}`), ...rest);
}

describe('streaming extensions to the config', () => {
  it('reads stream guards, stream_commit, on_errors, same_model_retries and circuit_breaker', () => {
    const { config } = loadOk(
      withLines(
        ['first_token_timeout_ms: 5000', 'idle_timeout_ms: 2000', 'supports_prefill: true', 'context_window: 128000'],
        [
          'first_token_timeout_ms: 9000',
          'stream_commit:',
          '  buffer_ms: 300',
          'default_same_model_retries: 1',
          'on_timeout:',
          '  strategy: different_provider',
          '  max_attempts: 1',
          '  same_model_retries: 2',
          'on_errors:',
          '  - match: context_length_exceeded',
          '    strategy: different_provider',
          '    max_attempts: 2',
          'retry_after_handling:',
          '  max_wait_seconds: 3',
          'circuit_breaker:',
          '  failure_threshold: 3',
          '  failure_ratio: 0.5',
          '  open_seconds: 0.5',
          '  max_open_seconds: 4',
        ],
      ),
    );
    const p = config.providers[0]!;
    assert.deepEqual(p.streamGuards, { firstTokenTimeoutMs: 5000, idleTimeoutMs: 2000 });
    assert.equal(p.supportsPrefill, true);
    assert.equal(p.contextWindow, 128_000);
    const policy = p.retryPolicy!;
    assert.deepEqual(policy.streamGuards, { firstTokenTimeoutMs: 9000, idleTimeoutMs: undefined });
    assert.deepEqual(policy.streamCommit, { mode: 'window', bufferMs: 300 });
    assert.equal(policy.defaultRule.sameModelRetries, 1);
    assert.equal(policy.timeoutRule.sameModelRetries, 2);
    assert.deepEqual(policy.errorRules, [{ id: 'errors[0]', match: 'context_length_exceeded', strategy: 'different_provider', maxAttempts: 2, sameModelRetries: 0 }]);
    assert.equal(policy.retryAfter.maxWaitMs, 3000);
    assert.equal(policy.circuitBreaker.openMs, 500);
    assert.equal(policy.circuitBreaker.maxOpenMs, 4000);
    assert.equal(policy.circuitBreaker.failureRatio, 0.5);
    // Defaults: Anthropic entries accept a prefill, OpenAI-compatible ones must opt in.
    assert.equal(config.providers[1]!.supportsPrefill, true);
    assert.equal(loadOk(yaml(...TWO_PROVIDERS)).config.providers[0]!.supportsPrefill, false);
  });

  it('accepts stream_commit: buffered and rejects other words', () => {
    assert.deepEqual(loadOk(withLines([], ['stream_commit: buffered'])).config.providers[0]!.retryPolicy!.streamCommit, { mode: 'buffered' });
    assert.ok(errorsOf(withLines([], ['stream_commit: eventually'])).some((e) => e.path.endsWith('stream_commit')));
  });

  it('refuses same_model for classes that would fail the same way again', () => {
    expectError(
      withLines([], ['on_errors:', '  - match: context_length_exceeded', '    strategy: same_model']),
      'model_providers[0].retry_policy.on_errors[0].strategy',
      8,
      'would fail again on the same model',
    );
  });

  it('refuses a circuit cap below its open period and a class listed twice', () => {
    expectError(
      withLines([], ['circuit_breaker:', '  open_seconds: 5', '  max_open_seconds: 2']),
      'model_providers[0].retry_policy.circuit_breaker.max_open_seconds',
      8,
      'at least open_seconds',
    );
    expectError(
      withLines([], ['on_errors:', '  - match: auth', '    strategy: different_provider', '  - match: auth', '    strategy: same_provider']),
      'model_providers[0].retry_policy.on_errors[1].match',
      9,
      'already handled',
    );
  });
});
