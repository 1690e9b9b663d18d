// Runs the structural schema and turns ajv's errors into issues a person can
// act on: the exact field path, and a suggestion for misspelt keys and values.
import { Ajv, type ErrorObject } from 'ajv';
import { didYouMeanSuffix } from './didYouMean.js';
import type { IssueCollector, Path, PathSegment } from './issues.js';
import { configSchema } from './schema.js';

const ajv = new Ajv({ allErrors: true, verbose: true, strict: false });
const validate = ajv.compile(configSchema);

/** Converts a JSON pointer to path segments, using the data to tell list indexes from keys. */
function pointerToPath(pointer: string, data: unknown): PathSegment[] {
  if (pointer === '') return [];
  const out: PathSegment[] = [];
  let cur: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) {
      const idx = Number(seg);
      out.push(idx);
      cur = cur[idx];
    } else {
      out.push(seg);
      cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[seg] : undefined;
    }
  }
  return out;
}

const TYPE_WORDS: Readonly<Record<string, string>> = {
  integer: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  null: 'null',
};

/** Fields whose values may be secrets: messages name their type, never their value. */
const SECRET_FIELDS = new Set(['access_key', 'api_key', 'connection_string', 'headers']);

function describeType(value: unknown, path: Path): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (path.some((seg) => typeof seg === 'string' && SECRET_FIELDS.has(seg))) return `a ${typeof value}`;
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  // JSON has no spelling for these.
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return typeof value;
  return JSON.stringify(value);
}

function expectedTypes(type: unknown): string {
  const list = Array.isArray(type) ? type : [type];
  return list.map((t) => TYPE_WORDS[String(t)] ?? String(t)).join(' or ');
}

function knownKeys(schema: unknown): string[] {
  const props = (schema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return props ? Object.keys(props) : [];
}

function report(err: ErrorObject, data: unknown, issues: IssueCollector): void {
  const at: Path = pointerToPath(err.instancePath, data);
  const params = err.params as Record<string, unknown>;
  switch (err.keyword) {
    case 'if': // the failing branch reports its own, more precise, errors
      return;
    case 'additionalProperties': {
      const key = String(params['additionalProperty']);
      issues.error([...at, key], `unknown key${didYouMeanSuffix(key, knownKeys(err.parentSchema))}`);
      return;
    }
    case 'required':
      issues.error([...at, String(params['missingProperty'])], 'is required');
      return;
    case 'type':
      issues.error(at, `must be ${expectedTypes(params['type'])}, got ${describeType(err.data, at)}`);
      return;
    case 'enum': {
      const allowed = (params['allowedValues'] as unknown[]).map(String);
      const got = String(err.data);
      issues.error(at, `must be one of ${allowed.join(', ')}; got ${JSON.stringify(err.data)}${didYouMeanSuffix(got, allowed)}`);
      return;
    }
    case 'const':
      issues.error(at, `must be ${JSON.stringify(params['allowedValue'])}, got ${JSON.stringify(err.data)}`);
      return;
    case 'minimum':
    case 'maximum':
      issues.error(at, `must be ${String(params['comparison'])} ${String(params['limit'])}, got ${JSON.stringify(err.data)}`);
      return;
    case 'minItems':
      issues.error(at, `must list at least ${String(params['limit'])} item(s)`);
      return;
    default:
      issues.error(at, err.message ?? `is invalid (${err.keyword})`);
  }
}

/** Validates structure; returns true when the data matches the schema. */
export function checkSchema(data: unknown, issues: IssueCollector): boolean {
  if (validate(data)) return true;
  for (const err of validate.errors ?? []) report(err, data, issues);
  return false;
}
