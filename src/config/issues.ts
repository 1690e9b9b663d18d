// Collects problems found while loading. Paths are kept as segment lists so
// each issue can be pinned to the YAML node it is about; the dotted form is
// only produced for people.
import type { ConfigIssue } from './types.js';

export type PathSegment = string | number;
export type Path = readonly PathSegment[];

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `["model_providers", 0, "retry_policy"]` -> `model_providers[0].retry_policy`. */
export function formatPath(path: Path): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (PLAIN_KEY.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** Maps a path to the 1-based line of the nearest node that exists. */
export type LineLookup = (path: Path) => number | undefined;

export class IssueCollector {
  private readonly list: ConfigIssue[] = [];
  constructor(private readonly lineOf: LineLookup) {}

  error(path: Path, message: string): void {
    this.add('error', path, message);
  }

  warn(path: Path, message: string): void {
    this.add('warning', path, message);
  }

  /** Adds an issue whose line is already known (YAML syntax errors). */
  addAt(severity: ConfigIssue['severity'], path: Path, message: string, line: number | undefined): void {
    const p = formatPath(path);
    if (this.list.some((i) => i.severity === severity && i.path === p && i.message === message)) return;
    this.list.push({ severity, path: p, message, line });
  }

  get hasErrors(): boolean {
    return this.list.some((i) => i.severity === 'error');
  }

  /** Issues in file order, so a report reads top to bottom. */
  sorted(): ConfigIssue[] {
    return this.list
      .map((issue, order) => ({ issue, order }))
      .sort((a, b) => (a.issue.line ?? 0) - (b.issue.line ?? 0) || a.order - b.order)
      .map((x) => x.issue);
  }

  private add(severity: ConfigIssue['severity'], path: Path, message: string): void {
    this.addAt(severity, path, message, this.lineOf(path));
  }
}
