// state_storage: Plano's section for the Responses API's conversation state,
// acted on since Switchyard serves /v1/responses. `connection_string` takes
// $VAR like every secret in the file; a URL Postgres cannot read is refused
// here rather than at the first request.
import { STATE_STORAGE_DEFAULTS } from './defaults.js';
import { expandEnv, missingVariablesMessage } from './expandEnv.js';
import type { IssueCollector } from './issues.js';
import { readInt, readMap, readString, type RawMap } from './raw.js';
import type { StateStorageConfig } from './types.js';

const MEMORY: StateStorageConfig = {
  type: 'memory',
  ttlMs: STATE_STORAGE_DEFAULTS.ttl_seconds * 1000,
  maxEntries: STATE_STORAGE_DEFAULTS.max_entries,
};

/** What a config without state_storage gets. */
export const DEFAULT_STATE_STORAGE = MEMORY;

export function buildStateStorage(root: RawMap, env: NodeJS.ProcessEnv, issues: IssueCollector): StateStorageConfig {
  const s = readMap(root, 'state_storage');
  if (s === undefined) return MEMORY;
  const ttlMs = (readInt(s, 'ttl_seconds') ?? STATE_STORAGE_DEFAULTS.ttl_seconds) * 1000;
  if (readString(s, 'type') !== 'postgres') {
    if (s['connection_string'] !== undefined) issues.warn(['state_storage', 'connection_string'], 'connection_string is only used with type: postgres');
    return { type: 'memory', ttlMs, maxEntries: readInt(s, 'max_entries') ?? STATE_STORAGE_DEFAULTS.max_entries };
  }
  if (s['max_entries'] !== undefined) issues.warn(['state_storage', 'max_entries'], 'max_entries bounds memory storage only; Postgres keeps every response until ttl_seconds');
  const raw = readString(s, 'connection_string');
  if (raw === undefined) return MEMORY; // the schema reported it
  const expanded = expandEnv(raw, env);
  if (!expanded.ok) {
    issues.error(['state_storage', 'connection_string'], missingVariablesMessage(expanded.missing));
    return MEMORY;
  }
  if (!/^postgres(ql)?:\/\//i.test(expanded.value)) {
    issues.error(['state_storage', 'connection_string'], 'must be a postgres:// or postgresql:// URL');
    return MEMORY;
  }
  return { type: 'postgres', connectionString: expanded.value, ttlMs };
}
