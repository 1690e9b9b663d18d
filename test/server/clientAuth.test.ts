import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { timingSafeEqual } from 'node:crypto';
import { allowsModel, CONSTANT_TIME_COMPARE, createClientAuth, OPEN_CLIENT, withoutGatewayKey } from '../../src/server/clientAuth.js';
import type { ClientKey } from '../../src/config/types.js';

const A: ClientKey = { name: 'a', key: 'key-aaaaaaaaaaaaaaaa', allowedModels: undefined };
const B: ClientKey = { name: 'b', key: 'key-bbbbbbbbbbbbbbbb', allowedModels: ['openai/gpt-4o'] };

describe('createClientAuth', () => {
  const auth = createClientAuth([A, B]);

  it('lets everyone in when no keys are configured', () => {
    assert.deepEqual(createClientAuth([]).authenticate({}), { ok: true, identity: OPEN_CLIENT });
  });

  it('finds the key in x-switchyard-key, then a Bearer authorization, then x-api-key', () => {
    assert.deepEqual(auth.authenticate({ 'x-switchyard-key': B.key, authorization: `Bearer ${A.key}` }), {
      ok: true,
      identity: { kind: 'key', key: B, header: 'x-switchyard-key' },
    });
    assert.deepEqual(auth.authenticate({ authorization: `bearer ${A.key}`, 'x-api-key': B.key }), {
      ok: true,
      identity: { kind: 'key', key: A, header: 'authorization' },
    });
    assert.deepEqual(auth.authenticate({ 'x-api-key': B.key }), { ok: true, identity: { kind: 'key', key: B, header: 'x-api-key' } });
  });

  it('refuses missing, wrong, truncated, extended and differently sized keys without throwing', () => {
    for (const headers of [
      {},
      { authorization: A.key },
      { authorization: `Bearer ${A.key.slice(0, -1)}` },
      { authorization: `Bearer ${A.key}a` },
      { 'x-api-key': 'x' },
      { 'x-api-key': 'k'.repeat(10_000) },
      { 'x-api-key': '' },
    ]) {
      const r = auth.authenticate(headers);
      assert.equal(r.ok, false, JSON.stringify(headers).slice(0, 60));
      assert.doesNotMatch(r.message, /key-aaaa|key-bbbb/, 'the message never contains a key');
    }
  });
});

describe('allowsModel and withoutGatewayKey', () => {
  it('checks the allowed list only for keys that have one', () => {
    assert.equal(allowsModel(OPEN_CLIENT, { name: 'x' }), true);
    assert.equal(allowsModel({ kind: 'key', key: A, header: 'authorization' }, { name: 'x' }), true);
    assert.equal(allowsModel({ kind: 'key', key: B, header: 'authorization' }, { name: 'openai/gpt-4o' }), true);
    assert.equal(allowsModel({ kind: 'key', key: B, header: 'authorization' }, { name: 'x' }), false);
  });

  it('drops only the header that carried the gateway key', () => {
    const headers = { authorization: 'Bearer provider', 'x-switchyard-key': A.key, accept: '*/*' };
    assert.deepEqual(withoutGatewayKey(headers, { kind: 'key', key: A, header: 'x-switchyard-key' }), { authorization: 'Bearer provider', accept: '*/*' });
    assert.equal(withoutGatewayKey(headers, OPEN_CLIENT), headers);
  });
});

describe('client key comparison', () => {
  it('uses a constant-time comparison by default', () => {
    assert.equal(CONSTANT_TIME_COMPARE, timingSafeEqual);
  });

  it('compares fixed-length digests against every key, whichever key matches and whatever was sent', () => {
    const calls: [number, number][] = [];
    const spy = (a: Buffer, b: Buffer): boolean => {
      calls.push([a.length, b.length]);
      return timingSafeEqual(a, b);
    };
    const C: ClientKey = { name: 'c', key: 'a-much-longer-key-than-the-others-0123456789', allowedModels: undefined };
    const auth = createClientAuth([A, B, C], spy);
    for (const presented of [A.key, C.key, 'x', 'wrong-key-of-another-length-entirely']) {
      calls.length = 0;
      auth.authenticate({ authorization: `Bearer ${presented}` });
      // No early exit on a match, no comparison whose length leaks the key's length.
      assert.deepEqual(calls, [
        [32, 32],
        [32, 32],
        [32, 32],
      ]);
    }
  });
});
