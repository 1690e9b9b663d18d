// Shared helpers: YAML written line by line so tests can name exact lines.
import assert from 'node:assert/strict';
import { loadConfigText } from '../../src/config/load.js';
import type { ConfigIssue, Config, LoadResult } from '../../src/config/types.js';

export const yaml = (...lines: string[]): string => lines.join('\n') + '\n';

export const TEST_ENV: NodeJS.ProcessEnv = {
  OPENAI_API_KEY: 'sk-openai-secret',
  ANTHROPIC_API_KEY: 'sk-ant-secret',
};

export function load(text: string, env: NodeJS.ProcessEnv = TEST_ENV): LoadResult {
  return loadConfigText(text, 'config.yaml', env);
}

export function loadOk(text: string, env: NodeJS.ProcessEnv = TEST_ENV): { config: Config; warnings: readonly ConfigIssue[] } {
  const r = load(text, env);
  if (!r.ok) assert.fail(`expected the config to load, got:\n${r.issues.map((i) => `${i.line}: ${i.path}: ${i.message}`).join('\n')}`);
  return r;
}

export function errorsOf(text: string, env: NodeJS.ProcessEnv = TEST_ENV): readonly ConfigIssue[] {
  const r = load(text, env);
  assert.equal(r.ok, false, 'expected the config to fail to load');
  return r.issues.filter((i) => i.severity === 'error');
}

/** Asserts exactly one error at `path`, on `line`, whose message contains every fragment. */
export function expectError(text: string, path: string, line: number, ...fragments: string[]): ConfigIssue {
  const errors = errorsOf(text);
  const at = errors.filter((e) => e.path === path);
  assert.equal(at.length, 1, `expected one error at ${path}, got: ${JSON.stringify(errors, null, 1)}`);
  const issue = at[0]!;
  assert.equal(issue.line, line, `line of ${path}: ${issue.message}`);
  for (const f of fragments) assert.ok(issue.message.includes(f), `"${issue.message}" should include "${f}"`);
  return issue;
}

export function expectWarning(warnings: readonly ConfigIssue[], path: string, ...fragments: string[]): ConfigIssue {
  const w = warnings.find((i) => i.path === path && i.severity === 'warning');
  assert.ok(w, `expected a warning at ${path}, got: ${JSON.stringify(warnings, null, 1)}`);
  for (const f of fragments) assert.ok(w.message.includes(f), `"${w.message}" should include "${f}"`);
  return w;
}

/** Two providers of different prefixes; line 3 is the first entry, line 5 the second. */
export const TWO_PROVIDERS = [
  'version: v0.4.0', // 1
  'model_providers:', // 2
  '  - model: openai/gpt-4o', // 3
  '    access_key: $OPENAI_API_KEY', // 4
  '  - model: anthropic/claude-sonnet-4-0', // 5
  '    access_key: ${ANTHROPIC_API_KEY}', // 6
];
