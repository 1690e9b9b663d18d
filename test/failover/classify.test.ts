import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { classifyOutcome } from '../../src/failover/classify.js';
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
    assert.equal(classifyOutcome(http(429), p).rule?.id, 'status[0]');
    assert.equal(classifyOutcome(http(503), p).rule?.id, 'status[1]');
    assert.equal(classifyOutcome(http(400), p).rule?.id, 'status[1]', 'a listed 4xx is retriable');
  });

  it('uses the default rule for unlisted retriable codes only', () => {
    for (const s of [408, 409, 500, 501, 505, 599]) assert.equal(classifyOutcome(http(s), p).rule?.id, 'default', String(s));
    for (const s of [400, 401, 403, 404, 413, 422]) assert.equal(classifyOutcome(http(s), policy()).rule?.id, undefined, String(s));
  });

  it('sends connection failures and timeouts to the timeout rule', () => {
    for (const reason of ['refused', 'reset', 'tls', 'dns', 'other'] as const) {
      assert.equal(classifyOutcome({ kind: 'connection-error', reason }, p).rule?.id, 'timeout');
    }
    assert.equal(classifyOutcome({ kind: 'timeout', phase: 'first-byte', afterMs: 5000 }, p).rule?.id, 'timeout');
  });

  it('sends a high-latency outcome to on_high_latency, and nowhere without it', () => {
    const slow: AttemptOutcome = { kind: 'high-latency', latencyMs: 1500, thresholdMs: 1000 };
    assert.equal(classifyOutcome(slow, p).rule?.id, 'latency');
    assert.equal(classifyOutcome(slow, policy()).rule, undefined);
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
