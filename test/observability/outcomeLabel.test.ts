// error_type labels take a bounded set of values: the exhaustion body's
// spelling without the numbers measured per request.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { errorTypeOf, type AttemptOutcome } from '../../src/failover/outcome.js';
import { errorLabelOf } from '../../src/observability/outcomeLabel.js';

describe('errorLabelOf', () => {
  const cases: readonly [AttemptOutcome, string][] = [
    [{ kind: 'http-error', status: 429, body: '' }, 'http_429'],
    [{ kind: 'http-error', status: 999, body: '' }, 'http_other'],
    [{ kind: 'connection-error', reason: 'reset' }, 'connection_reset'],
    [{ kind: 'timeout', phase: 'first-byte', afterMs: 1234 }, 'timeout_first_byte'],
    [{ kind: 'timeout', phase: 'first-token', afterMs: 50 }, 'timeout_first_token'],
    [{ kind: 'timeout', phase: 'idle', afterMs: 7 }, 'timeout_idle'],
    [{ kind: 'timeout', phase: 'connect', afterMs: 5000 }, 'timeout_connect'],
    [{ kind: 'invalid-response', reason: 'not-json', status: 200, body: 'x' }, 'invalid_response_not_json'],
    [{ kind: 'untranslatable', field: 'n', message: '' }, 'untranslatable'],
    [{ kind: 'high-latency', latencyMs: 1234, thresholdMs: 1000 }, 'high_latency'],
  ];
  for (const [outcome, label] of cases) {
    it(`${errorTypeOf(outcome)} -> ${label}`, () => {
      assert.equal(errorLabelOf(outcome), label);
    });
  }

  it('never carries a measured number', () => {
    for (let ms = 1; ms < 5000; ms += 997) {
      assert.equal(errorLabelOf({ kind: 'timeout', phase: 'first-byte', afterMs: ms }), 'timeout_first_byte');
      assert.equal(errorLabelOf({ kind: 'high-latency', latencyMs: ms, thresholdMs: 10 }), 'high_latency');
    }
  });
});
