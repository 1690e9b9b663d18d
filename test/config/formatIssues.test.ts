import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatIssue, formatIssues } from '../../src/config/formatIssues.js';

describe('formatIssue', () => {
  it('renders source, line, severity, path and message', () => {
    assert.equal(
      formatIssue({ severity: 'error', path: 'model_providers[0].retry_policy.backoff.max_ms', message: 'must be greater than base_ms (500), got 200', line: 14 }, 'config.yaml'),
      'config.yaml:14: error: model_providers[0].retry_policy.backoff.max_ms: must be greater than base_ms (500), got 200',
    );
  });

  it('omits a missing line and an empty path', () => {
    assert.equal(formatIssue({ severity: 'warning', path: '', message: 'file not found', line: undefined }, 'c.yaml'), 'c.yaml: warning: file not found');
  });

  it('joins a list with newlines', () => {
    const i = { severity: 'error', path: 'a', message: 'm', line: 1 } as const;
    assert.equal(formatIssues([i, { ...i, line: 2 }], 's'), 's:1: error: a: m\ns:2: error: a: m');
  });
});
