// max_concurrent_retries across the fleet. Each retry in flight holds a lease
// in one sorted set in Redis, scored by when it lapses (Redis's clock); taking
// a slot is one script: drop lapsed leases, count, add. A replica renews its
// leases while their retries run, so a replica that dies stops renewing and
// its slots come back within retry_lease_seconds.
//
// While Redis cannot answer within SHARED_STATE_WAIT_MS, this replica grants
// slots up to the cap on its own (fail-open): a retry is never refused
// because Redis is down.
import type { Redis } from 'ioredis';
import { MemoryRetryGate } from '../memoryRetryGate.js';
import type { RetryGate } from '../retryGate.js';
import type { FleetKeys } from './keys.js';
import type { FleetLink } from './link.js';
import { LEASE_ACQUIRE_SCRIPT, LEASE_RENEW_SCRIPT } from './scripts.js';

export class FleetRetryGate implements RetryGate {
  /** This replica's own count and cap: the fallback, and a bound no fleet answer can exceed. */
  private readonly local: MemoryRetryGate;
  private readonly leases: string[] = [];
  /** Slots granted while Redis could not be asked; they hold no lease. */
  private alone = 0;
  /** Leases given back while Redis was unreachable (or granted too late to use): removed on re-sync. */
  private readonly unreleased: string[] = [];
  private seq = 0;
  private readonly renewer: NodeJS.Timeout;

  constructor(
    capacity: number,
    private readonly leaseMs: number,
    private readonly link: FleetLink,
    private readonly keys: FleetKeys,
  ) {
    this.local = new MemoryRetryGate(capacity);
    this.renewer = setInterval(() => { this.renew(); }, Math.max(50, Math.floor(leaseMs / 3)));
    this.renewer.unref();
  }

  get capacity(): number {
    return this.local.capacity;
  }

  get active(): number {
    return this.local.active;
  }

  resize(capacity: number): void {
    this.local.resize(capacity);
  }

  acquire(): boolean | Promise<boolean> {
    if (!this.local.acquire()) return false;
    if (!this.link.connected) {
      this.alone++;
      return true;
    }
    return this.lease();
  }

  release(): void {
    if (this.local.active === 0) return;
    this.local.release();
    // A slot granted alone is given back first, so the fleet's count stays an upper bound.
    if (this.alone > 0) {
      this.alone--;
      return;
    }
    const member = this.leases.pop();
    if (member !== undefined) this.drop(member);
  }

  /** Re-sync: remove the leases given back while apart, and renew the held ones at once. */
  async resync(redis: Redis): Promise<{ leasesReleased: number }> {
    const stale = this.unreleased.splice(0);
    if (stale.length > 0) await redis.zrem(this.keys.retryLeases, ...stale);
    if (this.leases.length > 0) await LEASE_RENEW_SCRIPT.run(redis, [this.keys.retryLeases], [this.leaseMs, ...this.leases]);
    return { leasesReleased: stale.length };
  }

  /** Shutdown: the fleet gets this replica's slots back now rather than when their leases lapse. */
  async close(): Promise<void> {
    clearInterval(this.renewer);
    const held = [...this.leases.splice(0), ...this.unreleased.splice(0)];
    if (held.length > 0) await this.link.ask((redis) => redis.zrem(this.keys.retryLeases, ...held));
  }

  private async lease(): Promise<boolean> {
    const member = `${this.link.replica}:${++this.seq}`;
    const asked = await this.link.ask(
      (redis) => LEASE_ACQUIRE_SCRIPT.run(redis, [this.keys.retryLeases], [this.local.capacity, this.leaseMs, member]),
      // Granted after this replica stopped waiting and decided alone: that lease is not in use.
      (granted) => {
        if (granted === 1) this.drop(member);
      },
    );
    if (!asked.ok) {
      this.alone++;
      return true;
    }
    if (asked.value === 1) {
      this.leases.push(member);
      return true;
    }
    this.local.release();
    return false;
  }

  private drop(member: string): void {
    if (!this.link.tell((redis) => redis.zrem(this.keys.retryLeases, member))) this.unreleased.push(member);
  }

  private renew(): void {
    if (this.leases.length === 0) return;
    const held = [...this.leases];
    this.link.tell((redis) => LEASE_RENEW_SCRIPT.run(redis, [this.keys.retryLeases], [this.leaseMs, ...held]));
  }
}
