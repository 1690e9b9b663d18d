// The shared state of a fleet (switchyard.shared_state.type: redis): each
// member is a local mirror that answers reads, backed by Redis for writes and
// for what only the fleet may grant (a retry slot, a circuit's probe).
//
// Each model's latency distributions and the hedge budget stay per replica
// (docs/fleet.md says why). Either could join the fleet the same way as the
// rest: a fleet implementation here that writes through the link with a Lua
// script, a message kind it applies from the channel, and a resync step.
import type { RedisSharedState } from '../../config/types.js';
import { MemoryBlockStore } from '../memoryBlockStore.js';
import { MemoryCircuitBreakers } from '../memoryCircuitBreakers.js';
import { MemoryHedgeBudget } from '../memoryHedgeBudget.js';
import { MemoryLatencyDistributions } from '../memoryLatencyDistributions.js';
import { MemoryLatencyWindows } from '../memoryLatencyWindows.js';
import type { SharedState } from '../../state/sharedState.js';
import type { StateLog } from '../stateLink.js';
import { FleetBlockStore } from './fleetBlockStore.js';
import { FleetCircuitBreakers } from './fleetCircuitBreakers.js';
import { FleetLatencyWindows } from './fleetLatencyWindows.js';
import { FleetRetryGate } from './fleetRetryGate.js';
import { fleetKeys } from './keys.js';
import { FleetLink } from './link.js';
import { decodeMessage } from './messages.js';

export function createFleetState(settings: RedisSharedState, maxConcurrentRetries: number, log: StateLog, now: () => number = Date.now): SharedState {
  const keys = fleetKeys(settings.keyPrefix, settings.db);
  const link = new FleetLink(settings, keys.channel, log, now);
  const mirror = new MemoryBlockStore();
  const blocks = new FleetBlockStore(mirror, link, keys, now);
  const circuits = new FleetCircuitBreakers(new MemoryCircuitBreakers(mirror), link, keys, log, now);
  const latency = new FleetLatencyWindows(new MemoryLatencyWindows(blocks), blocks, link, keys);
  const gate = new FleetRetryGate(maxConcurrentRetries, settings.retryLeaseMs, link, keys, log);

  link.start({
    onMessage(text, receivedAtMs) {
      const message = decodeMessage(text);
      if (message === undefined) {
        log.debug({ redis: settings.endpoint }, 'shared state: a message on the channel was not understood; ignored');
        return;
      }
      const from = { from: message.origin, lagMs: receivedAtMs - message.sentAtMs };
      const heard = message.origin !== link.replica;
      switch (message.kind) {
        case 'block':
          blocks.apply(message.key, message.entry);
          if (heard) log.debug({ key: message.key, untilMs: message.entry.untilMs, ...from }, 'shared block received');
          return;
        case 'circuit':
          circuits.apply(message.circuit);
          if (heard) log.debug({ model: message.circuit.name, phase: message.circuit.state.phase, ...from }, 'shared circuit received');
          return;
        case 'streak':
          circuits.applyStreak(message.streak);
          return;
      }
    },
    async resync(redis) {
      return { ...(await blocks.resync(redis)), ...(await circuits.resync(redis)), ...(await gate.resync(redis)) };
    },
  });

  return {
    blocks,
    circuits,
    latency,
    gate,
    distributions: new MemoryLatencyDistributions(),
    hedgeBudget: new MemoryHedgeBudget(),
    link: {
      health: () => link.health(),
      whenSynced: (timeoutMs) => link.whenSynced(timeoutMs),
      close: async () => {
        await gate.close();
        await link.close();
      },
    },
  };
}
