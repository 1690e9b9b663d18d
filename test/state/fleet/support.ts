// In-process fleet members against one real redis-server: each member is a
// whole shared state, as one replica holds it, with its log lines captured.
import type { RedisSharedState } from '../../../src/config/types.js';
import { checkRedisUrl } from '../../../src/config/sharedState.js';
import { createFleetState } from '../../../src/state/fleet/fleetState.js';
import type { SharedState } from '../../../src/state/sharedState.js';
import type { StateLog } from '../../../src/state/stateLink.js';
import type { RedisServer } from '../../support/redisServer.js';

export interface LogLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly msg: string;
  readonly fields: Record<string, unknown>;
}

export interface Member {
  readonly shared: SharedState;
  readonly logs: LogLine[];
  close(): Promise<void>;
}

export interface MemberOptions {
  readonly prefix?: string;
  readonly leaseMs?: number;
  readonly cap?: number;
  readonly url?: string;
  /** Waits for the first sync (default true). */
  readonly synced?: boolean;
}

export function redisSettings(url: string, prefix = 'test:', leaseMs = 30_000): RedisSharedState {
  const checked = checkRedisUrl(url);
  if (!checked.ok) throw new Error(checked.message);
  return { type: 'redis', url, ...checked.parts, keyPrefix: prefix, retryLeaseMs: leaseMs };
}

export async function member(redis: RedisServer, opts: MemberOptions = {}): Promise<Member> {
  const logs: LogLine[] = [];
  const at = (level: LogLine['level']) => (fields: object, msg: string): void => {
    logs.push({ level, msg, fields: fields as Record<string, unknown> });
  };
  const log: StateLog = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  const shared = createFleetState(redisSettings(opts.url ?? redis.url(), opts.prefix, opts.leaseMs), opts.cap ?? 1000, log);
  if (opts.synced ?? true) await shared.link.whenSynced(5_000);
  return { shared, logs, close: () => shared.link.close() };
}

/** Resolves once check() holds; rejects after withinMs. Returns how long it took. */
export async function within(check: () => boolean, withinMs: number, what: string): Promise<number> {
  const started = performance.now();
  while (!check()) {
    if (performance.now() - started > withinMs) throw new Error(`${what}: not within ${withinMs} ms`);
    await new Promise((r) => setTimeout(r, 1));
  }
  return performance.now() - started;
}

/** The fleet link's status of a member (a fleet member's health is never memory's). */
export function statusOf(m: Member): string {
  const h = m.shared.link.health();
  return h.type === 'redis' ? h.status : 'memory';
}
