import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildExhaustionBody } from '../../src/failover/exhaustion.js';
import { errorTypeOf, type AttemptOutcome, type AttemptRecord } from '../../src/failover/outcome.js';
import { provider } from './fixtures.js';

function rec(model: string, attempt: number, outcome: AttemptOutcome): AttemptRecord {
  return { target: provider(0, model), attempt, errorType: errorTypeOf(outcome), outcome };
}

describe('buildExhaustionBody', () => {
  it('has exactly the retry_exhausted shape, with a JSON upstream body parsed', () => {
    const upstream = '{"error":{"message":"Rate limit reached"}}';
    const res = buildExhaustionBody({
      attempts: [
        rec('openai/gpt-4o', 1, { kind: 'http-error', status: 429, body: upstream }),
        rec('anthropic/claude', 2, { kind: 'http-error', status: 429, body: upstream }),
      ],
      budgetExhausted: false,
      shortestRemainingBlockMs: 56_200,
    });
    assert.equal(res.status, 429);
    assert.equal(res.retryAfterSeconds, 57);
    assert.deepEqual(JSON.parse(res.body), {
      error: {
        message: 'All retry attempts exhausted',
        type: 'retry_exhausted',
        attempts: [
          { model: 'openai/gpt-4o', error_type: 'http_429', attempt: 1 },
          { model: 'anthropic/claude', error_type: 'http_429', attempt: 2 },
        ],
        total_attempts: 2,
        retry_budget_exhausted: false,
        shortest_remaining_block_seconds: 57,
        last_error: { status: 429, body: { error: { message: 'Rate limit reached' } } },
      },
    });
  });

  it('answers 400 when the last candidate could not take the request, keeping the provider error in attempts', () => {
    const res = buildExhaustionBody({
      attempts: [
        rec('openai/gpt-4o', 1, { kind: 'http-error', status: 429, body: '{"error":{"message":"slow down"}}' }),
        rec('anthropic/claude', 2, { kind: 'untranslatable', field: 'n', message: 'n > 1 cannot be expressed' }),
      ],
      budgetExhausted: false,
      shortestRemainingBlockMs: 30_000,
    });
    assert.equal(res.status, 400);
    assert.equal(res.retryAfterSeconds, 30, 'the block on the primary is still announced');
    const error = (JSON.parse(res.body) as { error: { message: string; total_attempts: number; attempts: { error_type: string }[]; last_error: unknown } }).error;
    assert.equal(error.total_attempts, 2);
    assert.deepEqual(error.attempts.map((a) => a.error_type), ['http_429', 'untranslatable_n']);
    assert.match(error.message, /cannot take this request: n > 1 cannot be expressed/);
    assert.deepEqual(error.last_error, { status: 400, body: { field: 'n', message: 'n > 1 cannot be expressed' } });
  });

  it('reports the provider error when a skipped candidate came before it', () => {
    const res = buildExhaustionBody({
      attempts: [
        rec('anthropic/claude', 1, { kind: 'untranslatable', field: 'n', message: 'n > 1' }),
        rec('openai/gpt-4o', 2, { kind: 'http-error', status: 503, body: '{"error":{"message":"down"}}' }),
      ],
      budgetExhausted: false,
      shortestRemainingBlockMs: undefined,
    });
    assert.equal(res.status, 503);
    const error = (JSON.parse(res.body) as { error: { message: string; last_error: unknown } }).error;
    assert.equal(error.message, 'All retry attempts exhausted');
    assert.deepEqual(error.last_error, { status: 503, body: { error: { message: 'down' } } });
  });

  it('keeps a non-JSON upstream body as a string and uses its status', () => {
    const res = buildExhaustionBody({
      attempts: [rec('openai/a', 1, { kind: 'http-error', status: 502, body: '<html>bad gateway</html>' })],
      budgetExhausted: true,
      shortestRemainingBlockMs: undefined,
    });
    const body = JSON.parse(res.body) as { error: Record<string, unknown> };
    assert.equal(res.status, 502);
    assert.equal(res.retryAfterSeconds, undefined);
    assert.deepEqual(body.error['last_error'], { status: 502, body: '<html>bad gateway</html>' });
    assert.equal(body.error['retry_budget_exhausted'], true);
    assert.equal(body.error['shortest_remaining_block_seconds'], null);
  });

  it('answers 504 after a timeout and 502 after a refused connection', () => {
    const t = buildExhaustionBody({
      attempts: [rec('openai/a', 1, { kind: 'timeout', phase: 'first-byte', afterMs: 5000 })],
      budgetExhausted: false,
      shortestRemainingBlockMs: undefined,
    });
    assert.equal(t.status, 504);
    assert.deepEqual((JSON.parse(t.body) as { error: { last_error: unknown } }).error.last_error, { status: 504, body: 'timeout_5000ms' });
    const c = buildExhaustionBody({
      attempts: [rec('openai/a', 1, { kind: 'connection-error', reason: 'refused' })],
      budgetExhausted: false,
      shortestRemainingBlockMs: undefined,
    });
    assert.equal(c.status, 502);
  });

  it('answers 429 with no attempts when everything was blocked', () => {
    const res = buildExhaustionBody({ attempts: [], budgetExhausted: false, shortestRemainingBlockMs: 12_000 });
    assert.equal(res.status, 429);
    assert.equal(res.retryAfterSeconds, 12);
    const body = JSON.parse(res.body) as { error: Record<string, unknown> };
    assert.equal(body.error['total_attempts'], 0);
    assert.equal(body.error['last_error'], null);
  });
});
