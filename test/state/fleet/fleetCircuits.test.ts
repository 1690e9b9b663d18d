// Circuits across replicas, through a real redis-server: failures on every
// replica count towards one threshold, an open circuit is open everywhere,
// and exactly one replica gets the probe.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import type { CircuitBreakerPolicy } from '../../../src/config/types.js';
import { provider } from '../../failover/fixtures.js';
import { startRedis, type RedisServer } from '../../support/redisServer.js';
import { member, within, type Member } from './support.js';

const POLICY: CircuitBreakerPolicy = {
  enabled: true,
  failureThreshold: 3,
  failureRatio: undefined,
  minRequests: 4,
  windowMs: 10_000,
  openMs: 300,
  maxOpenMs: 1_200,
};

describe('fleet circuits', () => {
  let redis: RedisServer;
  let replicas: Member[];
  before(async () => {
    redis = await startRedis();
    replicas = await Promise.all([member(redis), member(redis), member(redis)]);
  });
  after(async () => {
    await Promise.all(replicas.map((m) => m.close()));
    await redis.dispose();
  });

  it('failures on different replicas add up, and the circuit opens on all of them', async () => {
    const target = provider(0, 'openai/shared-count');
    const [a, b, c] = replicas as [Member, Member, Member];
    a.shared.circuits.record(target, POLICY, 'failure', Date.now());
    b.shared.circuits.record(target, POLICY, 'failure', Date.now());
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(a.shared.circuits.phase(target), 'closed', 'two of three');
    c.shared.circuits.record(target, POLICY, 'failure', Date.now());
    for (const m of replicas) await within(() => m.shared.circuits.phase(target) === 'open', 1000, 'open everywhere');
    for (const m of replicas) {
      assert.ok(m.shared.blocks.lookup('model:openai/shared-count', Date.now())?.reason.cause === 'circuit-open');
      assert.equal(m.shared.circuits.admit(target, POLICY, Date.now()), false, 'still open: refused at once, without Redis');
    }
  });

  it('an ok on any replica resets the shared count', async () => {
    const target = provider(0, 'openai/reset');
    const [a, b] = replicas as [Member, Member];
    a.shared.circuits.record(target, POLICY, 'failure', Date.now());
    a.shared.circuits.record(target, POLICY, 'failure', Date.now());
    await new Promise((r) => setTimeout(r, 20));
    b.shared.circuits.record(target, POLICY, 'ok', Date.now());
    await new Promise((r) => setTimeout(r, 20));
    a.shared.circuits.record(target, POLICY, 'failure', Date.now());
    await new Promise((r) => setTimeout(r, 50));
    for (const m of replicas) assert.equal(m.shared.circuits.phase(target), 'closed');
  });

  it('a healthy fleet sends Redis nothing for its successes; a streak of failures makes every replica report them', async () => {
    const target = provider(0, 'openai/quiet');
    const [a, b] = replicas as [Member, Member];
    const raw = new Redis(redis.url());
    const scripts = async (): Promise<number> => {
      const stats = await raw.info('commandstats');
      return Number(/cmdstat_evalsha:calls=(\d+)/.exec(stats)?.[1] ?? 0) + Number(/cmdstat_eval:calls=(\d+)/.exec(stats)?.[1] ?? 0);
    };
    try {
      const before = await scripts();
      for (let i = 0; i < 100; i++) a.shared.circuits.record(target, POLICY, 'ok', Date.now());
      await new Promise((r) => setTimeout(r, 30));
      assert.equal(await scripts(), before, 'no script for a hundred successes');
      a.shared.circuits.record(target, POLICY, 'failure', Date.now());
      await new Promise((r) => setTimeout(r, 30));
      assert.equal(await scripts(), before + 1, 'one script for the failure');
      // b heard that a streak started, so its success is reported, and it ends the streak.
      b.shared.circuits.record(target, POLICY, 'ok', Date.now());
      await new Promise((r) => setTimeout(r, 30));
      assert.equal(await scripts(), before + 2);
      a.shared.circuits.record(target, POLICY, 'failure', Date.now());
      a.shared.circuits.record(target, POLICY, 'failure', Date.now());
      await new Promise((r) => setTimeout(r, 30));
      assert.equal(a.shared.circuits.phase(target), 'closed', 'the success in between reset the count: 2 of 3');
    } finally {
      raw.disconnect();
    }
  });

  it('opens on a failure ratio counted across replicas', async () => {
    const target = provider(0, 'openai/ratio');
    const ratio = { ...POLICY, failureThreshold: 100, failureRatio: 0.5 };
    const [a, b] = replicas as [Member, Member];
    a.shared.circuits.record(target, ratio, 'failure', Date.now());
    a.shared.circuits.record(target, ratio, 'ok', Date.now());
    b.shared.circuits.record(target, ratio, 'failure', Date.now());
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(b.shared.circuits.phase(target), 'closed', 'three attempts, under min_requests');
    b.shared.circuits.record(target, ratio, 'failure', Date.now());
    for (const m of replicas) await within(() => m.shared.circuits.phase(target) === 'open', 1000, 'open by ratio');
  });

  it('after the open period exactly one replica gets the probe, under concurrent admits; its success closes the circuit everywhere', async () => {
    const target = provider(0, 'openai/probe');
    const [a] = replicas as [Member];
    for (let i = 0; i < 3; i++) a.shared.circuits.record(target, POLICY, 'failure', Date.now());
    for (const m of replicas) await within(() => m.shared.circuits.phase(target) === 'open', 1000, 'open');
    await new Promise((r) => setTimeout(r, POLICY.openMs + 20));
    // Ten admits on each replica at once.
    const answers = await Promise.all(replicas.flatMap((m, i) => Array.from({ length: 10 }, async () => ({ i, ok: await m.shared.circuits.admit(target, POLICY, Date.now()) }))));
    const granted = answers.filter((x) => x.ok);
    assert.equal(granted.length, 1, `one probe across the fleet, got ${JSON.stringify(granted)}`);
    const holder = replicas[granted[0]!.i]!;
    for (const m of replicas) await within(() => m.shared.circuits.phase(target) === 'half-open', 1000, 'half-open everywhere');
    for (const m of replicas) assert.equal(await m.shared.circuits.admit(target, POLICY, Date.now()), false, 'probing: refused');
    holder.shared.circuits.record(target, POLICY, 'ok', Date.now());
    for (const m of replicas) await within(() => m.shared.circuits.phase(target) === 'closed', 1000, 'closed everywhere');
    for (const m of replicas) {
      assert.equal(m.shared.blocks.lookup('model:openai/probe', Date.now()), undefined, 'the block is lifted');
      assert.equal(m.shared.circuits.admit(target, POLICY, Date.now()), true);
    }
  });

  it('a failed probe reopens the circuit everywhere for twice as long', async () => {
    const target = provider(0, 'openai/reprobe');
    const [a, b] = replicas as [Member, Member];
    for (let i = 0; i < 3; i++) a.shared.circuits.record(target, POLICY, 'failure', Date.now());
    await within(() => b.shared.circuits.phase(target) === 'open', 1000, 'open');
    await new Promise((r) => setTimeout(r, POLICY.openMs + 20));
    assert.equal(await b.shared.circuits.admit(target, POLICY, Date.now()), true);
    const failedAt = Date.now();
    b.shared.circuits.record(target, POLICY, 'failure', failedAt);
    const reopened = (): number => a.shared.blocks.blockedUntil('model:openai/reprobe', Date.now()) ?? 0;
    await within(() => a.shared.circuits.phase(target) === 'open' && reopened() >= failedAt + 2 * POLICY.openMs, 1000, 'reopened on a');
    const until = reopened();
    assert.ok(until >= failedAt + 2 * POLICY.openMs && until < failedAt + 2 * POLICY.openMs + 200, `open ${until - failedAt} ms`);
  });
});
