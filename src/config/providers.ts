// Builds each model provider entry except its retry policy, which needs every
// entry to exist first (fallbacks and strategies refer to the others).
import { blockKeysOf } from './blockKeys.js';
import { resolveEndpoint } from '../providers/registry.js';
import { PROVIDER_DEFAULTS } from './defaults.js';
import { expandEnv, missingVariablesMessage } from './expandEnv.js';
import type { IssueCollector, Path } from './issues.js';
import { formatPath } from './issues.js';
import { has, isRawMap, readBool, readEnum, readInt, readMap, readString, type RawMap } from './raw.js';
import { buildHedge } from './hedgePolicy.js';
import { readGuardLimit, readStreamGuards } from './streamSettings.js';
import type { ModelProvider, TranslationMode, UpstreamEndpoint } from './types.js';
import { TranslationMode as TranslationModeWords } from './vocabulary.js';

/** A provider before its retry policy is built; `path` locates it in the file. */
export interface ProviderDraft extends Omit<ModelProvider, 'retryPolicy'> {
  readonly path: Path;
  readonly rawRetryPolicy: RawMap | undefined;
}

/** Placeholder for an entry whose endpoint failed to resolve; the load fails anyway. */
const UNRESOLVED: UpstreamEndpoint = { format: 'openai', origin: '', chatPath: '', query: '', auth: 'bearer', responsesPath: undefined };

// RFC 9110 token characters; a bad header name would only fail at request time.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export interface SplitModel {
  readonly prefix: string;
  readonly modelId: string;
}

/** Splits on the first "/": "openrouter/meta/llama" -> openrouter + meta/llama. */
export function splitModel(model: string): SplitModel | undefined {
  const slash = model.indexOf('/');
  if (slash <= 0 || slash === model.length - 1) return undefined;
  return { prefix: model.slice(0, slash), modelId: model.slice(slash + 1) };
}

function expandField(entry: RawMap, key: string, path: Path, env: NodeJS.ProcessEnv, issues: IssueCollector): string | undefined {
  const raw = readString(entry, key);
  if (raw === undefined) return undefined;
  const r = expandEnv(raw, env);
  if (r.ok) return r.value;
  issues.error([...path, key], missingVariablesMessage(r.missing));
  return undefined;
}

function expandHeaders(entry: RawMap, path: Path, env: NodeJS.ProcessEnv, issues: IssueCollector): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(readMap(entry, 'headers') ?? {})) {
    const at = [...path, 'headers', name];
    if (!HEADER_NAME.test(name)) {
      issues.error(at, `"${name}" is not a valid HTTP header name`);
      continue;
    }
    if (typeof value !== 'string') continue;
    const r = expandEnv(value, env);
    if (!r.ok) {
      issues.error(at, missingVariablesMessage(r.missing));
    } else if (/[\r\n\0]/.test(r.value)) {
      issues.error(at, 'header value must not contain line breaks or NUL');
    } else {
      out[name] = r.value;
    }
  }
  return out;
}

export interface ProviderContext {
  readonly env: NodeJS.ProcessEnv;
  readonly defaultConnectTimeoutMs: number;
  /** switchyard.translation, for entries without their own. */
  readonly defaultTranslation: TranslationMode;
  readonly issues: IssueCollector;
}

function buildOne(entry: RawMap, index: number, path: Path, ctx: ProviderContext): ProviderDraft | undefined {
  const { env, issues } = ctx;
  const model = readString(entry, 'model');
  if (model === undefined) return undefined; // missing or mistyped: the schema reported it
  const split = splitModel(model);
  if (!split) {
    issues.error([...path, 'model'], `must be "provider/model-id" with both parts non-empty, got ${JSON.stringify(model)}`);
    return undefined;
  }
  const accessKey = expandField(entry, 'access_key', path, env, issues);
  const baseUrl = expandField(entry, 'base_url', path, env, issues);
  const httpHost = expandField(entry, 'http_host', path, env, issues);
  const headers = expandHeaders(entry, path, env, issues);

  let endpoint = UNRESOLVED;
  const baseUrlBroken = has(entry, 'base_url') && baseUrl === undefined;
  if (!baseUrlBroken) {
    const supportsResponses = readBool(entry, 'supports_responses');
    const r = resolveEndpoint({ ...split, baseUrl, providerInterface: readString(entry, 'provider_interface'), supportsResponses });
    if (r.ok) endpoint = r.endpoint;
    else issues.error([...path, r.field], r.message);
    if (r.ok && supportsResponses === true && r.endpoint.responsesPath === undefined) {
      issues.error([...path, 'supports_responses'], `only an OpenAI-format entry can serve the Responses API (this one speaks ${r.endpoint.format})`);
    }
  }

  return {
    index,
    path,
    name: readString(entry, 'name') ?? model,
    model,
    prefix: split.prefix,
    modelId: split.modelId,
    isDefault: readBool(entry, 'default') ?? PROVIDER_DEFAULTS.default,
    accessKey,
    passthroughAuth: readBool(entry, 'passthrough_auth') ?? PROVIDER_DEFAULTS.passthrough_auth,
    headers,
    httpHost,
    endpoint,
    timeouts: {
      connectMs: readInt(entry, 'connect_timeout_ms') ?? ctx.defaultConnectTimeoutMs,
      firstByteMs: readGuardLimit(entry, 'first_byte_timeout_ms'),
    },
    streamGuards: readStreamGuards(entry),
    // Anthropic's Messages API continues a trailing assistant message; OpenAI-compatible servers vary, so they must opt in.
    supportsPrefill: readBool(entry, 'supports_prefill') ?? endpoint.format === 'anthropic',
    contextWindow: readInt(entry, 'context_window'),
    blockKeys: blockKeysOf(readString(entry, 'name') ?? model, split.prefix),
    hedge: buildHedge(entry, path, issues),
    translation: readEnum(entry, 'translation', TranslationModeWords.enum, ctx.defaultTranslation),
    reasoning: readBool(entry, 'reasoning') ?? PROVIDER_DEFAULTS.reasoning,
    maxOutputTokens: readInt(entry, 'max_output_tokens'),
    rawRetryPolicy: readMap(entry, 'retry_policy'),
  };
}

/** Builds every entry, then checks what only makes sense across entries. */
export function buildProviders(list: readonly unknown[], listKey: string, ctx: ProviderContext): ProviderDraft[] {
  const drafts: ProviderDraft[] = [];
  list.forEach((entry, index) => {
    if (!isRawMap(entry)) return;
    const draft = buildOne(entry, index, [listKey, index], ctx);
    if (draft) drafts.push(draft);
  });
  checkNamesAndDefault(list, drafts, ctx.issues);
  return drafts;
}

function checkNamesAndDefault(list: readonly unknown[], drafts: readonly ProviderDraft[], issues: IssueCollector): void {
  const firstByName = new Map<string, ProviderDraft>();
  let firstDefault: ProviderDraft | undefined;
  for (const d of drafts) {
    const raw = list[d.index] as RawMap;
    const earlier = firstByName.get(d.name);
    if (earlier) {
      const field = has(raw, 'name') ? 'name' : 'model';
      issues.error([...d.path, field], `duplicate provider name "${d.name}" (already used by ${formatPath(earlier.path)}); set a distinct name`);
    } else {
      firstByName.set(d.name, d);
    }
    if (d.isDefault) {
      if (firstDefault) {
        issues.error(
          [...d.path, 'default'],
          `only one provider may be default: ${formatPath(firstDefault.path)} ("${firstDefault.name}") and ${formatPath(d.path)} ("${d.name}") both are`,
        );
      } else {
        firstDefault = d;
      }
    }
  }
}
