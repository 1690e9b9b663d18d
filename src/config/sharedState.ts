// switchyard.shared_state: memory (one process learns alone) or Redis (a fleet
// learns together). The URL is checked here, once, so a typo stops start-up
// with the field's name instead of surfacing as a connection error later.
import { GATEWAY_DEFAULTS } from './defaults.js';
import { expandEnv, missingVariablesMessage } from './expandEnv.js';
import type { IssueCollector, Path } from './issues.js';
import { has, readEnum, readMap, readString, type RawMap } from './raw.js';
import type { RedisSharedState, SharedStateSettings } from './types.js';
import { SharedStateType } from './vocabulary.js';

const PATH: Path = ['switchyard', 'shared_state'];
const DEFAULTS = GATEWAY_DEFAULTS.shared_state;
const MEMORY: SharedStateSettings = { type: 'memory' };

/** Redis's own default port, as redis-cli and every client assume. */
const REDIS_PORT = 6379;

type UrlCheck = { readonly ok: true; readonly parts: Pick<RedisSharedState, 'endpoint' | 'db' | 'password'> } | { readonly ok: false; readonly message: string };

/**
 * Checks a redis:// or rediss:// URL. Messages describe the problem without
 * repeating the value, which may carry a password.
 */
export function checkRedisUrl(text: string): UrlCheck {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, message: 'must be a URL such as redis://host:6379/0' };
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    return { ok: false, message: `must start with redis:// or rediss:// (TLS), not ${url.protocol}//` };
  }
  if (url.hostname === '') return { ok: false, message: 'has no host; write redis://host:6379/0' };
  if (url.search !== '' || url.hash !== '') return { ok: false, message: 'must not have query parameters or a fragment' };
  const path = url.pathname === '' || url.pathname === '/' ? '0' : url.pathname.slice(1);
  if (!/^\d{1,5}$/.test(path)) return { ok: false, message: 'the path must be a database number such as /0' };
  const db = Number(path);
  const password = url.password === '' ? undefined : decodeURIComponent(url.password);
  return { ok: true, parts: { endpoint: `${url.hostname}:${url.port === '' ? REDIS_PORT : url.port}/${db}`, db, password } };
}

function redis(block: RawMap, env: NodeJS.ProcessEnv, issues: IssueCollector): SharedStateSettings {
  const raw = readString(block, 'url');
  if (raw === undefined) {
    if (!has(block, 'url')) issues.error([...PATH, 'url'], 'is required when type is redis (for example redis://redis:6379/0)');
    return MEMORY;
  }
  const expanded = expandEnv(raw, env);
  if (!expanded.ok) {
    issues.error([...PATH, 'url'], missingVariablesMessage(expanded.missing));
    return MEMORY;
  }
  const checked = checkRedisUrl(expanded.value);
  if (!checked.ok) {
    issues.error([...PATH, 'url'], checked.message);
    return MEMORY;
  }
  const lease = typeof block['retry_lease_seconds'] === 'number' ? block['retry_lease_seconds'] : DEFAULTS.retry_lease_seconds;
  return {
    type: 'redis',
    url: expanded.value,
    ...checked.parts,
    keyPrefix: readString(block, 'key_prefix') ?? DEFAULTS.key_prefix,
    retryLeaseMs: Math.round(lease * 1000),
  };
}

export function buildSharedState(switchyard: RawMap, env: NodeJS.ProcessEnv, issues: IssueCollector): SharedStateSettings {
  const block = readMap(switchyard, 'shared_state');
  if (block === undefined) return MEMORY;
  const type = readEnum(block, 'type', SharedStateType.enum, DEFAULTS.type);
  if (type === 'redis') return redis(block, env, issues);
  for (const key of ['url', 'key_prefix', 'retry_lease_seconds']) {
    if (has(block, key)) issues.warn([...PATH, key], 'is used only with type: redis; this process keeps its state in memory');
  }
  return MEMORY;
}
