import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { anthropicErrorType, gatewayError, toClientError, untranslatableFieldError } from '../../src/dialects/errors.js';

const OPENAI_429 = JSON.stringify({
  error: { message: 'Rate limit reached for gpt-4o', type: 'requests', param: null, code: 'rate_limit_exceeded' },
});
const ANTHROPIC_529 = JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' }, request_id: 'req_1' });

describe('toClientError', () => {
  it('keeps an OpenAI provider’s message, type, param and code for OpenAI clients', () => {
    assert.deepEqual(JSON.parse(toClientError('openai', 429, 'openai', OPENAI_429)), JSON.parse(OPENAI_429));
  });

  it('renders an OpenAI provider error for Anthropic clients with the status’s Anthropic type', () => {
    assert.deepEqual(JSON.parse(toClientError('anthropic', 429, 'openai', OPENAI_429)), {
      type: 'error',
      error: { type: 'rate_limit_error', message: 'Rate limit reached for gpt-4o' },
    });
  });

  it('keeps an Anthropic provider’s type and message for both clients', () => {
    assert.deepEqual(JSON.parse(toClientError('anthropic', 529, 'anthropic', ANTHROPIC_529)), {
      type: 'error',
      error: { type: 'overloaded_error', message: 'Overloaded' },
    });
    assert.deepEqual(JSON.parse(toClientError('openai', 529, 'anthropic', ANTHROPIC_529)), {
      error: { message: 'Overloaded', type: 'overloaded_error', param: null, code: null },
    });
  });

  it('tolerates non-JSON and empty bodies', () => {
    assert.deepEqual(JSON.parse(toClientError('openai', 502, 'openai', '<html>Bad Gateway</html>')), {
      error: { message: '<html>Bad Gateway</html>', type: 'server_error', param: null, code: null },
    });
    assert.deepEqual(JSON.parse(toClientError('anthropic', 503, 'anthropic', '')), {
      type: 'error',
      error: { type: 'api_error', message: 'upstream returned HTTP 503' },
    });
    const long = JSON.parse(toClientError('openai', 500, 'openai', 'x'.repeat(5000))) as { error: { message: string } };
    assert.ok(long.error.message.length < 600);
  });

  it('reads FastAPI-style {"detail"} and {"error": "string"} bodies', () => {
    assert.equal((JSON.parse(toClientError('openai', 400, 'openai', '{"detail":"bad model"}')) as { error: { message: string } }).error.message, 'bad model');
    assert.equal((JSON.parse(toClientError('anthropic', 400, 'openai', '{"error":"nope"}')) as { error: { message: string } }).error.message, 'nope');
  });
});

describe('anthropicErrorType', () => {
  it('maps the documented statuses, other 4xx and other 5xx', () => {
    const expected: Array<[number, string]> = [
      [400, 'invalid_request_error'],
      [401, 'authentication_error'],
      [403, 'permission_error'],
      [404, 'not_found_error'],
      [413, 'request_too_large'],
      [429, 'rate_limit_error'],
      [500, 'api_error'],
      [529, 'overloaded_error'],
      [422, 'invalid_request_error'],
      [503, 'api_error'],
    ];
    for (const [status, type] of expected) assert.equal(anthropicErrorType(status), type, String(status));
  });
});

describe('gatewayError', () => {
  it('renders the gateway’s own errors in each dialect', () => {
    assert.deepEqual(JSON.parse(gatewayError('openai', 404, 'not_found_error', 'no such model', { param: 'model' })), {
      error: { message: 'no such model', type: 'not_found_error', param: 'model', code: null },
    });
    assert.deepEqual(JSON.parse(gatewayError('anthropic', 429, undefined, 'all providers blocked')), {
      type: 'error',
      error: { type: 'rate_limit_error', message: 'all providers blocked' },
    });
  });

  it('names the untranslatable field', () => {
    const body = JSON.parse(untranslatableFieldError('openai', 'n', '"n" = 2 cannot be expressed')) as { error: { param: string; message: string } };
    assert.equal(body.error.param, 'n');
    assert.match(body.error.message, /field: n/);
  });
});
