// Parses YAML text while keeping enough of the syntax tree to say on which
// line any field (or its nearest existing parent) sits.
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { LineLookup, Path } from './issues.js';

export interface SyntaxProblem {
  readonly message: string;
  readonly line: number | undefined;
}

export type YamlParseResult =
  | { readonly ok: true; readonly data: unknown; readonly lineOf: LineLookup }
  | { readonly ok: false; readonly problems: readonly SyntaxProblem[] };

/** yaml's messages end with " at line N, column M:" and a code frame; the line is reported separately. */
function cleanMessage(message: string): string {
  const first = message.split('\n')[0] ?? message;
  return first.replace(/ at line \d+, column \d+:?$/, '');
}

export function parseYaml(text: string): YamlParseResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, merge: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => ({ message: cleanMessage(e.message), line: e.linePos?.[0]?.line })),
    };
  }
  const lineAt = (offset: number): number => lineCounter.linePos(offset).line;
  return { ok: true, data: doc.toJS({ maxAliasCount: 1000 }), lineOf: (path) => lineOfPath(doc, path, lineAt) };
}

function keyMatches(key: unknown, seg: string | number): boolean {
  return isScalar(key) ? String(key.value) === String(seg) : String(key) === String(seg);
}

function startLine(node: { range?: readonly number[] | null } | null | undefined, lineAt: (o: number) => number): number | undefined {
  const start = node?.range?.[0];
  return start === undefined ? undefined : lineAt(start);
}

/**
 * Walks the tree along `path`. For a mapping entry the key's line is used, so
 * `retry_policy:` followed by an indented block points at the key. A segment
 * that does not exist stops the walk at its parent's line.
 */
function lineOfPath(doc: Document, path: Path, lineAt: (o: number) => number): number | undefined {
  let node: unknown = doc.contents;
  let line = startLine(node as Node | null, lineAt) ?? 1;
  for (const seg of path) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && keyMatches(p.key, seg));
      if (!pair) break;
      line = startLine(pair.key as Node | null, lineAt) ?? line;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (item === undefined) break;
      line = startLine(item, lineAt) ?? line;
      node = item;
    } else {
      break;
    }
  }
  return line;
}
