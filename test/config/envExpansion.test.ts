import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { expandEnv } from '../../src/config/expandEnv.js';
import { errorsOf, expectError, loadOk, yaml } from './helpers.js';

describe('expandEnv', () => {
  it('expands both syntaxes and leaves a lone $', () => {
    assert.deepEqual(expandEnv('$A-${B}x $ 5$', { A: '1', B: '2' }), { ok: true, value: '1-2x $ 5$' });
  });

  it('lists each missing variable once; empty counts as missing', () => {
    assert.deepEqual(expandEnv('$A ${A} $B $C', { B: '', C: 'c' }), { ok: false, missing: ['A', 'B'] });
  });
});

describe('env expansion in configs', () => {
  const text = yaml(
    'version: v0.4.0',
    'model_providers:',
    '  - model: openai/gpt-4o',
    '    access_key: $KEY_A',
    '    base_url: http://127.0.0.1:${PORT}/v1',
    '    headers:',
    '      X-Org: org-${ORG}',
  );

  it('expands access_key, base_url and header values', () => {
    const { config } = loadOk(text, { KEY_A: 'secret-a', PORT: '9999', ORG: 'acme' });
    const p = config.providers[0]!;
    assert.equal(p.accessKey, 'secret-a');
    assert.equal(p.endpoint.origin, 'http://127.0.0.1:9999');
    assert.deepEqual(p.headers, { 'X-Org': 'org-acme' });
  });

  it('names the missing variable and path, never any value', () => {
    expectError(text.replace('$KEY_A', '$MISSING_KEY'), 'model_providers[0].access_key', 4, 'environment variable MISSING_KEY is not set');
    const errors = errorsOf(text, { KEY_A: 'secret-a' });
    assert.deepEqual(errors.map((e) => [e.path, e.line]), [
      ['model_providers[0].base_url', 5],
      ['model_providers[0].headers.X-Org', 7],
    ]);
    assert.ok(errors.every((e) => !e.message.includes('secret-a')));
    assert.match(errors[0]!.message, /PORT/);
    assert.match(errors[1]!.message, /ORG/);
  });
});
