// Entry points: YAML text or a file in, a frozen Config (or every problem) out.
import { readFileSync } from 'node:fs';
import { buildAliases } from './aliases.js';
import { PROVIDER_DEFAULTS } from './defaults.js';
import { parseDuration } from './duration.js';
import { deepFreeze, frozenMap } from './freeze.js';
import { buildGateway, globalTranslation } from './gateway.js';
import { warnIgnoredSections } from './ignoredSections.js';
import { IssueCollector } from './issues.js';
import { buildListener } from './listener.js';
import { buildProviders, type ProviderDraft } from './providers.js';
import { isRawMap, readList, readMap, readString, type RawMap } from './raw.js';
import { buildRetryPolicy } from './retryPolicy.js';
import { warnDeadlineConflicts } from './deadlineWarnings.js';
import { warnIdleHedges } from './hedgeWarnings.js';
import { buildTracing } from './tracing.js';
import { checkSchema } from './schemaIssues.js';
import { buildStateStorage } from './stateStorage.js';
import { warnUnusableStrategies } from './strategyWarnings.js';
import type { Config, LoadResult, ModelProvider } from './types.js';
import { parseYaml } from './yamlSource.js';

const fail = (issues: IssueCollector): LoadResult => ({ ok: false, issues: issues.sorted() });

function connectTimeoutDefault(root: RawMap, issues: IssueCollector): number {
  const text = readString(readMap(root, 'overrides') ?? {}, 'upstream_connect_timeout');
  if (text === undefined) return PROVIDER_DEFAULTS.connect_timeout_ms;
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) {
    issues.error(['overrides', 'upstream_connect_timeout'], `must be a positive duration such as "5s", got ${JSON.stringify(text)}`);
    return PROVIDER_DEFAULTS.connect_timeout_ms;
  }
  return ms;
}

/** model_providers, or its deprecated alias llm_providers; returns the key used. */
function providerList(root: RawMap, issues: IssueCollector): { key: string; list: readonly unknown[] } {
  const modern = root['model_providers'];
  const legacy = root['llm_providers'];
  if (modern !== undefined && legacy !== undefined) {
    issues.error(['llm_providers'], 'use either model_providers or llm_providers (deprecated), not both');
  } else if (legacy !== undefined) {
    issues.warn(['llm_providers'], 'llm_providers is deprecated; rename it to model_providers');
  }
  const key = modern === undefined && legacy !== undefined ? 'llm_providers' : 'model_providers';
  const list = readList(root, key) ?? [];
  if (list.length === 0 && (root[key] === undefined || Array.isArray(root[key]))) {
    issues.error([key], 'at least one model provider is required');
  }
  return { key, list };
}

function finishProviders(drafts: readonly ProviderDraft[], issues: IssueCollector): ModelProvider[] {
  return drafts.map((d) => {
    const { path, rawRetryPolicy, ...rest } = d;
    if (!rawRetryPolicy) return { ...rest, retryPolicy: undefined };
    const retryPolicy = buildRetryPolicy(rawRetryPolicy, d, drafts, issues);
    warnUnusableStrategies(rawRetryPolicy, retryPolicy, d, drafts, issues);
    return { ...rest, retryPolicy };
  });
}

export function loadConfigText(text: string, source: string, env: NodeJS.ProcessEnv): LoadResult {
  const parsed = parseYaml(text);
  if (!parsed.ok) {
    return {
      ok: false,
      issues: parsed.problems.map((p) => ({ severity: 'error', path: '', message: `YAML syntax: ${p.message}`, line: p.line })),
    };
  }
  const issues = new IssueCollector(parsed.lineOf);
  const root = parsed.data;
  if (root === null || root === undefined) {
    issues.error([], 'the file is empty; it needs at least version and model_providers');
    return fail(issues);
  }
  if (!isRawMap(root)) {
    issues.error([], 'the top level must be a mapping of sections (version, listeners, model_providers, ...)');
    return fail(issues);
  }

  checkSchema(root, issues);
  warnIgnoredSections(root, issues);
  const listener = buildListener(root, issues);
  const defaultConnectTimeoutMs = connectTimeoutDefault(root, issues);
  const { key, list } = providerList(root, issues);
  const defaultTranslation = globalTranslation(readMap(root, 'switchyard') ?? {});
  const drafts = buildProviders(list, key, { env, defaultConnectTimeoutMs, defaultTranslation, issues });
  const aliases = buildAliases(root, drafts, issues);
  const providers = finishProviders(drafts, issues);
  const located = drafts.map((d, i) => ({ provider: providers[i] as ModelProvider, path: d.path, raw: list[d.index] as RawMap }));
  warnDeadlineConflicts(located, listener.timeoutMs, issues);
  warnIdleHedges(located, issues);
  const gateway = buildGateway(root, { env, issues, providers: drafts, aliases: aliases.exact, listenerPort: listener.port });
  const stateStorage = buildStateStorage(root, env, issues);
  const tracing = buildTracing(root, env, issues);

  const defaultProvider = providers.find((p) => p.isDefault);
  if (gateway.unknownModels === 'use_default' && defaultProvider === undefined) {
    issues.error(['switchyard', 'unknown_models'], 'use_default needs a default model entry (default: true on one of model_providers)');
  }
  if (issues.hasErrors) return fail(issues);
  const config: Config = {
    source,
    version: readString(root, 'version') ?? '',
    listener,
    providers,
    aliases: frozenMap(aliases.exact),
    aliasPatterns: aliases.patterns,
    defaultProvider,
    gateway,
    stateStorage,
    tracing,
  };
  return { ok: true, config: deepFreeze(config), warnings: issues.sorted() };
}

export function loadConfigFile(path: string, env: NodeJS.ProcessEnv = process.env): LoadResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory, not a file' : `cannot read file (${code ?? String(err)})`;
    return { ok: false, issues: [{ severity: 'error', path: '', message: why, line: undefined }] };
  }
  return loadConfigText(text, path, env);
}
