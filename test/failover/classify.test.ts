import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { classify } from '../../src/failover/classify.js';
import { errorTypeOf, type AttemptOutcome } from '../../src/failover/outcome.js';
import { latencyRule, policy, rule, statusRule } from './fixtures.js';

const http = (status: number): AttemptOutcome => ({ kind: 'http-error', status, body: '{}' });

describe('classify', () => {
  const p = policy({
    statusRules: [statusRule(0, [429], 'same_model', 3), statusRule(1, [[502, 504], 400], 'same_provider', 1)],
    timeoutRule: rule('timeout', 'same_model', 1),
    highLatency: latencyRule(),
  });

  it('uses the status rule that lists the code, single or in a range', () => {
    assert.equal(classify(http(429), p)?.id, 'status[0]');
    assert.equal(classify(http(503), p)?.id, 'status[1]');
    assert.equal(classify(http(400), p)?.id, 'status[1]', 'a listed 4xx is retriable');
  });

  it('uses the default rule for unlisted retriable codes only', () => {
    for (const s of [408, 409, 500, 501, 505, 599]) assert.equal(classify(http(s), p)?.id, 'default', String(s));
    for (const s of [400, 401, 403, 404, 413, 422]) assert.equal(classify(http(s), policy())?.id, undefined, String(s));
  });

  it('sends connection failures and timeouts to the timeout rule', () => {
    for (const reason of ['refused', 'reset', 'tls', 'dns', 'other'] as const) {
      assert.equal(classify({ kind: 'connection-error', reason }, p)?.id, 'timeout');
    }
    assert.equal(classify({ kind: 'timeout', phase: 'first-byte', afterMs: 5000 }, p)?.id, 'timeout');
  });

  it('sends a high-latency outcome to on_high_latency, and nowhere without it', () => {
    const slow: AttemptOutcome = { kind: 'high-latency', latencyMs: 1500, thresholdMs: 1000 };
    assert.equal(classify(slow, p)?.id, 'latency');
    assert.equal(classify(slow, policy()), undefined);
  });
});

describe('errorTypeOf', () => {
  it('names each outcome as the exhaustion body does', () => {
    assert.equal(errorTypeOf(http(429)), 'http_429');
    assert.equal(errorTypeOf({ kind: 'timeout', phase: 'connect', afterMs: 5000 }), 'timeout_5000ms');
    assert.equal(errorTypeOf({ kind: 'connection-error', reason: 'refused' }), 'connection_refused');
    assert.equal(errorTypeOf({ kind: 'connection-error', reason: 'reset' }), 'connection_reset');
    assert.equal(errorTypeOf({ kind: 'connection-error', reason: 'tls' }), 'connection_tls');
    assert.equal(errorTypeOf({ kind: 'connection-error', reason: 'dns' }), 'connection_dns');
    assert.equal(
      errorTypeOf({ kind: 'high-latency', latencyMs: 1200, thresholdMs: 1000 }),
      'high_latency_1200ms_threshold_1000ms',
    );
  });
});
