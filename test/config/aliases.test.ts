import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { expectError, loadOk, TWO_PROVIDERS, yaml } from './helpers.js';

const WITH_MINI = [...TWO_PROVIDERS, '  - model: openrouter/openai/gpt-4o-mini', '    access_key: k', '    name: router-mini']; // lines 7-9

describe('model_aliases', () => {
  it('resolves by name, full model and bare model id', () => {
    const { config } = loadOk(
      yaml(...WITH_MINI, 'model_aliases:', '  a:', '    target: router-mini', '  b:', '    target: anthropic/claude-sonnet-4-0', '  c:', '    target: gpt-4o'),
    );
    assert.deepEqual([...config.aliases], [
      ['a', 'router-mini'],
      ['b', 'anthropic/claude-sonnet-4-0'],
      ['c', 'openai/gpt-4o'],
    ]);
  });

  it('rejects an unknown target, listing configured models', () => {
    expectError(
      yaml(...TWO_PROVIDERS, 'model_aliases:', '  fast:', '    target: gpt-5'),
      'model_aliases.fast.target',
      9,
      '"gpt-5" does not match any configured model',
      '"openai/gpt-4o", "anthropic/claude-sonnet-4-0"',
    );
  });

  it('rejects an ambiguous bare id, listing the candidates', () => {
    const text = yaml(
      'version: v0.4.0',
      'model_providers:',
      '  - model: openai/gpt-4o-mini',
      '  - model: openrouter/gpt-4o-mini',
      'model_aliases:',
      '  mini:',
      '    target: gpt-4o-mini',
    );
    expectError(text, 'model_aliases.mini.target', 7, 'ambiguous', '"openai/gpt-4o-mini", "openrouter/gpt-4o-mini"');
  });

  it('rejects an alias equal to a provider name', () => {
    expectError(
      yaml(...WITH_MINI, 'model_aliases:', '  router-mini:', '    target: gpt-4o'),
      'model_aliases.router-mini',
      11,
      'also the name of a model provider entry',
    );
  });

  it('requires target', () => {
    expectError(yaml(...TWO_PROVIDERS, 'model_aliases:', '  fast:', '    model: gpt-4o'), 'model_aliases.fast.target', 8, 'is required');
  });
});
