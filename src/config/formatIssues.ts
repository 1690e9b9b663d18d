// Renders issues the way compilers do, so editors and terminals link them:
// `config.yaml:14: error: model_providers[0].model: ...`.
import type { ConfigIssue } from './types.js';

export function formatIssue(issue: ConfigIssue, source: string): string {
  const where = issue.line === undefined ? source : `${source}:${issue.line}`;
  const subject = issue.path === '' ? '' : `${issue.path}: `;
  return `${where}: ${issue.severity}: ${subject}${issue.message}`;
}

export function formatIssues(issues: readonly ConfigIssue[], source: string): string {
  return issues.map((i) => formatIssue(i, source)).join('\n');
}
