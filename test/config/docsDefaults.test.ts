// The docs' defaults tables against src/config/defaults.ts, so that a default
// changed in one place and not the other fails here.
//
// What is checked, row by row (first column: the backticked key or keys;
// second column: the default):
// - A default cell that is a comma-separated list of plain tokens, one per key:
//   a number, `true`/`false` or an allowed word of the key's enum must equal the
//   module's value; `required` must be required by the schema, with no value in
//   the module; none, unused, unbounded, unknown and `[]` (an absent list is
//   empty) must have no value in the module; a backticked key
//   (`default_strategy`) names where the default comes from and is not compared.
// - A default cell starting with one of those no-default words ("none; required
//   when ...") is that word.
// - Other prose ("`overrides.upstream_connect_timeout`, else 5000") is checked
//   by the numbers and booleans it contains when there is exactly one per key,
//   in order; otherwise (`true` for Anthropic-format entries, else `false`) the
//   row is not compared. Rows whose first column is prose are not compared.
// Then the other way: every default of retry_policy and the switchyard block
// must be one the tables document.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { GATEWAY_DEFAULTS, PROVIDER_DEFAULTS, RETRY_POLICY_DEFAULTS, STATE_STORAGE_DEFAULTS } from '../../src/config/defaults.js';
import { configSchema } from '../../src/config/schema.js';
import { REPO_ROOT } from '../support/paths.js';
import { tableAfter } from './docsTables.js';

/** Where the configuration reference lives, and the Responses API's page (its state_storage table). */
const DOCS = { configuration: resolve(REPO_ROOT, 'docs', 'configuration.md'), responses: resolve(REPO_ROOT, 'docs', 'responses.md') };

/** Title (heading or paragraph start) in a doc -> the key path its table's keys are relative to. */
const TABLES: readonly { readonly doc: keyof typeof DOCS; readonly title: string; readonly base: string }[] = [
  { doc: 'configuration', title: "Switchyard's additions to the format", base: '' },
  { doc: 'configuration', title: '`retry_policy` fields', base: 'model_providers[].retry_policy' },
  { doc: 'configuration', title: "Switchyard's additions to `retry_policy`", base: 'model_providers[].retry_policy' },
  { doc: 'responses', title: 'State storage set-up', base: '' },
];

/** The defaults module as one tree in the file's shape, so a documented key path finds its default. */
const DEFAULTS_TREE = {
  model_providers: {
    ...PROVIDER_DEFAULTS,
    // A provider's stream guards fall back to the policy's, then to the policy defaults the docs name.
    first_token_timeout_ms: RETRY_POLICY_DEFAULTS.first_token_timeout_ms,
    idle_timeout_ms: RETRY_POLICY_DEFAULTS.idle_timeout_ms,
    retry_policy: RETRY_POLICY_DEFAULTS,
  },
  switchyard: GATEWAY_DEFAULTS,
  state_storage: STATE_STORAGE_DEFAULTS,
};

const NO_DEFAULT = new Set(['required', 'none', 'unused', 'unbounded', 'unknown', '[]']);
const PLAIN_TOKEN = /^(?:`[^`\s]+`|\d+(?:\.\d+)?|[a-z]+)$/;
const PROSE_LITERAL = /`(true|false|\d+(?:\.\d+)?)`|(?<![\w.`])(\d+(?:\.\d+)?)(?![\w.`])/g;

const segments = (path: string): string[] => path.split('.').filter((s) => s !== '');
const stripList = (seg: string): string => seg.replace(/\[\]$/, '');

function moduleValue(path: string): unknown {
  let node: unknown = DEFAULTS_TREE;
  for (const seg of segments(path)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[stripList(seg)];
  }
  return node;
}

interface SchemaNode {
  readonly properties?: Record<string, SchemaNode>;
  readonly items?: SchemaNode;
  readonly required?: readonly string[];
  readonly enum?: readonly unknown[];
  readonly then?: SchemaNode;
  readonly else?: SchemaNode;
}

/** The schema of `path` and of the object holding it, or undefined when the schema has no such key. */
function schemaAt(path: string): { node: SchemaNode; parent: SchemaNode } | undefined {
  let node = configSchema as SchemaNode;
  let parent = node;
  for (const seg of segments(path)) {
    const next = node.properties?.[stripList(seg)];
    if (next === undefined) return undefined;
    parent = node;
    node = seg.endsWith('[]') ? (next.items ?? next) : next;
  }
  return { node, parent };
}

/** Every word a key's schema allows, through if/then/else (stream_commit). */
const allowedWords = (node: SchemaNode | undefined): unknown[] =>
  node === undefined ? [] : [...(node.enum ?? []), ...allowedWords(node.then), ...allowedWords(node.else)];

const join = (base: string, key: string): string => (base === '' ? key : `${base}.${key}`);

/** The documented default of each key, or undefined when the cell is prose that cannot be paired with the keys. */
function documentedDefaults(cell: string, count: number): string[] | undefined {
  const parts = cell.split(/,\s*/);
  if (parts.length === count && parts.every((p) => PLAIN_TOKEN.test(p))) return parts.map((p) => p.replace(/`/g, ''));
  const first = /^(\w+)(?:;|$)/.exec(cell)?.[1];
  if (count === 1 && first !== undefined && NO_DEFAULT.has(first)) return [first];
  const literals = [...cell.matchAll(PROSE_LITERAL)].map((m) => m[1] ?? m[2] ?? '');
  return literals.length === count ? literals : undefined;
}

