// What /status.json returns and the status page and `switchyard status` show:
// every configured model's health, recent latency and errors, the latest
// failovers, the retry gate and the shared state. Built on demand from the
// live state; pure given its inputs.
import type { Config, ModelProvider } from '../config/types.js';
import { LayeredBlockView } from '../failover/blockView.js';
import type { BlockReason } from '../state/blockStore.js';
import type { SharedState } from '../state/sharedState.js';
import type { FailoverNote, StatusBoard } from './statusBoard.js';

export type ModelHealth = 'ok' | 'blocked' | 'circuit-open' | 'circuit-half-open';

export interface ModelStatus {
  readonly name: string;
  readonly model: string;
  readonly provider: string;
  /** Where attempts go: origin and chat path. */
  readonly endpoint: string;
  readonly health: ModelHealth;
  /** Epoch ms when the longest block on it ends; null when it is not blocked. */
  readonly blockedUntilMs: number | null;
  /** Whole seconds left, rounded up; null when not blocked. */
  readonly blockedForSeconds: number | null;
  readonly blockCause: BlockReason['cause'] | null;
  readonly circuit: 'closed' | 'open' | 'half-open';
  /** Time to first token over the window: first content event of a stream, or the whole answer. */
  readonly ttftMs: { readonly p50: number | null; readonly p95: number | null; readonly samples: number };
  readonly attempts: number;
  readonly failures: number;
  /** failures / attempts over the window; null without attempts. */
  readonly errorRate: number | null;
}

/** How the shared state (blocks, circuits, retry gate) is kept, and whether that store answers. */
export interface SharedStateHealth {
  readonly backend: string;
  readonly healthy: boolean;
  readonly detail: string | null;
}

export interface StatusSnapshot {
  readonly service: 'switchyard';
  readonly version: string;
  readonly nowMs: number;
  readonly generatedAt: string;
  readonly startedAtMs: number;
  readonly windowSeconds: number;
  readonly models: readonly ModelStatus[];
  /** Newest first. */
  readonly recentFailovers: readonly FailoverNote[];
  readonly retries: { readonly inBackoff: number; readonly gateInUse: number; readonly gateCapacity: number };
  readonly sharedState: SharedStateHealth;
}

export interface SnapshotInput {
  readonly config: Config;
  readonly shared: SharedState;
  readonly board: StatusBoard;
  readonly retriesInBackoff: number;
  readonly sharedHealth: SharedStateHealth;
  readonly version: string;
  readonly nowMs: number;
}

const round = (ms: number | undefined): number | null => (ms === undefined ? null : Math.round(ms * 10) / 10);

function modelStatus(p: ModelProvider, input: SnapshotInput, blocks: LayeredBlockView): ModelStatus {
  const { nowMs } = input;
  const phase = input.shared.circuits.phase(p);
  const block = blocks.entry(p, nowMs);
  const reading = input.board.read(p.name, nowMs);
  // A half-open circuit's block is the probe's lease, not a wait anyone should count down.
  const counted = block !== undefined && phase !== 'half-open';
  const health: ModelHealth =
    phase === 'open' ? 'circuit-open' : phase === 'half-open' ? 'circuit-half-open' : block !== undefined ? 'blocked' : 'ok';
  return {
    name: p.name,
    model: p.model,
    provider: p.prefix,
    endpoint: `${p.endpoint.origin}${p.endpoint.chatPath}`,
    health,
    blockedUntilMs: counted ? block.untilMs : null,
    blockedForSeconds: counted ? Math.ceil((block.untilMs - nowMs) / 1000) : null,
    blockCause: block?.reason.cause ?? null,
    circuit: phase,
    ttftMs: { p50: round(reading.ttftP50Ms), p95: round(reading.ttftP95Ms), samples: reading.ttftSamples },
    attempts: reading.attempts,
    failures: reading.failures,
    errorRate: reading.attempts === 0 ? null : Math.min(1, reading.failures / reading.attempts),
  };
}

export function buildStatusSnapshot(input: SnapshotInput): StatusSnapshot {
  const blocks = new LayeredBlockView(input.shared.blocks);
  const gate = input.shared.gate;
  return {
    service: 'switchyard',
    version: input.version,
    nowMs: input.nowMs,
    generatedAt: new Date(input.nowMs).toISOString(),
    startedAtMs: input.board.startedAtMs,
    windowSeconds: input.board.windowMs / 1000,
    models: input.config.providers.map((p) => modelStatus(p, input, blocks)),
    recentFailovers: input.board.recentNotes(),
    retries: { inBackoff: input.retriesInBackoff, gateInUse: gate.active, gateCapacity: gate.capacity },
    sharedState: input.sharedHealth,
  };
}
