// retry_policy -> RetryPolicy with every default filled in. Plano's documented
// defaults are used wherever a field is omitted.
import { RETRY_POLICY_DEFAULTS, REQUIRED_STAND_INS, SAME_MODEL_RETRY_BACKOFF } from './defaults.js';
import { IssueCollector, type Path } from './issues.js';
import { has, readBool, readEnum, readInt, readList, readMap, type RawMap } from './raw.js';
import { resolveTarget, type ModelRef } from './resolveModels.js';
import { buildStatusRules, sameModelRetries } from './statusCodes.js';
import { buildErrorRules } from './errorRules.js';
import { buildHedge } from './hedgePolicy.js';
import { buildCircuitBreaker, buildLearnedTimeouts, buildStreamCommit, readGuardLimit, readStreamGuards } from './streamSettings.js';
import type { BackoffPolicy, HighLatencyRule, RetryAfterPolicy, RetryPolicy, TriggerRule } from './types.js';
import { BackoffApplyTo, BlockApplyTo, BlockScope, LatencyMeasure, Strategy } from './vocabulary.js';

const DEFAULTS = RETRY_POLICY_DEFAULTS;

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
  const minTriggers = readInt(h, 'min_triggers') ?? DEFAULTS.on_high_latency.min_triggers;
  const windowSeconds = readInt(h, 'trigger_window_seconds');
  if (minTriggers > 1 && windowSeconds === undefined && !has(h, 'trigger_window_seconds')) {
    issues.error([...path, 'on_high_latency', 'trigger_window_seconds'], `is required when min_triggers is greater than 1 (min_triggers is ${minTriggers})`);
  }
  return {
    id: 'latency',
    strategy: readEnum(h, 'strategy', Strategy.enum, REQUIRED_STAND_INS.strategy),
    maxAttempts: readInt(h, 'max_attempts') ?? REQUIRED_STAND_INS.on_high_latency.max_attempts,
    thresholdMs: readInt(h, 'threshold_ms') ?? REQUIRED_STAND_INS.on_high_latency.threshold_ms,
    measure: readEnum(h, 'measure', LatencyMeasure.enum, DEFAULTS.on_high_latency.measure),
    blockDurationMs: (readInt(h, 'block_duration_seconds') ?? REQUIRED_STAND_INS.on_high_latency.block_duration_seconds) * 1000,
    scope: readEnum(h, 'scope', BlockScope.enum, DEFAULTS.on_high_latency.scope),
    applyTo: readEnum(h, 'apply_to', BlockApplyTo.enum, DEFAULTS.on_high_latency.apply_to),
    minTriggers,
    triggerWindowMs: windowSeconds === undefined ? undefined : windowSeconds * 1000,
    ...sameModelRetries(h),
  };
}

/** A backoff block; `path` locates the policy it belongs to. */
function readBackoff(b: RawMap, path: Path, issues: IssueCollector): BackoffPolicy {
  const base = readInt(b, 'base_ms');
  const max = readInt(b, 'max_ms');
  const baseMs = base ?? DEFAULTS.backoff.base_ms;
  const maxMs = max ?? DEFAULTS.backoff.max_ms;
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
    applyTo: readEnum(b, 'apply_to', BackoffApplyTo.enum, REQUIRED_STAND_INS.backoff.apply_to),
    baseMs,
    maxMs,
    jitter: readBool(b, 'jitter') ?? DEFAULTS.backoff.jitter,
  };
}

function buildBackoff(raw: RawMap, path: Path, issues: IssueCollector): BackoffPolicy | undefined {
  const b = readMap(raw, 'backoff');
  return b ? readBackoff(b, path, issues) : undefined;
}

function buildRetryAfter(raw: RawMap): RetryAfterPolicy {
  const r = readMap(raw, 'retry_after_handling') ?? {};
  const d = DEFAULTS.retry_after_handling;
  return {
    scope: readEnum(r, 'scope', BlockScope.enum, d.scope),
    applyTo: readEnum(r, 'apply_to', BlockApplyTo.enum, d.apply_to),
    maxRetryAfterMs: (readInt(r, 'max_retry_after_seconds') ?? d.max_retry_after_seconds) * 1000,
    maxWaitMs: (readInt(r, 'max_wait_seconds') ?? d.max_wait_seconds) * 1000,
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
    strategy: readEnum(raw, 'default_strategy', Strategy.enum, DEFAULTS.default_strategy),
    maxAttempts: readInt(raw, 'default_max_attempts') ?? DEFAULTS.default_max_attempts,
    ...sameModelRetries(raw, 'default_same_model_retries'),
  };
  const onTimeout = readMap(raw, 'on_timeout');
  const timeoutRule: TriggerRule = onTimeout
    ? {
        id: 'timeout',
        strategy: readEnum(onTimeout, 'strategy', Strategy.enum, defaultRule.strategy),
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
    firstByteTimeoutMs: readGuardLimit(raw, 'first_byte_timeout_ms'),
    deadlineReservePercent: readInt(raw, 'deadline_reserve_percent') ?? DEFAULTS.deadline_reserve_percent,
    learnedTimeouts: buildLearnedTimeouts(raw, path, issues),
    hedge: buildHedge(raw, path, issues),
    streamCommit: buildStreamCommit(raw),
    circuitBreaker: buildCircuitBreaker(raw, path, issues),
  };
}

/** For inputs known to be valid (the defaults themselves): their issues have nowhere to go. */
const unreported = (): IssueCollector => new IssueCollector(() => undefined);

/** The policy an empty `retry_policy: {}` loads as: every field at its default. */
export function defaultRetryPolicy(): RetryPolicy {
  return buildRetryPolicy({}, { name: '', model: '', modelId: '', path: [] }, [], unreported());
}

/** What same-model retries wait when the policy has no backoff block. */
export const SAME_MODEL_BACKOFF: BackoffPolicy = readBackoff(SAME_MODEL_RETRY_BACKOFF, [], unreported());
