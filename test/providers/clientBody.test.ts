import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ClientBody } from '../../src/providers/clientBody.js';
import { wireBytes } from '../../src/providers/upstreamRequest.js';

const scanned = (text: string): ClientBody => ClientBody.scan(Buffer.from(text)) ?? assert.fail(`not scanned: ${text}`);
const rewritten = (text: string, model: string): string => wireBytes(scanned(text).withModel(model)).toString('utf8');

describe('ClientBody.withModel', () => {
  it('replaces only the model value and keeps every other byte', () => {
    const raw = '{ "messages" : [ {"role":"user","content":"hi \\"model\\": x"} ],\n  "model"  :  "openai/gpt-4o", "temperature":0.5 }';
    assert.equal(rewritten(raw, 'gpt-4o'), raw.replace('"openai/gpt-4o"', '"gpt-4o"'));
  });

  it('ignores "model" keys nested below the top level', () => {
    const raw = '{"metadata":{"model":"inner"},"tools":[{"model":"x"}],"model":"a/b"}';
    assert.equal(rewritten(raw, 'b'), '{"metadata":{"model":"inner"},"tools":[{"model":"x"}],"model":"b"}');
  });

  it('inserts a model when the body has none', () => {
    assert.deepEqual(JSON.parse(rewritten('{"messages":[]}', 'm')), { model: 'm', messages: [] });
    assert.deepEqual(JSON.parse(rewritten('{ }', 'm')), { model: 'm' });
  });

  it('handles escaped key spellings, repeated keys and non-string model values', () => {
    assert.deepEqual(JSON.parse(rewritten('{"mod\\u0065l":"a/b","x":1}', 'b')), { model: 'b', x: 1 });
    assert.deepEqual(JSON.parse(rewritten('{"model":null,"x":[1,{"y":"}"}]}', 'b')), { model: 'b', x: [1, { y: '}' }] });
    assert.equal(rewritten('{"model":"a","model":"c"}', 'b'), '{"model":"b","model":"b"}');
  });

  it('escapes the new model name', () => {
    assert.equal((JSON.parse(rewritten('{"model":"x"}', 'a"b\\c')) as { model: string }).model, 'a"b\\c');
  });

  it('keeps bytes it does not decode: non-ASCII text and invalid UTF-8 travel as sent', () => {
    const raw = Buffer.concat([Buffer.from('{"model":"a","messages":[{"content":"größe ✓ '), Buffer.from([0xff, 0xfe]), Buffer.from('"}]}')]);
    const body = ClientBody.scan(raw) ?? assert.fail('not scanned');
    const out = wireBytes(body.withModel('b'));
    assert.deepEqual(out.subarray(out.indexOf('"messages"')), raw.subarray(raw.indexOf('"messages"')));
  });

  it('a body over 64 KB comes back as its pieces, unjoined; joined they are the rewritten body', () => {
    const pad = 'x'.repeat(70_000);
    for (const raw of [`{"model":"a","pad":"${pad}"}`, `{"pad":"${pad}"}`]) {
      const pieces = scanned(raw).withModel('b');
      assert.ok(!Buffer.isBuffer(pieces));
      assert.deepEqual(JSON.parse(wireBytes(pieces).toString('utf8')), { ...(JSON.parse(raw) as object), model: 'b' });
    }
    assert.ok(Buffer.isBuffer(scanned('{"model":"a"}').withModel('b')));
  });

  it('agrees with parse-then-set for arbitrary objects', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.string(), (obj, model) => {
        const raw = JSON.stringify(obj, null, Math.random() < 0.5 ? 2 : 0);
        const expected = { ...obj, model };
        const actual = JSON.parse(rewritten(raw, model)) as Record<string, unknown>;
        assert.deepEqual(actual, JSON.parse(JSON.stringify(expected)));
      }),
      { numRuns: 500 },
    );
  });
});

describe('ClientBody members', () => {
  it('reads one top-level value without the tree, the last of a repeated key as JSON.parse does', () => {
    const body = scanned('{"stream":true,"stream_options":{"include_usage":true},"stream":false,"messages":[{"role":"user"}]}');
    assert.equal(body.member('stream'), false);
    assert.deepEqual(body.member('stream_options'), { include_usage: true });
    assert.equal(body.member('absent'), undefined);
    assert.equal(body.memberKind('messages'), 'array');
    assert.equal(body.memberKind('stream'), 'other');
    assert.equal(body.memberKind('absent'), 'missing');
  });

  it('builds the tree on first use, from the same bytes', () => {
    const body = scanned('{"messages":[{"role":"user","content":"hi"}],"n":2}');
    assert.deepEqual(body.json, { messages: [{ role: 'user', content: 'hi' }], n: 2 });
    assert.equal(body.member('n'), 2);
  });

  it('a tree the gateway built is serialized once and reads the same', () => {
    const tree = { model: 'a', input: [{ role: 'user', content: 'x' }] };
    const body = ClientBody.ofTree(tree);
    assert.equal(body.json, tree);
    assert.deepEqual(JSON.parse(wireBytes(body.withModel('b')).toString('utf8')), { ...tree, model: 'b' });
  });
});
