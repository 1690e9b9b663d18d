// The failover loop's context for one client request: the shared state, the
// config and what this request brings, written as one object literal. Built
// as `{ ...rt.shared, config, … }` instead, it cost 10–20% of a request's CPU
// (measured with the gateway pinned, streamed and whole answers alike): every
// read of the context, in every step of the loop, went through a slow path.
import type { ModelProvider } from '../config/types.js';
import { systemClock } from '../failover/clock.js';
import type { ClientPresence, FailoverContext } from '../failover/runTypes.js';
import type { FailoverObserver } from '../failover/observer.js';
import type { GatewayRuntime } from './runtime.js';

export interface RequestFailover {
  readonly primary: ModelProvider;
  readonly deadlineMs: number;
  readonly client: ClientPresence;
  readonly requestId: string;
  readonly stream: boolean;
  readonly observer: FailoverObserver;
}

export function failoverContext(rt: GatewayRuntime, request: RequestFailover): FailoverContext {
  const shared = rt.shared;
  return {
    blocks: shared.blocks,
    latency: shared.latency,
    gate: shared.gate,
    circuits: shared.circuits,
    distributions: shared.distributions,
    hedgeBudget: shared.hedgeBudget,
    link: shared.link,
    config: rt.config,
    primary: request.primary,
    clock: systemClock,
    rng: Math.random,
    deadlineMs: request.deadlineMs,
    client: request.client,
    log: rt.log,
    requestId: request.requestId,
    stream: request.stream,
    observer: request.observer,
  };
}
