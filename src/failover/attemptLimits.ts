// How long one attempt may wait for its answer to start: the configured
// limits, `auto` limits learned from the model's recent times, and the
// deadline split, which keeps an attempt from using the time the next
// candidate needs. Pure given the distributions and the clock reading.
import { PROVIDER_DEFAULTS, RETRY_POLICY_DEFAULTS } from '../config/defaults.js';
import { DEFAULT_LEARNED_TIMEOUTS } from '../config/streamSettings.js';
import type { GuardLimit, ModelProvider, RetryPolicy } from '../config/types.js';
import type { LatencyDistributions, LatencyMetric } from '../state/latencyDistributions.js';
import { isKnown, LEARNED_QUANTILE, learnedLimitMs } from './learnedLimit.js';

/** Where the wait for the answer came from, for logs: as configured, learned (`auto`), or cut by the deadline split. */
export type LimitBasis = 'configured' | 'learned' | 'deadline-split';

export interface AttemptLimits {
  /** Send → response headers; for a stream, its first event. */
  readonly firstByteMs: number;
  /** Streams: send → first content-bearing event. */
  readonly firstTokenMs: number;
  /** Streams: the longest silence between events once content flows. */
  readonly idleMs: number;
  readonly basis: LimitBasis;
}

export type TimesView = Pick<LatencyDistributions, 'quantile'>;

const FIRST_BYTE_DEFAULT = PROVIDER_DEFAULTS.first_byte_timeout_ms;
const FIRST_TOKEN_DEFAULT = RETRY_POLICY_DEFAULTS.first_token_timeout_ms;
const IDLE_DEFAULT = RETRY_POLICY_DEFAULTS.idle_timeout_ms;

/** The metric and static default of the limit that bounds the wait for an answer to start. */
const waitMetric = (stream: boolean): LatencyMetric => (stream ? 'first-token' : 'first-byte');
const waitDefault = (stream: boolean): number => (stream ? FIRST_TOKEN_DEFAULT : FIRST_BYTE_DEFAULT);

/** A stream waits for its first token (which also bounds its first byte); a whole answer for its headers. */
export const waitLimitMs = (limits: AttemptLimits, stream: boolean): number => (stream ? limits.firstTokenMs : limits.firstByteMs);

function resolve(
  setting: GuardLimit | undefined,
  target: ModelProvider,
  metric: LatencyMetric,
  staticDefault: number,
  policy: RetryPolicy | undefined,
  times: TimesView,
  nowMs: number,
): number {
  if (setting !== 'auto') return setting ?? staticDefault;
  return learnedLimitMs(times.quantile(target.name, metric, LEARNED_QUANTILE, nowMs), policy?.learnedTimeouts ?? DEFAULT_LEARNED_TIMEOUTS, staticDefault);
}

/**
 * The limits of an attempt on `target` under the request's policy. The entry's
 * own setting wins (it knows its model), then the policy's, then the default;
 * `auto` is learned from the target's times.
 */
export function guardLimits(target: ModelProvider, policy: RetryPolicy | undefined, stream: boolean, times: TimesView, nowMs: number): AttemptLimits {
  const firstByte = target.timeouts.firstByteMs ?? policy?.firstByteTimeoutMs;
  const firstToken = stream ? (target.streamGuards.firstTokenTimeoutMs ?? policy?.streamGuards.firstTokenTimeoutMs) : undefined;
  return {
    firstByteMs: resolve(firstByte, target, 'first-byte', FIRST_BYTE_DEFAULT, policy, times, nowMs),
    firstTokenMs: resolve(firstToken, target, 'first-token', FIRST_TOKEN_DEFAULT, policy, times, nowMs),
    idleMs: target.streamGuards.idleTimeoutMs ?? policy?.streamGuards.idleTimeoutMs ?? IDLE_DEFAULT,
    basis: firstByte === 'auto' || firstToken === 'auto' ? 'learned' : 'configured',
  };
}

/**
 * Whether the deadline split could shorten these limits: the reserve is at
 * most deadline_reserve_percent of what remains, so a wait within the rest
 * never needs the next candidate worked out.
 */
export function splitMayApply(limits: AttemptLimits, stream: boolean, policy: RetryPolicy, remainingMs: number): boolean {
  const share = policy.deadlineReservePercent / 100;
  return share > 0 && waitLimitMs(limits, stream) > remainingMs * (1 - share);
}

/**
 * The time to hold back for `next`, the candidate a timeout would move to:
 * what its own limit lets it take, and no more than k × p99 of its recent
 * times when they are known (learned_timeouts), but never more than
 * deadline_reserve_percent of what remains.
 */
export function deadlineReserveMs(
  policy: RetryPolicy,
  next: ModelProvider,
  stream: boolean,
  remainingMs: number,
  times: TimesView,
  nowMs: number,
): number {
  let reserve = Math.min((remainingMs * policy.deadlineReservePercent) / 100, waitLimitMs(guardLimits(next, policy, stream, times, nowMs), stream));
  const observed = times.quantile(next.name, waitMetric(stream), LEARNED_QUANTILE, nowMs);
  if (isKnown(observed)) reserve = Math.min(reserve, learnedLimitMs(observed, policy.learnedTimeouts, waitDefault(stream)));
  return reserve;
}

/** The limits cut to `budgetMs` when they would wait longer; unchanged otherwise. */
export function splitForDeadline(limits: AttemptLimits, stream: boolean, budgetMs: number): AttemptLimits {
  if (waitLimitMs(limits, stream) <= budgetMs) return limits;
  const budget = Math.max(1, Math.floor(budgetMs));
  return {
    firstByteMs: Math.min(limits.firstByteMs, budget),
    firstTokenMs: Math.min(limits.firstTokenMs, budget),
    idleMs: limits.idleMs,
    basis: 'deadline-split',
  };
}
