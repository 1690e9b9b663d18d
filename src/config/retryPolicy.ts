// retry_policy -> RetryPolicy with every default filled in. Plano's documented
// defaults are used wherever a field is omitted.
import type { IssueCollector, Path } from './issues.js';
import { has, readBool, readEnum, readInt, readList, readMap, type RawMap } from './raw.js';
import { resolveTarget, type ModelRef } from './resolveModels.js';
import { buildStatusRules, sameModelRetries, STRATEGIES } from './statusCodes.js';
import { buildErrorRules } from './errorRules.js';
import { buildCircuitBreaker, buildStreamCommit, readStreamGuards } from './streamSettings.js';
import type { BackoffPolicy, HighLatencyRule, RetryAfterPolicy, RetryPolicy, TriggerRule } from './types.js';

export const RETRY_DEFAULTS = {
  strategy: 'different_provider',
  maxAttempts: 2,
  backoffBaseMs: 100,
  backoffMaxMs: 5_000,
  retryAfterMaxSeconds: 300,
  retryAfterMaxWaitSeconds: 5,
} as const;

export interface PolicyOwner extends ModelRef {
  readonly path: Path;
}

function buildFallbacks(raw: RawMap, owner: PolicyOwner, all: readonly ModelRef[], path: Path, issues: IssueCollector): string[] {
  const out: string[] = [];
  (readList(raw, 'fallback_models') ?? []).forEach((item, i) => {
    if (typeof item !== 'string') return;
    const at = [...path, 'fallback_models', i];
    const r = resolveTarget(item, all);
    if (!r.ok) {
      issues.error(at, r.message);
    } else if (r.name === owner.name) {
      issues.warn(at, `"${item}" is this provider itself; a fallback list names the other entries to try`);
    } else if (!out.includes(r.name)) {
      out.push(r.name);
    }
  });
  return out;
}

function buildHighLatency(raw: RawMap, path: Path, issues: IssueCollector): HighLatencyRule | undefined {
  const h = readMap(raw, 'on_high_latency');
  if (!h) return undefined;
  const minTriggers = readInt(h, 'min_triggers') ?? 1;
  const windowSeconds = readInt(h, 'trigger_window_seconds');
  if (minTriggers > 1 && windowSeconds === undefined && !has(h, 'trigger_window_seconds')) {
    issues.error([...path, 'on_high_latency', 'trigger_window_seconds'], `is required when min_triggers is greater than 1 (min_triggers is ${minTriggers})`);
  }
  return {
    id: 'latency',
    strategy: readEnum(h, 'strategy', STRATEGIES, RETRY_DEFAULTS.strategy),
    maxAttempts: readInt(h, 'max_attempts') ?? 1,
    thresholdMs: readInt(h, 'threshold_ms') ?? 1,
    measure: readEnum(h, 'measure', ['ttfb', 'total'], 'ttfb'),
    blockDurationMs: (readInt(h, 'block_duration_seconds') ?? 300) * 1000,
    scope: readEnum(h, 'scope', ['model', 'provider'], 'model'),
    applyTo: readEnum(h, 'apply_to', ['global', 'request'], 'global'),
    minTriggers,
    triggerWindowMs: windowSeconds === undefined ? undefined : windowSeconds * 1000,
    ...sameModelRetries(h),
  };
}

function buildBackoff(raw: RawMap, path: Path, issues: IssueCollector): BackoffPolicy | undefined {
  const b = readMap(raw, 'backoff');
  if (!b) return undefined;
  const base = readInt(b, 'base_ms');
  const max = readInt(b, 'max_ms');
  const baseMs = base ?? RETRY_DEFAULTS.backoffBaseMs;
  const maxMs = max ?? RETRY_DEFAULTS.backoffMaxMs;
  if (maxMs <= baseMs) {
    // Point at the field the user wrote; name the default when the other side is implied.
    if (max !== undefined) {
      const baseText = base !== undefined ? `${baseMs}` : `${baseMs}, the default`;
      issues.error([...path, 'backoff', 'max_ms'], `must be greater than base_ms (${baseText}), got ${maxMs}`);
    } else {
      issues.error([...path, 'backoff', 'base_ms'], `must be less than max_ms (${maxMs}, the default), got ${baseMs}`);
    }
  }
  return {
    applyTo: readEnum(b, 'apply_to', ['same_model', 'same_provider', 'global'], 'global'),
    baseMs,
    maxMs,
    jitter: readBool(b, 'jitter') ?? true,
  };
}

function buildRetryAfter(raw: RawMap): RetryAfterPolicy {
  const r = readMap(raw, 'retry_after_handling') ?? {};
  return {
    scope: readEnum(r, 'scope', ['model', 'provider'], 'model'),
    applyTo: readEnum(r, 'apply_to', ['global', 'request'], 'global'),
    maxRetryAfterMs: (readInt(r, 'max_retry_after_seconds') ?? RETRY_DEFAULTS.retryAfterMaxSeconds) * 1000,
    ...(has(r, 'max_wait_seconds') ? { maxWaitMs: (readInt(r, 'max_wait_seconds') ?? 0) * 1000 } : {}),
  };
}

export function buildRetryPolicy(
  raw: RawMap,
  owner: PolicyOwner,
  all: readonly ModelRef[],
  issues: IssueCollector,
): RetryPolicy {
  const path = [...owner.path, 'retry_policy'];
  const defaultRule: TriggerRule = {
    id: 'default',
    strategy: readEnum(raw, 'default_strategy', STRATEGIES, RETRY_DEFAULTS.strategy),
    maxAttempts: readInt(raw, 'default_max_attempts') ?? RETRY_DEFAULTS.maxAttempts,
    ...sameModelRetries(raw, 'default_same_model_retries'),
  };
  const onTimeout = readMap(raw, 'on_timeout');
  const timeoutRule: TriggerRule = onTimeout
    ? {
        id: 'timeout',
        strategy: readEnum(onTimeout, 'strategy', STRATEGIES, defaultRule.strategy),
        maxAttempts: readInt(onTimeout, 'max_attempts') ?? defaultRule.maxAttempts,
        ...sameModelRetries(onTimeout),
      }
    : { ...defaultRule, id: 'timeout' };

  return {
    fallbackModels: buildFallbacks(raw, owner, all, path, issues),
    statusRules: buildStatusRules(readList(raw, 'on_status_codes') ?? [], [...path, 'on_status_codes'], issues),
    defaultRule,
    timeoutRule,
    highLatency: buildHighLatency(raw, path, issues),
    backoff: buildBackoff(raw, path, issues),
    retryAfter: buildRetryAfter(raw),
    maxRetryDurationMs: readInt(raw, 'max_retry_duration_ms'),
    errorRules: buildErrorRules(readList(raw, 'on_errors') ?? [], [...path, 'on_errors'], issues),
    streamGuards: readStreamGuards(raw),
    streamCommit: buildStreamCommit(raw),
    circuitBreaker: buildCircuitBreaker(raw, path, issues),
  };
}
