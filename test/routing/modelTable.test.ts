// Model resolution: exact names, pattern aliases (model_aliases keys with `*`)
// and the optional catch-all to the default entry.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildModelTable, globMatcher } from '../../src/routing/modelTable.js';
import { expectError, loadOk, yaml } from '../config/helpers.js';

const PROVIDERS = [
  'version: v0.4.0',
  'model_providers:',
  '  - model: anthropic/claude-sonnet-4-5',
  '    access_key: k',
  '    default: true',
  '  - model: anthropic/claude-haiku-4-5',
  '    access_key: k',
  '  - model: openai/gpt-4o-mini',
  '    access_key: k',
  '    name: mini',
];

const tableOf = (...lines: string[]) => buildModelTable(loadOk(yaml(...PROVIDERS, ...lines)).config);
const resolvedName = (table: ReturnType<typeof tableOf>, model: string): string | undefined => {
  const r = table.resolve(model);
  return r.ok ? r.provider.name : undefined;
};

describe('pattern aliases', () => {
  it('a pattern alias resolves Claude Code\'s dated haiku name', () => {
    const table = tableOf('model_aliases:', '  claude-haiku-*:', '    target: mini');
    assert.equal(resolvedName(table, 'claude-haiku-4-5-20251001'), 'mini');
    assert.equal(resolvedName(table, 'claude-haiku-5-5'), 'mini');
  });

  it('exact names win over patterns: entry names, provider/model, bare ids and exact aliases', () => {
    const table = tableOf(
      'model_aliases:',
      '  claude-*:',
      '    target: mini',
      '  claude-opus-5-5:',
      '    target: anthropic/claude-sonnet-4-5',
    );
    assert.equal(resolvedName(table, 'claude-haiku-4-5'), 'anthropic/claude-haiku-4-5', 'bare id');
    assert.equal(resolvedName(table, 'anthropic/claude-haiku-4-5'), 'anthropic/claude-haiku-4-5', 'provider/model');
    assert.equal(resolvedName(table, 'claude-opus-5-5'), 'anthropic/claude-sonnet-4-5', 'exact alias');
    assert.equal(resolvedName(table, 'claude-opus-4-7'), 'mini', 'pattern');
  });

  it('patterns are tried in config order', () => {
    const table = tableOf(
      'model_aliases:',
      '  claude-*-haiku-*:',
      '    target: anthropic/claude-haiku-4-5',
      '  claude-*:',
      '    target: mini',
    );
    assert.equal(resolvedName(table, 'claude-3-5-haiku-20241022'), 'anthropic/claude-haiku-4-5');
    assert.equal(resolvedName(table, 'claude-opus-4-7'), 'mini');
    const reversed = tableOf('model_aliases:', '  claude-*:', '    target: mini', '  claude-*-haiku-*:', '    target: anthropic/claude-haiku-4-5');
    assert.equal(resolvedName(reversed, 'claude-3-5-haiku-20241022'), 'mini');
  });

  it('a pattern whose target matches no entry is a config error naming the key', () => {
    expectError(yaml(...PROVIDERS, 'model_aliases:', '  claude-*:', '    target: gpt-9'), 'model_aliases["claude-*"].target', 13, '"gpt-9"');
  });

  it('patterns are not listed as model names', () => {
    assert.deepEqual(tableOf('model_aliases:', '  claude-*:', '    target: mini').publicNames.includes('claude-*'), false);
  });
});

describe('unknown models', () => {
  it('the catch-all is off by default: an unknown model is a 400 naming it', () => {
    const r = tableOf().resolve('gpt-9');
    assert.equal(r.ok, false);
    assert.match(r.message, /"gpt-9" is not configured/);
  });

  it('unknown_models: use_default sends unknown names to the default entry, after patterns', () => {
    const table = tableOf('model_aliases:', '  claude-haiku-*:', '    target: mini', 'switchyard:', '  unknown_models: use_default');
    assert.equal(resolvedName(table, 'gpt-9'), 'anthropic/claude-sonnet-4-5');
    assert.equal(resolvedName(table, 'claude-haiku-4-5-20251001'), 'mini');
  });

  it('use_default without a default entry is a config error', () => {
    expectError(
      yaml('version: v0.4.0', 'model_providers:', '  - model: openai/gpt-4o', '    access_key: k', 'switchyard:', '  unknown_models: use_default'),
      'switchyard.unknown_models',
      6,
      'needs a default model entry',
    );
  });
});

describe('globMatcher', () => {
  it('matches like the equivalent regular expression', () => {
    const alphabet = fc.constantFrom('a', 'b', '-', '*', '.');
    fc.assert(
      fc.property(fc.string({ unit: alphabet, maxLength: 8 }), fc.string({ unit: fc.constantFrom('a', 'b', '-', '.', '*'), maxLength: 12 }), (pattern, name) => {
        const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.*]/g, '\\$&')).join('.*')}$`, 's');
        assert.equal(globMatcher(pattern)(name), re.test(name));
      }),
      { numRuns: 2000 },
    );
  });

  it('stays linear-ish on a long name that cannot match', () => {
    const name = 'a'.repeat(20_000);
    const started = performance.now();
    assert.equal(globMatcher('*a*a*a*a*b')(name), false);
    // Not a timing assertion of the gateway: a guard against exponential backtracking (minutes, not ms).
    assert.ok(performance.now() - started < 10_000);
  });
});
