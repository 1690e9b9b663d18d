// Switchyard's streaming extensions to retry_policy and model providers:
// stream guards, the commit point and the circuit breaker, with their defaults.
import type { IssueCollector, Path } from './issues.js';
import { has, isRawMap, readBool, readInt, readMap, type RawMap } from './raw.js';
import type { CircuitBreakerPolicy, StreamCommit, StreamGuardSettings } from './types.js';

export const STREAM_DEFAULTS = {
  /** Send → first content-bearing event. Generous: reasoning models think before their first token. */
  firstTokenTimeoutMs: 60_000,
  /** Longest silence between events once content flows. */
  idleTimeoutMs: 30_000,
} as const;

/**
 * Off unless `circuit_breaker` is present, so a Plano file keeps Plano's
 * behaviour (every request tries its primary). Once enabled, short open
 * periods on purpose: a recovered primary gets its traffic back within seconds.
 */
export const CIRCUIT_DEFAULTS: CircuitBreakerPolicy = {
  enabled: false,
  failureThreshold: 5,
  failureRatio: undefined,
  minRequests: 20,
  windowMs: 30_000,
  openMs: 1_000,
  maxOpenMs: 5_000,
};

const IMMEDIATE: StreamCommit = { mode: 'immediate' };
const BUFFERED: StreamCommit = { mode: 'buffered' };

export function readStreamGuards(raw: RawMap): StreamGuardSettings {
  return { firstTokenTimeoutMs: readInt(raw, 'first_token_timeout_ms'), idleTimeoutMs: readInt(raw, 'idle_timeout_ms') };
}

export function buildStreamCommit(raw: RawMap): StreamCommit {
  const v = raw['stream_commit'];
  if (v === 'buffered') return BUFFERED;
  if (isRawMap(v)) {
    const ms = readInt(v, 'buffer_ms');
    if (ms !== undefined) return { mode: 'window', bufferMs: ms };
  }
  return IMMEDIATE;
}

const readNumber = (m: RawMap, key: string): number | undefined => {
  const v = m[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
};

export function buildCircuitBreaker(raw: RawMap, path: Path, issues: IssueCollector): CircuitBreakerPolicy {
  const c = readMap(raw, 'circuit_breaker');
  if (!c) return CIRCUIT_DEFAULTS;
  const at = [...path, 'circuit_breaker'];
  const openSeconds = readNumber(c, 'open_seconds');
  const maxOpenSeconds = readNumber(c, 'max_open_seconds');
  const openMs = openSeconds === undefined ? CIRCUIT_DEFAULTS.openMs : Math.round(openSeconds * 1000);
  const maxOpenMs =
    maxOpenSeconds === undefined ? Math.max(CIRCUIT_DEFAULTS.maxOpenMs, openMs) : Math.round(maxOpenSeconds * 1000);
  if (maxOpenMs < openMs) {
    issues.error([...at, 'max_open_seconds'], `must be at least open_seconds (${openMs / 1000}), got ${maxOpenMs / 1000}`);
  }
  const windowSeconds = readNumber(c, 'window_seconds');
  if (has(c, 'min_requests') && !has(c, 'failure_ratio')) {
    issues.warn([...at, 'min_requests'], 'has no effect without failure_ratio');
  }
  return {
    enabled: readBool(c, 'enabled') ?? true,
    failureThreshold: readInt(c, 'failure_threshold') ?? CIRCUIT_DEFAULTS.failureThreshold,
    failureRatio: readNumber(c, 'failure_ratio'),
    minRequests: readInt(c, 'min_requests') ?? CIRCUIT_DEFAULTS.minRequests,
    windowMs: windowSeconds === undefined ? CIRCUIT_DEFAULTS.windowMs : Math.round(windowSeconds * 1000),
    openMs,
    maxOpenMs,
  };
}
