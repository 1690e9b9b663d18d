import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { rewriteModel } from '../../src/providers/rewriteModel.js';

describe('rewriteModel', () => {
  it('replaces only the model value and keeps every other byte', () => {
    const raw = '{ "messages" : [ {"role":"user","content":"hi \\"model\\": x"} ],\n  "model"  :  "openai/gpt-4o", "temperature":0.5 }';
    const out = rewriteModel(raw, 'gpt-4o');
    assert.equal(out, raw.replace('"openai/gpt-4o"', '"gpt-4o"'));
  });

  it('ignores "model" keys nested below the top level', () => {
    const raw = '{"metadata":{"model":"inner"},"tools":[{"model":"x"}],"model":"a/b"}';
    assert.equal(rewriteModel(raw, 'b'), '{"metadata":{"model":"inner"},"tools":[{"model":"x"}],"model":"b"}');
  });

  it('inserts a model when the body has none', () => {
    assert.deepEqual(JSON.parse(rewriteModel('{"messages":[]}', 'm')), { model: 'm', messages: [] });
    assert.deepEqual(JSON.parse(rewriteModel('{ }', 'm')), { model: 'm' });
  });

  it('handles escaped key spellings and non-string model values', () => {
    assert.deepEqual(JSON.parse(rewriteModel('{"mod\\u0065l":"a/b","x":1}', 'b')), { model: 'b', x: 1 });
    assert.deepEqual(JSON.parse(rewriteModel('{"model":null,"x":[1,{"y":"}"}]}', 'b')), { model: 'b', x: [1, { y: '}' }] });
  });

  it('escapes the new model name', () => {
    assert.equal((JSON.parse(rewriteModel('{"model":"x"}', 'a"b\\c')) as { model: string }).model, 'a"b\\c');
  });

  it('agrees with parse-then-set for arbitrary objects', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.string(), (obj, model) => {
        const raw = JSON.stringify(obj, null, Math.random() < 0.5 ? 2 : 0);
        const expected = { ...obj, model };
        const actual = JSON.parse(rewriteModel(raw, model)) as Record<string, unknown>;
        assert.deepEqual(actual, JSON.parse(JSON.stringify(expected)));
      }),
      { numRuns: 500 },
    );
  });
});
