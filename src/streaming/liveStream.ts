// A streamed answer handed from the attempt (before commit) to the relay
// (after it): what was read ahead, and the reader to go on with.
import type { WireFormat } from '../dialects/wireFormat.js';
import type { ModelProvider } from '../config/types.js';
import type { SseEvent } from '../dialects/index.js';
import type { UpstreamEventReader } from './upstreamReader.js';

/**
 * Where a stream is before its commit point: waiting for its first content,
 * then streaming while held back. Failover is free up to 'committed'; from
 * there on the client has bytes and only continuation or an in-band error
 * remain (relayStream.ts).
 */
export type StreamPhase = 'awaiting-first-token' | 'streaming' | 'committed';

export interface LiveStream {
  readonly target: ModelProvider;
  readonly format: WireFormat;
  readonly reader: UpstreamEventReader;
  /** Whole events read before the commit point, raw, to be relayed first. */
  readonly head: readonly Buffer[];
  /** The same events, parsed. */
  readonly headEvents: readonly SseEvent[];
  readonly idleMs: number;
  /** performance.now() at the first content-bearing event; undefined when it committed before one. */
  readonly firstContentAt?: number | undefined;
}
