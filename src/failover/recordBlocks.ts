// Turning what an attempt revealed (Retry-After, slowness) into blocks.
import type { BlockApplyTo, BlockScope, LatencyMeasure, ModelProvider, RetryPolicy } from '../config/types.js';
import { blockKeyFor, type BlockReason, type BlockStore } from '../state/blockStore.js';
import { HIGH_LATENCY, type LatencyWindows } from '../state/latencyWindows.js';
import type { BlockEvent } from './observer.js';
import type { AttemptOutcome } from './outcome.js';
import { capRetryAfterMs } from './retryAfter.js';

function written(target: ModelProvider, scope: BlockScope, applyTo: BlockApplyTo, cause: BlockReason['cause'], untilMs: number): BlockEvent {
  return { scope, target: scope === 'model' ? target.name : target.prefix, cause, untilMs, applyTo };
}

/**
 * Blocks the target (or its prefix) for the outcome's Retry-After, capped by
 * max_retry_after_seconds, in the global store or the request's own store as
 * retry_after_handling.apply_to says. Returns the block written, if any.
 */
export function recordRetryAfter(
  policy: RetryPolicy,
  target: ModelProvider,
  outcome: AttemptOutcome,
  globalBlocks: BlockStore,
  requestBlocks: BlockStore,
  nowMs: number,
): BlockEvent | undefined {
  if (outcome.kind !== 'http-error' || outcome.retryAfterMs === undefined) return undefined;
  const handling = policy.retryAfter;
  const waitMs = capRetryAfterMs(outcome.retryAfterMs, handling.maxRetryAfterMs);
  if (waitMs <= 0) return undefined;
  const untilMs = nowMs + waitMs;
  const store = handling.applyTo === 'global' ? globalBlocks : requestBlocks;
  store.block(blockKeyFor(target, handling.scope), untilMs, { cause: 'retry-after', status: outcome.status });
  return written(target, handling.scope, handling.applyTo, 'retry-after', untilMs);
}

/**
 * Counts one high-latency event when `latencyMs` (measured as `measure`) exceeds
 * the policy's threshold, and blocks the target once min_triggers events fall in
 * the window. A global block's window is the shared one (the whole fleet's, in a
 * fleet), and the window blocks the shared store itself; a request-scoped block
 * needs the live request's store and is dropped when there is none. Returns
 * the block this event created here and now, if any.
 */
export function recordLatencyEvent(
  policy: RetryPolicy | undefined,
  target: ModelProvider,
  measure: LatencyMeasure,
  latencyMs: number,
  windows: LatencyWindows,
  requestBlocks: BlockStore | undefined,
  nowMs: number,
): BlockEvent | undefined {
  const rule = policy?.highLatency;
  if (rule === undefined || rule.measure !== measure || latencyMs <= rule.thresholdMs) return undefined;
  const key = blockKeyFor(target, rule.scope);
  const untilMs = nowMs + rule.blockDurationMs;
  if (rule.applyTo === 'global') {
    const blocked = windows.recordGlobal({ key, atMs: nowMs, minTriggers: rule.minTriggers, windowMs: rule.triggerWindowMs, blockUntilMs: untilMs });
    return blocked ? written(target, rule.scope, rule.applyTo, 'high-latency', untilMs) : undefined;
  }
  if (!windows.record(key, nowMs, rule.minTriggers, rule.triggerWindowMs) || requestBlocks === undefined) return undefined;
  requestBlocks.block(key, untilMs, HIGH_LATENCY);
  return written(target, rule.scope, rule.applyTo, 'high-latency', untilMs);
}
