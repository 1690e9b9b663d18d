// Warnings for settings the request deadline makes unreachable, each naming
// its field and line; and `switchyard validate` printing the silent-primary
// one for the scenario of issue 15 (listener 90 s, on_timeout and a fallback,
// no per-attempt timeout). Before the deadline split existed that config
// warned as it is; now the split moves a silent primary's request on in time
// (test/integration/failover/deadlineSplit.test.ts), so it warns only with
// the split turned off, as it then behaves as it did before.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/process.js';
import { expectWarning, loadOk, yaml } from './helpers.js';

/** The silent-primary scenario: lines are numbered in the comments. */
const SILENT_PRIMARY = [
  'version: v0.4.0', // 1
  'listeners:', // 2
  '  - type: model', // 3
  '    name: llm', // 4
  '    port: 12000', // 5
  '    timeout: 90s', // 6
  'model_providers:', // 7
  '  - model: openai/gpt-4o', // 8
  '    access_key: $OPENAI_API_KEY', // 9
  '    default: true', // 10
  '    retry_policy:', // 11
  '      fallback_models: [anthropic/claude-sonnet-4-0]', // 12
  '      on_timeout:', // 13
  '        strategy: different_provider', // 14
  '        max_attempts: 1', // 15
  '  - model: anthropic/claude-sonnet-4-0', // 16
  '    access_key: $ANTHROPIC_API_KEY', // 17
];

/** The scenario with the deadline split turned off: a line after `retry_policy:` (so on_timeout moves to line 14). */
const NO_SPLIT = [...SILENT_PRIMARY.slice(0, 11), '      deadline_reserve_percent: 0', ...SILENT_PRIMARY.slice(11)];

const silentWarnings = (lines: readonly string[]) => loadOk(yaml(...lines)).warnings.filter((w) => w.message.includes('never timed out'));

describe('deadline warnings', () => {
  it('without a deadline split, a first-byte timeout at or above the listener timeout: on_timeout can never fire (the default 120 s under a 90 s listener)', () => {
    const w = expectWarning(loadOk(yaml(...NO_SPLIT)).warnings, 'model_providers[0].retry_policy.on_timeout', 'first_byte_timeout_ms (120000, the default)', '90 s');
    assert.equal(w.line, 14);
  });

  it('the same config with the deadline split (the default) does not warn: the split ends the attempt in time', () => {
    assert.deepEqual(silentWarnings(SILENT_PRIMARY), []);
  });

  it('points at a first_byte_timeout_ms the entry or the policy wrote', () => {
    const own = [...NO_SPLIT.slice(0, 10), '    first_byte_timeout_ms: 90000', ...NO_SPLIT.slice(10)];
    assert.equal(expectWarning(loadOk(yaml(...own)).warnings, 'model_providers[0].first_byte_timeout_ms', 'first_byte_timeout_ms (90000)').line, 11);
    const policy = [...NO_SPLIT.slice(0, 12), '      first_byte_timeout_ms: 95000', ...NO_SPLIT.slice(12)];
    assert.equal(expectWarning(loadOk(yaml(...policy)).warnings, 'model_providers[0].retry_policy.first_byte_timeout_ms', '(95000)').line, 13);
  });

  it('stays quiet when the timeout fires before the deadline, is learned, or when no timeout retry is possible', () => {
    const shorter = [...NO_SPLIT.slice(0, 10), '    first_byte_timeout_ms: 20000', ...NO_SPLIT.slice(10)];
    assert.deepEqual(silentWarnings(shorter), []);
    const learned = [...NO_SPLIT.slice(0, 10), '    first_byte_timeout_ms: auto', ...NO_SPLIT.slice(10)];
    assert.deepEqual(silentWarnings(learned), []);
    const longListener = NO_SPLIT.map((l) => l.replace('timeout: 90s', 'timeout: 300s'));
    assert.deepEqual(silentWarnings(longListener), []);
    const noPolicy = [...NO_SPLIT.slice(0, 10), ...NO_SPLIT.slice(16)];
    assert.deepEqual(silentWarnings(noPolicy), []);
  });

  it('an on_high_latency threshold at or above the listener timeout', () => {
    const lines = [
      ...SILENT_PRIMARY.slice(0, 10),
      '    first_byte_timeout_ms: 20000',
      ...SILENT_PRIMARY.slice(10, 15),
      '      on_high_latency:', // 17
      '        threshold_ms: 95000', // 18
      '        strategy: different_provider',
      '        max_attempts: 1',
      '        block_duration_seconds: 60',
      ...SILENT_PRIMARY.slice(15),
    ];
    const w = expectWarning(loadOk(yaml(...lines)).warnings, 'model_providers[0].retry_policy.on_high_latency.threshold_ms', 'never fires');
    assert.equal(w.line, 18);
  });

  it('continuation configured with no entry that accepts a prefill', () => {
    const openaiOnly = [
      'version: v0.4.0',
      'model_providers:',
      '  - model: openai/gpt-4o', // 3
      '    access_key: $OPENAI_API_KEY',
      '    retry_policy:',
      '      stream_commit: immediate', // 6
      '  - model: mistral/mistral-large-latest',
      '    access_key: sk-mistral',
    ];
    const w = expectWarning(loadOk(yaml(...openaiOnly)).warnings, 'model_providers[0].retry_policy.stream_commit', 'supports_prefill');
    assert.equal(w.line, 6);
    // An OpenAI-compatible fallback that says it accepts a prefill, or buffering, or an Anthropic fallback: no warning.
    const prefill = [...openaiOnly, '    supports_prefill: true'];
    const buffered = openaiOnly.map((l) => l.replace('stream_commit: immediate', 'stream_commit: buffered'));
    const anthropic = openaiOnly.map((l) => l.replace('mistral/mistral-large-latest', 'anthropic/claude-sonnet-4-0'));
    for (const lines of [prefill, buffered, anthropic]) {
      assert.ok(!loadOk(yaml(...lines)).warnings.some((x) => x.message.includes('supports_prefill')), lines.join('\n'));
    }
  });

  it('switchyard validate prints the silent-primary warning (split off) with the file, field and line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-deadline-'));
    try {
      const file = join(dir, 'config.yaml');
      writeFileSync(file, yaml(...NO_SPLIT));
      const run = runCli(['validate', file], { env: { OPENAI_API_KEY: 'sk-o', ANTHROPIC_API_KEY: 'sk-a' } });
      assert.equal(await run.exited, 0, run.stderr);
      assert.match(run.stderr, /config\.yaml:14: warning: model_providers\[0\]\.retry_policy\.on_timeout: first_byte_timeout_ms \(120000, the default\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
