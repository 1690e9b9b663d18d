// Switchyard's streaming extensions to retry_policy and model providers:
// stream guards, the commit point and the circuit breaker.
import { NO_CIRCUIT_BREAKER, RETRY_POLICY_DEFAULTS } from './defaults.js';
import type { IssueCollector, Path } from './issues.js';
import { has, isRawMap, readBool, readEnum, readInt, readMap, type RawMap } from './raw.js';
import type { CircuitBreakerPolicy, GuardLimit, LearnedTimeouts, StreamCommit, StreamGuardSettings } from './types.js';
import { StreamCommitWord } from './vocabulary.js';

const CB = RETRY_POLICY_DEFAULTS.circuit_breaker;
const ms = (seconds: number): number => Math.round(seconds * 1000);

/** The breaker of a policy without a circuit_breaker block: off, other fields at their defaults. */
export const CIRCUIT_DEFAULTS: CircuitBreakerPolicy = {
  enabled: NO_CIRCUIT_BREAKER.enabled,
  failureThreshold: CB.failure_threshold,
  failureRatio: undefined,
  minRequests: CB.min_requests,
  windowMs: ms(CB.window_seconds),
  openMs: ms(CB.open_seconds),
  maxOpenMs: ms(CB.max_open_seconds),
};

const readNumber = (m: RawMap, key: string): number | undefined => {
  const v = m[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
};

/** A first-byte or first-token limit: milliseconds or `auto`; undefined when absent (or mistyped: the schema said so). */
export function readGuardLimit(raw: RawMap, key: string): GuardLimit | undefined {
  return raw[key] === 'auto' ? 'auto' : readInt(raw, key);
}

/** Stream guards as set on a policy or a provider; undefined falls back (provider, then policy, then default). */
export function readStreamGuards(raw: RawMap): StreamGuardSettings {
  return { firstTokenTimeoutMs: readGuardLimit(raw, 'first_token_timeout_ms'), idleTimeoutMs: readInt(raw, 'idle_timeout_ms') };
}

/** The settings of a request whose primary has no retry_policy (or one without learned_timeouts). */
export const DEFAULT_LEARNED_TIMEOUTS: LearnedTimeouts = buildLearnedTimeouts({});

/** learned_timeouts, with its defaults; `issues` hears of a ceiling below the floor. */
export function buildLearnedTimeouts(raw: RawMap, path: Path = [], issues?: IssueCollector): LearnedTimeouts {
  const l = readMap(raw, 'learned_timeouts') ?? {};
  const d = RETRY_POLICY_DEFAULTS.learned_timeouts;
  const floorMs = readInt(l, 'floor_ms') ?? d.floor_ms;
  const ceilingMs = readInt(l, 'ceiling_ms');
  if (ceilingMs !== undefined && ceilingMs < floorMs) {
    issues?.error([...path, 'learned_timeouts', 'ceiling_ms'], `must be at least floor_ms (${floorMs}), got ${ceilingMs}`);
  }
  return { multiplier: readNumber(l, 'multiplier') ?? d.multiplier, floorMs, ceilingMs };
}

export function buildStreamCommit(raw: RawMap): StreamCommit {
  const v = raw['stream_commit'];
  if (isRawMap(v)) {
    const bufferMs = readInt(v, 'buffer_ms');
    if (bufferMs !== undefined) return { mode: 'window', bufferMs };
  }
  return { mode: readEnum(raw, 'stream_commit', StreamCommitWord.enum, RETRY_POLICY_DEFAULTS.stream_commit) };
}

/** The commit point of a request whose primary has no policy. */
export const DEFAULT_STREAM_COMMIT: StreamCommit = buildStreamCommit({});

export function buildCircuitBreaker(raw: RawMap, path: Path, issues: IssueCollector): CircuitBreakerPolicy {
  const c = readMap(raw, 'circuit_breaker');
  if (!c) return CIRCUIT_DEFAULTS;
  const at = [...path, 'circuit_breaker'];
  const openSeconds = readNumber(c, 'open_seconds');
  const maxOpenSeconds = readNumber(c, 'max_open_seconds');
  const openMs = ms(openSeconds ?? CB.open_seconds);
  const maxOpenMs = maxOpenSeconds === undefined ? Math.max(ms(CB.max_open_seconds), openMs) : ms(maxOpenSeconds);
  if (maxOpenMs < openMs) {
    issues.error([...at, 'max_open_seconds'], `must be at least open_seconds (${openMs / 1000}), got ${maxOpenMs / 1000}`);
  }
  const windowSeconds = readNumber(c, 'window_seconds');
  if (has(c, 'min_requests') && !has(c, 'failure_ratio')) {
    issues.warn([...at, 'min_requests'], 'has no effect without failure_ratio');
  }
  return {
    enabled: readBool(c, 'enabled') ?? CB.enabled,
    failureThreshold: readInt(c, 'failure_threshold') ?? CB.failure_threshold,
    failureRatio: readNumber(c, 'failure_ratio'),
    minRequests: readInt(c, 'min_requests') ?? CB.min_requests,
    windowMs: ms(windowSeconds ?? CB.window_seconds),
    openMs,
    maxOpenMs,
  };
}
