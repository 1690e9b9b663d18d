import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRedactor, secretsOf } from '../../src/server/redactSecrets.js';
import { loadTestConfig } from '../support/gateway.js';

describe('secret redaction', () => {
  const config = loadTestConfig(
    `version: v0.4.0
model_providers:
  - model: openai/gpt-4o
    access_key: sk-first-0123456789
  - model: groq/llama
    access_key: sk-first-0123456789-longer
    headers:
      X-Api-Token: tok-0123456789
      X-Team: search-team
  - model: mistral/small
    access_key: short
switchyard:
  client_keys:
    - key: client-key-0123456789
`,
  );

  it('collects provider keys, credential-like configured headers and client keys, longest first', () => {
    assert.deepEqual(secretsOf(config), ['sk-first-0123456789-longer', 'client-key-0123456789', 'sk-first-0123456789', 'tok-0123456789']);
  });

  it('replaces every occurrence in text and in header values, leaving clean input untouched', () => {
    const r = createRedactor(secretsOf(config));
    assert.equal(r.text('bad key sk-first-0123456789-longer and sk-first-0123456789, tok-0123456789'), 'bad key [redacted] and [redacted], [redacted]');
    const clean = { a: 'b' };
    assert.equal(r.headers(clean), clean);
    assert.deepEqual(r.headers({ 'x-debug': 'Bearer client-key-0123456789', 'x-list': ['ok', 'sk-first-0123456789'] }), {
      'x-debug': 'Bearer [redacted]',
      'x-list': ['ok', '[redacted]'],
    });
  });
});
