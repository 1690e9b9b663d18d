// One keep-alive connection pool per upstream origin (and connect timeout),
// shared by every request for the life of the process.
import { Pool } from 'undici';
import { preciseConnector } from './preciseConnector.js';

export class UpstreamPools {
  private readonly pools = new Map<string, Pool>();

  get(origin: string, connectTimeoutMs: number): Pool {
    const key = `${origin}|${connectTimeoutMs}`;
    let pool = this.pools.get(key);
    if (!pool) {
      pool = new Pool(origin, {
        connect: preciseConnector(connectTimeoutMs),
        keepAliveTimeout: 30_000,
        keepAliveMaxTimeout: 600_000,
        // Timeouts are set per request from the provider's settings and the deadline.
        headersTimeout: 0,
        bodyTimeout: 0,
      });
      this.pools.set(key, pool);
    }
    return pool;
  }

  async close(): Promise<void> {
    const all = [...this.pools.values()];
    this.pools.clear();
    await Promise.allSettled(all.map((p) => p.destroy()));
  }
}
