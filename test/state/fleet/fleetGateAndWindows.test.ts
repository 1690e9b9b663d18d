// The retry gate and latency windows across replicas, through a real
// redis-server: one cap for the fleet, leases that lapse when their replica
// is gone, and slow answers that add up towards one window.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { startRedis, type RedisServer } from '../../support/redisServer.js';
import { member, within, type Member } from './support.js';

const LEASES = 'test:retry-leases';

describe('fleet retry gate', () => {
  let redis: RedisServer;
  let raw: Redis;
  let a: Member;
  let b: Member;
  before(async () => {
    redis = await startRedis();
    raw = new Redis(redis.url());
    a = await member(redis, { cap: 3, leaseMs: 600 });
    b = await member(redis, { cap: 3, leaseMs: 600 });
  });
  after(async () => {
    raw.disconnect();
    await Promise.all([a.close(), b.close()]);
    await redis.dispose();
  });

  it('caps retries across replicas, and a released slot is free for any replica', async () => {
    assert.equal(await a.shared.gate.acquire(), true);
    assert.equal(await a.shared.gate.acquire(), true);
    assert.equal(await b.shared.gate.acquire(), true);
    assert.equal(await b.shared.gate.acquire(), false, 'the fleet holds 3 of 3');
    assert.equal(await a.shared.gate.acquire(), false);
    assert.equal(a.shared.gate.active, 2);
    assert.equal(b.shared.gate.active, 1);
    a.shared.gate.release();
    assert.equal(await b.shared.gate.acquire(), true, 'a slot freed on a is taken on b');
    assert.equal(await raw.zcard(LEASES), 3);
    a.shared.gate.release();
    b.shared.gate.release();
    b.shared.gate.release();
    await within(() => a.shared.gate.active + b.shared.gate.active === 0, 100, 'released');
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(await raw.zcard(LEASES), 0);
  });

  it('renews the leases of retries still in flight', async () => {
    assert.equal(await a.shared.gate.acquire(), true);
    await new Promise((r) => setTimeout(r, 1500)); // 2.5 lease periods
    assert.equal(await raw.zcard(LEASES), 1, 'still counted');
    a.shared.gate.release();
  });

  it('the slots of a replica that stopped renewing come back when its leases lapse', async () => {
    const [seconds, micros] = await raw.time();
    const redisNow = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
    await raw.zadd(LEASES, redisNow + 400, 'dead#1', redisNow + 400, 'dead#2', redisNow + 400, 'dead#3');
    assert.equal(await a.shared.gate.acquire(), false, "the dead replica's three slots are still counted");
    const waited = await (async () => {
      const started = Date.now();
      while (!(await b.shared.gate.acquire())) {
        if (Date.now() - started > 2000) throw new Error('the lapsed leases were never freed');
        await new Promise((r) => setTimeout(r, 20));
      }
      return Date.now() - started;
    })();
    assert.ok(waited >= 300, `freed after ${waited} ms, when the leases lapsed`);
    b.shared.gate.release();
  });

  it('shutdown gives this replica\'s slots back at once', async () => {
    const c = await member(redis, { cap: 3, leaseMs: 60_000 });
    assert.equal(await c.shared.gate.acquire(), true);
    assert.equal(await c.shared.gate.acquire(), true);
    assert.equal(await raw.zcard(LEASES), 2);
    await c.close();
    assert.equal(await raw.zcard(LEASES), 0);
  });
});

describe('fleet latency windows', () => {
  let redis: RedisServer;
  let a: Member;
  let b: Member;
  before(async () => {
    redis = await startRedis();
    a = await member(redis);
    b = await member(redis);
  });
  after(async () => {
    await Promise.all([a.close(), b.close()]);
    await redis.dispose();
  });

  it('slow answers on different replicas fill one window, and the block reaches both', async () => {
    const now = Date.now();
    const event = { key: 'model:slow', minTriggers: 3, windowMs: 10_000, blockUntilMs: now + 30_000 };
    assert.equal(a.shared.latency.recordGlobal({ ...event, atMs: now }), false);
    assert.equal(b.shared.latency.recordGlobal({ ...event, atMs: now + 1 }), false);
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(a.shared.blocks.lookup('model:slow', Date.now()), undefined, 'two of three');
    assert.equal(a.shared.latency.recordGlobal({ ...event, atMs: now + 2 }), false, 'the fleet decides, a moment later');
    for (const m of [a, b]) await within(() => m.shared.blocks.blockedUntil('model:slow', Date.now()) === now + 30_000, 1000, 'blocked everywhere');
    assert.deepEqual(b.shared.blocks.lookup('model:slow', Date.now())?.reason, { cause: 'high-latency' });
  });

  it('events further apart than the window do not block', async () => {
    const now = Date.now();
    const event = { key: 'model:spread-out', minTriggers: 2, windowMs: 1_000, blockUntilMs: now + 30_000 };
    a.shared.latency.recordGlobal({ ...event, atMs: now - 5_000 });
    b.shared.latency.recordGlobal({ ...event, atMs: now });
    await new Promise((r) => setTimeout(r, 50));
    for (const m of [a, b]) assert.equal(m.shared.blocks.lookup('model:spread-out', Date.now()), undefined);
  });

  it('request-scoped windows stay in the process', () => {
    assert.equal(a.shared.latency.record('model:local', 0, 2, 1_000), false);
    assert.equal(b.shared.latency.record('model:local', 1, 2, 1_000), false, "b does not count a's event");
    assert.equal(a.shared.latency.record('model:local', 2, 2, 1_000), true);
  });
});
