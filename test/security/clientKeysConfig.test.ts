// Loading switchyard.client_keys: $VAR expansion, and every mistake named
// with its path, without ever printing a key.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfigText } from '../../src/config/load.js';
import type { LoadResult } from '../../src/config/types.js';

const base = (keys: string): string => `version: v0.4.0
model_providers:
  - model: openai/gpt-4o
    access_key: sk-provider
  - model: mistral/mistral-small
    access_key: sk-provider-2
model_aliases:
  fast:
    target: mistral/mistral-small
switchyard:
  client_keys:
${keys}`;

const load = (keys: string, env: NodeJS.ProcessEnv = {}): LoadResult => loadConfigText(base(keys), '<t>', env);

function errors(r: LoadResult): string[] {
  assert.equal(r.ok, false);
  return r.issues.filter((i) => i.severity === 'error').map((i) => `${i.path}: ${i.message}`);
}

describe('switchyard.client_keys', () => {
  it('expands $VAR, names entries, and resolves allowed_models to entry names', () => {
    const r = load('    - key: $CLIENT_A\n      name: a\n    - key: literal-client-key-123456\n      allowed_models: [fast, gpt-4o]\n', {
      CLIENT_A: 'expanded-client-key-abcdef',
    });
    assert.ok(r.ok);
    assert.deepEqual(r.config.gateway.clientKeys, [
      { name: 'a', key: 'expanded-client-key-abcdef', allowedModels: undefined },
      { name: 'client_keys[1]', key: 'literal-client-key-123456', allowedModels: ['mistral/mistral-small', 'openai/gpt-4o'] },
    ]);
  });

  it('is empty (no key required) when absent', () => {
    const r = loadConfigText('version: v0.4.0\nmodel_providers:\n  - model: openai/gpt-4o\n', '<t>', {});
    assert.ok(r.ok);
    assert.deepEqual(r.config.gateway.clientKeys, []);
  });

  it('reports a missing variable, an unknown model, a duplicate and a key with spaces, never the key', () => {
    const found = errors(
      load(
        [
          '    - key: $NOT_SET_ANYWHERE',
          '    - key: duplicate-key-000000000',
          '    - key: duplicate-key-000000000',
          '    - key: has a space in it 0000',
          '    - key: allowed-models-key-0000',
          '      allowed_models: [nope/none]',
          '',
        ].join('\n'),
      ),
    );
    assert.deepEqual(found, [
      'switchyard.client_keys[0].key: environment variable NOT_SET_ANYWHERE is not set (or is empty)',
      'switchyard.client_keys[2]: client key "client_keys[2]" has the same key as "client_keys[1]"',
      'switchyard.client_keys[3].key: a client key may contain only visible ASCII characters (no spaces or line breaks)',
      'switchyard.client_keys[4].allowed_models[0]: "nope/none" does not match any configured model (configured: "openai/gpt-4o", "mistral/mistral-small")',
    ]);
    for (const e of found) assert.doesNotMatch(e, /duplicate-key-0|has a space/);
  });

  it('warns about a short key', () => {
    const r = load('    - key: short\n');
    assert.ok(r.ok);
    assert.match(r.warnings.map((w) => w.message).join('\n'), /shorter than 16 characters/);
  });

  it('rejects unknown fields in an entry', () => {
    assert.match(errors(load('    - key: a-long-enough-client-key\n      allowed_model: [fast]\n')).join('\n'), /allowed_model/);
  });
});
