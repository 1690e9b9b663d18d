// Redis is never a single point of failure: with Redis killed or frozen, each
// replica answers from its own state within SHARED_STATE_WAIT_MS, says so
// once, reconnects, re-syncs, and pushes what it learned alone.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SHARED_STATE_WAIT_MS } from '../../../src/state/stateLink.js';
import { provider } from '../../failover/fixtures.js';
import { startRedis, type RedisServer } from '../../support/redisServer.js';
import { member, statusOf, within, type Member } from './support.js';

const RA = { cause: 'retry-after', status: 429 } as const;
const POLICY = { enabled: true, failureThreshold: 2, failureRatio: undefined, minRequests: 20, windowMs: 30_000, openMs: 60_000, maxOpenMs: 60_000 };

const lines = (m: Member, msg: string): number => m.logs.filter((l) => l.msg.startsWith(msg)).length;

describe('fleet state when Redis dies and comes back', () => {
  let redis: RedisServer;
  let a: Member;
  let b: Member;
  before(async () => {
    redis = await startRedis();
    a = await member(redis, { cap: 2, leaseMs: 600 });
    b = await member(redis, { cap: 2, leaseMs: 600 });
    // Heartbeats every 200 ms: each replica learns the other is alive.
    await new Promise((r) => setTimeout(r, 400));
  });
  after(async () => {
    await Promise.all([a.close(), b.close()]);
    await redis.dispose();
  });

  it('serves from local state at once, with one warning each', async () => {
    await redis.stop();
    for (const m of [a, b]) await within(() => statusOf(m) === 'unavailable', 2000, 'noticed');
    const started = performance.now();
    // The gate answers alone, up to each replica's share of the cap: 2 slots, 2 replicas alive.
    assert.equal(await a.shared.gate.acquire(), true);
    assert.equal(await a.shared.gate.acquire(), false, 'one slot each while the fleet cannot count together');
    assert.equal(await b.shared.gate.acquire(), true);
    a.shared.gate.release();
    b.shared.gate.release();
    // Blocks and circuits are this replica's alone.
    a.shared.blocks.block('model:learned-alone', Date.now() + 60_000, RA);
    const target = provider(0, 'openai/alone');
    a.shared.circuits.record(target, POLICY, 'failure', Date.now());
    a.shared.circuits.record(target, POLICY, 'failure', Date.now());
    assert.equal(a.shared.circuits.phase(target), 'open');
    assert.ok(performance.now() - started < 50, 'nothing waited on Redis');
    assert.equal(b.shared.blocks.lookup('model:learned-alone', Date.now()), undefined);
    // Reconnection attempts keep failing, and stay quiet.
    await new Promise((r) => setTimeout(r, 1500));
    for (const m of [a, b]) {
      assert.equal(lines(m, 'shared state unavailable'), 1, JSON.stringify(m.logs.filter((l) => l.level !== 'debug')));
      assert.equal(m.logs.filter((l) => l.level === 'warn' || l.level === 'error').length, 1);
    }
  });

  it('reconnects, re-syncs, and pushes what it learned alone to the restarted (empty) Redis', async () => {
    await redis.start();
    for (const m of [a, b]) await within(() => statusOf(m) === 'connected', 5000, 'reconnected');
    for (const m of [a, b]) assert.equal(lines(m, 'shared state reconnected; re-synced'), 1);
    const line = a.logs.find((l) => l.msg === 'shared state reconnected; re-synced');
    assert.ok(line !== undefined && (line.fields['blocksPushed'] as number) >= 1 && (line.fields['circuitsPushed'] as number) === 1, JSON.stringify(line));
    await within(() => b.shared.blocks.lookup('model:learned-alone', Date.now()) !== undefined, 1000, 'b learns the block');
    await within(() => b.shared.circuits.phase(provider(0, 'openai/alone')) === 'open', 1000, "b learns a's circuit");
    // And new lessons spread again, within 100 ms: up to three blocks, as a starved machine can hold
    // one message up for longer (fleetBlocks.test.ts measures the distribution).
    const spreads: number[] = [];
    for (let i = 0; i < 3 && !spreads.some((ms) => ms < 100); i++) {
      a.shared.blocks.block(`model:after-${i}`, Date.now() + 60_000, RA);
      spreads.push(await within(() => b.shared.blocks.lookup(`model:after-${i}`, Date.now()) !== undefined, 2000, 'spreads again'));
    }
    assert.ok(spreads.some((ms) => ms < 100), `spread again within 100 ms: ${spreads.map((ms) => ms.toFixed(1)).join(', ')} ms`);
  });
});

describe('fleet state when Redis freezes', () => {
  let redis: RedisServer;
  let a: Member;
  before(async () => {
    redis = await startRedis();
    a = await member(redis, { cap: 5 });
  });
  after(async () => {
    redis.resume();
    await a.close();
    await redis.dispose();
  });

  it('a request waits at most the bound, then the replica decides alone; later requests do not wait', async () => {
    redis.pause();
    let started = performance.now();
    assert.equal(await a.shared.gate.acquire(), true, 'granted alone');
    const first = performance.now() - started;
    // The wait is a 100 ms timer; a loaded machine fires it late, hence the margin. A wait for Redis
    // itself would last until it resumes, seconds later.
    assert.ok(first >= SHARED_STATE_WAIT_MS - 5 && first < SHARED_STATE_WAIT_MS + 400, `waited ${first.toFixed(0)} ms`);
    // The next one does not wait: the link stopped asking after a timeout. (Unless the timer fired so
    // late that this process, not Redis, was the slow one: then it may wait the bound once more.)
    started = performance.now();
    assert.equal(await a.shared.gate.acquire(), true);
    const second = performance.now() - started;
    if (first < SHARED_STATE_WAIT_MS + 40) assert.ok(second < 50, `the next one does not wait (${second.toFixed(0)} ms)`);
    else assert.ok(second < SHARED_STATE_WAIT_MS + 400, `the next one waits at most the bound (${second.toFixed(0)} ms)`);
    await within(() => statusOf(a) === 'unavailable', 3000, 'declared unavailable');
    assert.equal(lines(a, 'shared state unavailable'), 1);
    started = performance.now();
    assert.equal(await a.shared.gate.acquire(), true);
    assert.ok(performance.now() - started < 50, 'unavailable: decided alone at once');
    redis.resume();
    await within(() => statusOf(a) === 'connected', 5000, 'back');
    for (let i = 0; i < 3; i++) a.shared.gate.release();
  });
});
