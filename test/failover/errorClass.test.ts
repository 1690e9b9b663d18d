import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { classifyOutcome } from '../../src/failover/classify.js';
import { readErrorClass } from '../../src/failover/errorClass.js';
import type { AttemptOutcome } from '../../src/failover/outcome.js';
import { policy, rule, statusRule } from './fixtures.js';

const http = (status: number, body: unknown): AttemptOutcome => ({ kind: 'http-error', status, body: JSON.stringify(body) });

describe('readErrorClass', () => {
  it('reads both dialects', () => {
    assert.equal(readErrorClass(http(400, { error: { code: 'context_length_exceeded', message: 'x' } })), 'context_length_exceeded');
    assert.equal(readErrorClass(http(400, { type: 'error', error: { type: 'invalid_request_error', message: 'prompt is too long: 1 > 0' } })), 'context_length_exceeded');
    assert.equal(readErrorClass(http(400, { error: { code: 'content_filter', message: 'x' } })), 'content_policy');
    assert.equal(readErrorClass(http(400, { error: { code: 'content_policy_violation', message: 'x' } })), 'content_policy');
    assert.equal(readErrorClass(http(401, {})), 'auth');
    assert.equal(readErrorClass(http(403, { error: { message: 'forbidden' } })), 'auth');
    assert.equal(readErrorClass(http(529, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })), 'overloaded');
    assert.equal(readErrorClass({ kind: 'invalid-response', reason: 'error-body', status: 200, body: '{"type":"error","error":{"type":"overloaded_error","message":"o"}}' }), 'overloaded');
    assert.equal(readErrorClass(http(400, { error: { message: 'bad temperature' } })), undefined);
    assert.equal(readErrorClass(http(500, 'not json')), undefined);
  });
});

describe('classifyOutcome', () => {
  const ctx = http(400, { error: { code: 'context_length_exceeded' } });

  it('context length: one failover under the default strategy, never the same model', () => {
    const r = classifyOutcome(ctx, policy()).rule;
    assert.equal(r?.strategy, 'different_provider');
    assert.equal(r.maxAttempts, 1);
    assert.equal(classifyOutcome(ctx, policy({ defaultRule: rule('default', 'same_model', 3) })).rule, undefined);
  });

  it('content policy is never retried by default, even when its status is listed', () => {
    const listed = policy({ statusRules: [statusRule(0, [400], 'different_provider', 2)] });
    const c = classifyOutcome(http(400, { error: { code: 'content_filter' } }), listed);
    assert.deepEqual(c, { rule: undefined, errorClass: 'content_policy' });
  });

  it('on_errors wins over the built-in default', () => {
    const custom = policy({ errorRules: [{ id: 'errors[0]', match: 'content_policy', strategy: 'different_provider', maxAttempts: 1 }] });
    assert.equal(classifyOutcome(http(400, { error: { code: 'content_filter' } }), custom).rule?.id, 'errors[0]');
  });

  it('auth follows a listed status but never the same model, and drops same-model retries', () => {
    const sameModel = policy({ statusRules: [statusRule(0, [401], 'same_model', 2)] });
    assert.equal(classifyOutcome(http(401, {}), sameModel).rule, undefined);
    const escalating = policy({ statusRules: [{ ...statusRule(0, [401], 'different_provider', 2), sameModelRetries: 2 }] });
    assert.equal(classifyOutcome(http(401, {}), escalating).rule?.sameModelRetries, 0);
    assert.equal(classifyOutcome(http(401, {}), policy()).rule, undefined);
  });

  it('overloaded falls back to the status rule, then the default rule', () => {
    assert.equal(classifyOutcome(http(529, {}), policy()).rule?.id, 'default');
  });
});
