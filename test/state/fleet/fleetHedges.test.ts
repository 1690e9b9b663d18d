// A hedge takes its slot from the same gate as a retry: in a fleet, one of the
// fleet's max_concurrent_retries leases in a real redis-server. A session on
// one replica hedges only while the fleet has a slot free, holds it while the
// hedge runs, and gives it back when the hedge ends.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import type { HedgePolicy } from '../../../src/config/types.js';
import { presenceOf } from '../../../src/failover/runTypes.js';
import { FailoverSession } from '../../../src/failover/session.js';
import { config, FakeClock, policy, providers, rule, seededRng, silentLog } from '../../failover/fixtures.js';
import { startRedis, type RedisServer } from '../../support/redisServer.js';
import { member, type Member } from './support.js';

const LEASES = 'test:retry-leases';
const HEDGE: HedgePolicy = { delay: { kind: 'fixed', ms: 100 }, maxExtraAttempts: 1, budgetPercent: 10, trigger: undefined };

describe('fleet hedges', () => {
  let redis: RedisServer;
  let raw: Redis;
  let a: Member;
  let b: Member;
  before(async () => {
    redis = await startRedis();
    raw = new Redis(redis.url());
    a = await member(redis, { cap: 2 });
    b = await member(redis, { cap: 2 });
  });
  after(async () => {
    raw.disconnect();
    await Promise.all([a.close(), b.close()]);
    await redis.dispose();
  });

  /** A release reaches Redis behind the local count: waits (generously, for a loaded machine) until it has. */
  const leasesAre = async (n: number, what: string): Promise<void> => {
    const started = performance.now();
    while ((await raw.zcard(LEASES)) !== n) {
      if (performance.now() - started > 2_000) assert.fail(`${what}: ${await raw.zcard(LEASES)} leases, not ${n}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };

  const list = providers(['openai/a', 'anthropic/b'], policy({ fallbackModels: ['anthropic/b'], timeoutRule: rule('timeout', 'different_provider', 2), hedge: HEDGE }));
  const cfg = config(list, 2);
  const clock = new FakeClock();
  const sessionOn = (m: Member): FailoverSession =>
    new FailoverSession({
      ...m.shared,
      config: cfg,
      primary: list[0]!,
      clock,
      rng: seededRng(1),
      deadlineMs: clock.now() + 30_000,
      client: presenceOf(new AbortController().signal),
      log: silentLog,
      requestId: 'r',
      stream: false,
    });

  it('a hedge on one replica needs a fleet slot, holds it while it runs and frees it when it ends', async () => {
    assert.equal(await a.shared.gate.acquire(), true);
    assert.equal(await a.shared.gate.acquire(), true);

    const full = sessionOn(b);
    const first = await full.start();
    assert.equal(first.kind, 'attempt');
    assert.deepEqual(await full.hedge([list[0]!], HEDGE.budgetPercent), { kind: 'no-hedge', reason: 'gate-full' }, 'the other replica holds both slots');
    assert.equal(b.shared.gate.active, 0);
    full.release();

    a.shared.gate.release();
    await leasesAre(1, 'released on a');
    const session = sessionOn(b);
    assert.equal((await session.start()).kind, 'attempt');
    const hedge = await session.hedge([list[0]!], HEDGE.budgetPercent);
    assert.ok(hedge.kind === 'attempt', `hedged: ${JSON.stringify(hedge)}`);
    assert.equal(hedge.target.name, 'anthropic/b');
    assert.equal(b.shared.gate.active, 1, 'the hedge holds a slot on b');
    assert.equal(await raw.zcard(LEASES), 2, 'one lease each');
    assert.equal(await a.shared.gate.acquire(), false, "the fleet's cap counts the hedge");

    // The primary wins the race: its own end frees nothing it does not hold; the hedge's end frees the slot.
    session.succeeded(list[0]!);
    assert.equal(b.shared.gate.active, 1);
    session.lostRace(hedge.target);
    assert.equal(b.shared.gate.active, 0);
    await leasesAre(1, "the hedge's lease is gone from Redis");
    assert.equal(await a.shared.gate.acquire(), true, 'the freed slot is free for any replica');
    a.shared.gate.release();
    a.shared.gate.release();
  });
});
