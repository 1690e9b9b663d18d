// max_concurrent_retries across the fleet. Each retry in flight holds a lease
// in one sorted set in Redis, scored by when it lapses (Redis's clock); taking
// a slot is one script: drop lapsed leases, count, add. A replica renews its
// leases while their retries run, so a replica that dies stops renewing and
// its slots come back within retry_lease_seconds.
//
// When Redis cannot answer within SHARED_STATE_WAIT_MS, the replica grants
// slots alone, up to its fair share of the cap: the cap divided by the
// replicas alive at the last heartbeat (at least one slot). A fleet that loses
// Redis together so stays near its cap instead of multiplying it.
import type { Redis } from 'ioredis';
import { MemoryRetryGate } from '../memoryRetryGate.js';
import type { RetryGate } from '../retryGate.js';
import type { StateLog } from '../stateLink.js';
import type { FleetKeys } from './keys.js';
import type { FleetLink } from './link.js';
import { HEARTBEAT_SCRIPT, LEASE_ACQUIRE_SCRIPT, LEASE_RENEW_SCRIPT } from './scripts.js';

export class FleetRetryGate implements RetryGate {
  /** This replica's retries in flight and the configured cap. */
  private readonly local: MemoryRetryGate;
  private readonly leases: string[] = [];
  /** Slots granted while Redis could not be asked; they hold no lease. */
  private alone = 0;
  /** Leases given back while Redis was unreachable (or granted too late to use): removed on re-sync. */
  private readonly unreleased: string[] = [];
  /** Replicas alive at the last heartbeat, this one included. */
  private replicas = 1;
  private seq = 0;
  private readonly ticker: NodeJS.Timeout;

  constructor(
    capacity: number,
    private readonly leaseMs: number,
    private readonly link: FleetLink,
    private readonly keys: FleetKeys,
    private readonly log: StateLog,
  ) {
    this.local = new MemoryRetryGate(capacity);
    this.ticker = setInterval(() => { this.tick(); }, Math.max(50, Math.floor(leaseMs / 3)));
    this.ticker.unref();
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
    if (!this.link.connected) return this.grantAlone();
    if (!this.local.acquire()) return false;
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

  /** Re-sync: count the replicas, remove the leases given back while apart, renew the held ones at once. */
  async resync(redis: Redis): Promise<{ replicas: number; leasesReleased: number }> {
    this.replicas = Math.max(1, Number(await HEARTBEAT_SCRIPT.run(redis, [this.keys.replicas], [this.leaseMs, this.link.replica])));
    const stale = this.unreleased.splice(0);
    if (stale.length > 0) await redis.zrem(this.keys.retryLeases, ...stale);
    if (this.leases.length > 0) await LEASE_RENEW_SCRIPT.run(redis, [this.keys.retryLeases], [this.leaseMs, ...this.leases]);
    return { replicas: this.replicas, leasesReleased: stale.length };
  }

  /** Shutdown: the fleet gets this replica's slots back now rather than when their leases lapse. */
  async close(): Promise<void> {
    clearInterval(this.ticker);
    const held = [...this.leases.splice(0), ...this.unreleased.splice(0)];
    await this.link.ask(async (redis) => {
      if (held.length > 0) await redis.zrem(this.keys.retryLeases, ...held);
      return redis.zrem(this.keys.replicas, this.link.replica);
    });
  }

  /** While Redis cannot be asked: a slot if this replica is under its share of the cap. */
  private grantAlone(): boolean {
    const share = Math.max(1, Math.floor(this.local.capacity / this.replicas));
    if (this.local.active >= share) return false;
    this.local.acquire();
    this.alone++;
    return true;
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
    if (asked.ok && asked.value === 1) {
      this.leases.push(member);
      return true;
    }
    this.local.release();
    if (asked.ok) return false;
    const granted = this.grantAlone();
    this.log.debug({ replica: this.link.replica, why: asked.why, granted }, 'shared state: retry slot decided alone');
    return granted;
  }

  private drop(member: string): void {
    if (!this.link.tell((redis) => redis.zrem(this.keys.retryLeases, member))) this.unreleased.push(member);
  }

  /** Every third of a lease: the heartbeat, and the renewal of the leases held. */
  private tick(): void {
    this.link.tell(
      (redis) => HEARTBEAT_SCRIPT.run(redis, [this.keys.replicas], [this.leaseMs, this.link.replica]),
      (alive) => {
        this.replicas = Math.max(1, Number(alive));
      },
    );
    if (this.leases.length === 0) return;
    const held = [...this.leases];
    this.link.tell((redis) => LEASE_RENEW_SCRIPT.run(redis, [this.keys.retryLeases], [this.leaseMs, ...held]));
  }
}
