// The `switchyard:` block (a Switchyard extension).
import { GATEWAY_DEFAULTS } from './defaults.js';
import { expandEnv, missingVariablesMessage } from './expandEnv.js';
import type { IssueCollector, Path } from './issues.js';
import { isRawMap, readBool, readEnum, readInt, readList, readMap, readString, type RawMap } from './raw.js';
import { resolveTarget, type ModelRef } from './resolveModels.js';
import { buildSharedState } from './sharedState.js';
import type { AdminListener, ClientKey, GatewaySettings } from './types.js';
import { LogLevel, TranslationMode, UnknownModels } from './vocabulary.js';

/** Everything in the block but the client keys, which need the providers to check, the admin listener and the shared state. */
function limits(s: RawMap): Omit<GatewaySettings, 'clientKeys' | 'admin' | 'sharedState'> {
  const d = GATEWAY_DEFAULTS;
  return {
    maxBodyBytes: readInt(s, 'max_body_bytes') ?? d.max_body_bytes,
    maxHeaderBytes: readInt(s, 'max_header_bytes') ?? d.max_header_bytes,
    headerTimeoutMs: readInt(s, 'header_timeout_ms') ?? d.header_timeout_ms,
    bodyTimeoutMs: readInt(s, 'body_timeout_ms') ?? d.body_timeout_ms,
    maxConcurrentRetries: readInt(s, 'max_concurrent_retries') ?? d.max_concurrent_retries,
    shutdownGraceMs: (readInt(s, 'shutdown_grace_seconds') ?? d.shutdown_grace_seconds) * 1000,
    logLevel: readEnum(s, 'log_level', LogLevel.enum, d.log_level),
    translation: globalTranslation(s),
    accessLog: readBool(s, 'access_log') ?? d.access_log,
    unknownModels: readEnum(s, 'unknown_models', UnknownModels.enum, d.unknown_models),
  };
}

/** switchyard.translation; providers read it before the rest of the block is built. */
export function globalTranslation(block: RawMap): TranslationMode {
  return readEnum(block, 'translation', TranslationMode.enum, GATEWAY_DEFAULTS.translation);
}

/** What a config without a `switchyard:` block gets. */
export const DEFAULT_GATEWAY: GatewaySettings = { ...limits({}), clientKeys: [], admin: undefined, sharedState: { type: 'memory' } };

/** Shorter keys are accepted with a warning: guessable keys are a configuration smell. */
const MIN_KEY_LENGTH = 16;
// A key travels in a header: visible ASCII only, so it can never smuggle a line break.
const KEY_CHARS = /^[\x21-\x7e]+$/;

export interface GatewayContext {
  readonly env: NodeJS.ProcessEnv;
  readonly issues: IssueCollector;
  readonly providers: readonly ModelRef[];
  /** alias -> entry name, already resolved. */
  readonly aliases: ReadonlyMap<string, string>;
  /** The model listener's port: the admin listener needs another (0, any free port, excepted). */
  readonly listenerPort: number;
}

function allowedModels(entry: RawMap, path: Path, ctx: GatewayContext): string[] | undefined {
  const list = readList(entry, 'allowed_models');
  if (list === undefined) return undefined;
  const names: string[] = [];
  list.forEach((item, i) => {
    if (typeof item !== 'string') return; // the schema reported it
    const viaAlias = ctx.aliases.get(item);
    const r = viaAlias !== undefined ? { ok: true as const, name: viaAlias } : resolveTarget(item, ctx.providers);
    if (!r.ok) ctx.issues.error([...path, 'allowed_models', i], r.message);
    else if (!names.includes(r.name)) names.push(r.name);
  });
  return names;
}

function clientKeys(block: RawMap, ctx: GatewayContext): ClientKey[] {
  const out: ClientKey[] = [];
  (readList(block, 'client_keys') ?? []).forEach((entry, i) => {
    if (!isRawMap(entry)) return;
    const path: Path = ['switchyard', 'client_keys', i];
    const raw = readString(entry, 'key');
    if (raw === undefined) return;
    const expanded = expandEnv(raw, ctx.env);
    if (!expanded.ok) {
      ctx.issues.error([...path, 'key'], missingVariablesMessage(expanded.missing));
      return;
    }
    const key = expanded.value;
    const name = readString(entry, 'name') ?? `client_keys[${i}]`;
    // Messages name the entry, never the key's value.
    if (!KEY_CHARS.test(key)) {
      ctx.issues.error([...path, 'key'], 'a client key may contain only visible ASCII characters (no spaces or line breaks)');
      return;
    }
    if (key.length < MIN_KEY_LENGTH) ctx.issues.warn([...path, 'key'], `client key "${name}" is shorter than ${MIN_KEY_LENGTH} characters`);
    const clash = out.find((k) => k.key === key || k.name === name);
    if (clash) {
      const what = clash.key === key ? 'the same key as' : 'the same name as';
      ctx.issues.error(path, `client key "${name}" has ${what} "${clash.name}"`);
      return;
    }
    out.push({ name, key, allowedModels: allowedModels(entry, path, ctx) });
  });
  return out;
}

function admin(block: RawMap, ctx: GatewayContext): AdminListener | undefined {
  const a = readMap(block, 'admin');
  if (a === undefined) return undefined;
  const port = readInt(a, 'port');
  if (port === undefined) return undefined; // the schema reported it
  if (port !== 0 && port === ctx.listenerPort) {
    ctx.issues.error(['switchyard', 'admin', 'port'], `the admin listener needs a port of its own; ${port} is the model listener's`);
  }
  return { address: readString(a, 'address') ?? GATEWAY_DEFAULTS.admin.address, port };
}

export function buildGateway(root: RawMap, ctx: GatewayContext): GatewaySettings {
  const s = readMap(root, 'switchyard') ?? {};
  return { ...limits(s), clientKeys: clientKeys(s, ctx), admin: admin(s, ctx), sharedState: buildSharedState(s, ctx.env, ctx.issues) };
}
