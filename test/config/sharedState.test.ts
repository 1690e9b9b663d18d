import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkRedisUrl } from '../../src/config/sharedState.js';
import { createRedactor, secretsOf } from '../../src/server/redactSecrets.js';
import { expectError, expectWarning, loadOk, TEST_ENV, TWO_PROVIDERS, yaml } from './helpers.js';

// The block starts on line 7, after TWO_PROVIDERS (six lines).
const withBlock = (...lines: string[]): string => yaml(...TWO_PROVIDERS, 'switchyard:', '  shared_state:', ...lines.map((l) => `    ${l}`));

describe('switchyard.shared_state', () => {
  it('defaults to memory', () => {
    assert.deepEqual(loadOk(yaml(...TWO_PROVIDERS)).config.gateway.sharedState, { type: 'memory' });
  });

  it('reads a Redis URL, expanding $VARs, with the defaults for the rest', () => {
    // A password is percent-encoded in a URL, as for any Redis client.
    const { config, warnings } = loadOk(withBlock('type: redis', 'url: redis://:${REDIS_PASSWORD}@redis.internal:6380/2'), { ...TEST_ENV, REDIS_PASSWORD: 'p%40ss%2Fword' });
    assert.deepEqual(warnings, []);
    assert.deepEqual(config.gateway.sharedState, {
      type: 'redis',
      url: 'redis://:p%40ss%2Fword@redis.internal:6380/2',
      endpoint: 'redis.internal:6380/2',
      db: 2,
      password: 'p@ss/word',
      keyPrefix: 'switchyard:',
      retryLeaseMs: 30_000,
    });
  });

  it('reads key_prefix and retry_lease_seconds, fractions allowed', () => {
    const { config } = loadOk(withBlock('type: redis', 'url: rediss://cache:6379', 'key_prefix: "prod-eu:"', 'retry_lease_seconds: 2.5'));
    assert.deepEqual(config.gateway.sharedState, {
      type: 'redis',
      url: 'rediss://cache:6379',
      endpoint: 'cache:6379/0',
      db: 0,
      password: undefined,
      keyPrefix: 'prod-eu:',
      retryLeaseMs: 2500,
    });
  });

  it('names the field of an unknown type', () => {
    expectError(withBlock('type: etcd'), 'switchyard.shared_state.type', 9, 'memory', 'redis');
  });

  it('requires url for redis', () => {
    expectError(withBlock('type: redis'), 'switchyard.shared_state.url', 8, 'required');
  });

  it('names an unset variable in the url', () => {
    expectError(withBlock('type: redis', 'url: $REDIS_URL'), 'switchyard.shared_state.url', 10, 'REDIS_URL');
  });

  for (const [url, fragment] of [
    ['redis//host:6379', 'must be a URL'],
    ['http://host:6379', 'redis://'],
    ['redis://host:6379/zero', 'database number'],
    ['redis://host:6379/0?family=6', 'query'],
    ['redis://host:99999', 'must be a URL'],
  ] as const) {
    it(`refuses ${url} with a message that names the field`, () => {
      const issue = expectError(withBlock('type: redis', `url: "${url}"`), 'switchyard.shared_state.url', 10, fragment);
      assert.ok(!issue.message.includes(url), 'the value (which may hold a password) is not repeated');
    });
  }

  it('never repeats a password in an error', () => {
    const check = checkRedisUrl('ftp://user:hunter2@host');
    assert.equal(check.ok, false);
    assert.ok(!JSON.stringify(check).includes('hunter2'));
  });

  it('warns about Redis settings under type: memory', () => {
    const { config, warnings } = loadOk(withBlock('type: memory', 'url: redis://x:6379'));
    assert.deepEqual(config.gateway.sharedState, { type: 'memory' });
    expectWarning(warnings, 'switchyard.shared_state.url', 'only with type: redis');
  });

  it('rejects an empty key_prefix and a zero lease', () => {
    expectError(withBlock('type: redis', 'url: redis://x', 'key_prefix: ""'), 'switchyard.shared_state.key_prefix', 11);
    expectError(withBlock('type: redis', 'url: redis://x', 'retry_lease_seconds: 0'), 'switchyard.shared_state.retry_lease_seconds', 11);
  });

  it('scrubs the Redis password like any configured secret', () => {
    const { config } = loadOk(withBlock('type: redis', 'url: redis://:correct-horse-battery@redis:6379'));
    assert.equal(createRedactor(secretsOf(config)).text('auth failed for correct-horse-battery'), 'auth failed for [redacted]');
  });
});