interface Verdict {
  /** What disagrees; undefined when the docs and the module agree. */
  readonly problem?: string;
  /** Whether a literal default was compared (a reference to another key is not). */
  readonly compared: boolean;
}

/** `documented` is the default the table based at `base` gives the key at `path`. */
function check(base: string, path: string, documented: string): Verdict {
  const value = moduleValue(path);
  const schema = schemaAt(path);
  if (schema === undefined) return { problem: `${path}: the docs document a key the schema does not have`, compared: false };
  const disagree = { problem: `${path}: docs say ${documented}, defaults.ts has ${JSON.stringify(value)}`, compared: true };
  if (NO_DEFAULT.has(documented)) {
    const last = stripList(segments(path).at(-1) ?? '');
    if (documented === 'required' && !(schema.parent.required ?? []).includes(last)) {
      return { problem: `${path}: docs say required, the schema does not`, compared: false };
    }
    return value === undefined ? { compared: false } : disagree;
  }
  // A quoted default ("switchyard:") is the string inside the quotes.
  if (/^".*"$/.test(documented)) return value === JSON.parse(documented) ? { compared: true } : disagree;
  const literal = /^\d+(?:\.\d+)?$/.test(documented) ? Number(documented) : documented === 'true' || documented === 'false' ? documented === 'true' : undefined;
  if (literal !== undefined || allowedWords(schema.node).includes(documented)) {
    return value === (literal ?? documented) ? { compared: true } : disagree;
  }
  // A free string default (an address such as 127.0.0.1) is documented as it is.
  if (typeof value === 'string') return value === documented ? { compared: true } : disagree;
  // A word that is not an allowed value names the key the default comes from.
  if (schemaAt(join(base, documented)) !== undefined) return { compared: false };
  return { problem: `${path}: "${documented}" is neither an allowed value nor a key`, compared: false };
}

interface TableCheck {
  readonly title: string;
  readonly found: boolean;
  readonly problems: readonly string[];
  /** Module paths (lists unmarked) whose literal default the table confirmed. */
  readonly compared: readonly string[];
}

function checkTable(markdown: string, title: string, base: string): TableCheck {
  const rows = tableAfter(markdown, title);
  const problems: string[] = [];
  const compared: string[] = [];
  for (const row of rows ?? []) {
    const defaults = row.keys.length === 0 ? undefined : documentedDefaults(row.defaultCell, row.keys.length);
    row.keys.forEach((key, i) => {
      if (defaults === undefined) return;
      const path = join(base, key);
      const verdict = check(base, path, defaults[i]!);
      if (verdict.problem !== undefined) problems.push(verdict.problem);
      if (verdict.compared) compared.push(segments(path).map(stripList).join('.'));
    });
  }
  return { title, found: rows !== undefined && rows.length > 0, problems, compared };
}

function leaves(node: unknown, path: string): string[] {
  if (node === null || typeof node !== 'object') return [path];
  return Object.entries(node).flatMap(([k, v]) => leaves(v, join(path, k)));
}

describe('the docs and config/defaults.ts agree', () => {
  const markdown = { configuration: readFileSync(DOCS.configuration, 'utf8'), responses: readFileSync(DOCS.responses, 'utf8') };
  const checks = TABLES.map((t) => ({ ...checkTable(markdown[t.doc], t.title, t.base), doc: DOCS[t.doc] }));

  for (const { title, found, problems, compared, doc } of checks) {
    it(`on every plain default in "${title}"`, () => {
      assert.ok(found, `no table after "${title}" in ${doc}`);
      assert.deepEqual(problems, []);
      assert.ok(compared.length > 0, `no default in "${title}" could be compared`);
    });
  }

  it('documents every default of retry_policy, the switchyard block and state_storage', () => {
    const compared = new Set(checks.flatMap((c) => c.compared));
    const tree = { model_providers: { retry_policy: RETRY_POLICY_DEFAULTS }, switchyard: GATEWAY_DEFAULTS, state_storage: STATE_STORAGE_DEFAULTS };
    const undocumented = leaves(tree, '').filter((p) => !compared.has(p));
    assert.deepEqual(undocumented, []);
  });
});
