import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { scanJsonObject } from '../../src/providers/jsonMembers.js';

/** What JSON.parse says of the same bytes: a JSON object or not. */
function parsesAsObject(text: string): boolean {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v);
  } catch {
    return false;
  }
}

const scans = (text: string): boolean => scanJsonObject(Buffer.from(text)) !== undefined;

describe('scanJsonObject', () => {
  it('gives each top-level member its key and value range', () => {
    const text = ' {"model" : "a/b", "mod\\u0065l":1,"messages":[{"x":"]}"}],"e":{}, "n":-1.5e+3 } \n';
    const scanned = scanJsonObject(Buffer.from(text)) ?? assert.fail('not scanned');
    assert.deepEqual(
      scanned.members.map((m) => [scanned.keyOf(m), text.slice(m.start, m.end)]),
      [['model', '"a/b"'], ['model', '1'], ['messages', '[{"x":"]}"}]'], ['e', '{}'], ['n', '-1.5e+3']],
    );
  });

  for (const text of [
    '', ' ', '[]', '"x"', '1', 'null', '{', '}', '{"a"}', '{"a":}', '{"a":1,}', '{,"a":1}', '{"a":1}x', '{"a":1}{}', '{a:1}', "{'a':1}",
    '{"a":01}', '{"a":1.}', '{"a":.5}', '{"a":-}', '{"a":1e}', '{"a":+1}', '{"a":tru}', '{"a":nul}', '{"a":True}', '{"a":NaN}', '{"a":Infinity}',
    '{"a\\x":1}', '{"a\nb":1}', '{"a":"open}', '{"a":[}', '{"a":{]}', '{"a":[1}', '{"a":[[1]}', '\ufeff{"a":1}',
  ]) {
    it(`refuses a body whose top level JSON.parse refuses: ${JSON.stringify(text)}`, () => {
      assert.equal(parsesAsObject(text), false, 'the case itself must be invalid');
      assert.equal(scans(text), false);
    });
  }

  it('leaves what lies inside strings and containers to the provider: brackets must match and strings close, nothing more', () => {
    for (const text of ['{"messages":[1,,2]}', '{"messages":[{"a" 1}]}', '{"messages":["\\x"]}', '{"system":"raw\ttab"}']) {
      assert.equal(parsesAsObject(text), false, text);
      assert.equal(scans(text), true, text);
    }
  });

  it('accepts what JSON.parse accepts, deep nesting included, without recursion', () => {
    for (const text of ['{}', ' { } ', '{"":""}', '{"a":"\\u00e9\\n\\/\\"\\\\"}', '{"a":[[],{},[{}],0,-0,1E5,2e-3,true,false,null]}', `{"d":${'['.repeat(100_000)}${']'.repeat(100_000)}}`]) {
      assert.equal(parsesAsObject(text), true, text.slice(0, 40));
      assert.equal(scans(text), true, text.slice(0, 40));
    }
  });

  it('never refuses what JSON.parse accepts, and reads each member as JSON.parse does, on serialized values and one-byte mutations of them', () => {
    const alphabet = '{}[]":,\\ 0123456789.eE+-tfnrulsa\t\n'.split('');
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.nat(), fc.constantFrom(...alphabet), fc.constantFrom('insert', 'replace', 'delete'), (value, at, ch, how) => {
        const text = JSON.stringify(value, null, at % 2 === 0 ? 0 : 1);
        const k = at % (text.length + 1);
        const mutated = how === 'insert' ? text.slice(0, k) + ch + text.slice(k) : how === 'replace' ? text.slice(0, k) + ch + text.slice(k + 1) : text.slice(0, k) + text.slice(k + 1);
        for (const t of [text, mutated]) {
          if (!parsesAsObject(t)) continue;
          const bytes = Buffer.from(t);
          const scanned = scanJsonObject(bytes) ?? assert.fail(`refused valid ${t}`);
          const parsed = JSON.parse(t) as Record<string, unknown>;
          const byKey = new Map(scanned.members.map((m) => [scanned.keyOf(m), JSON.parse(bytes.toString('utf8', m.start, m.end)) as unknown]));
          assert.deepEqual(Object.fromEntries(byKey), parsed, t);
          // Each key is found by name, and its value read alone is the one JSON.parse kept.
          for (const key of Object.keys(parsed)) {
            if (!/^[\x20-\x7e]*$/.test(key)) continue;
            const v = parsed[key];
            assert.deepEqual(scanned.value(key), v, `${t} ${key}`);
            // An object member, scanned in turn, reads as JSON.parse read it.
            const inner = scanned.object(key);
            if (v === null || typeof v !== 'object' || Array.isArray(v)) assert.equal(inner, undefined);
            else for (const [k, w] of Object.entries(v)) if (/^[\x20-\x7e]*$/.test(k)) assert.deepEqual(inner?.value(k), w, `${t} ${key}.${k}`);
          }
        }
      }),
      { numRuns: 3000 },
    );
  });
});
