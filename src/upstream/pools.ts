// One keep-alive connection pool per upstream origin (and connect timeout),
// shared by every request for the life of the process.
import { Pool } from 'undici';
import { preciseConnector } from './preciseConnector.js';

export class UpstreamPools {
  /** By origin, then connect timeout: a combined string key cost a string and its hash on every request. */
  private readonly pools = new Map<string, Map<number, Pool>>();

  get(origin: string, connectTimeoutMs: number): Pool {
    let byTimeout = this.pools.get(origin);
    if (!byTimeout) {
      byTimeout = new Map();
      this.pools.set(origin, byTimeout);
    }
    let pool = byTimeout.get(connectTimeoutMs);
    if (!pool) {
      pool = new Pool(origin, {
        connect: preciseConnector(connectTimeoutMs),
        keepAliveTimeout: 30_000,
        keepAliveMaxTimeout: 600_000,
        // Timeouts are set per request from the provider's settings and the deadline.
        headersTimeout: 0,
        bodyTimeout: 0,
      });
      byTimeout.set(connectTimeoutMs, pool);
    }
    return pool;
  }

  async close(): Promise<void> {
    const all = [...this.pools.values()].flatMap((byTimeout) => [...byTimeout.values()]);
    this.pools.clear();
    await Promise.allSettled(all.map((p) => p.destroy()));
  }
}
