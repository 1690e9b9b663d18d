// The byte scan must accept exactly what JSON.parse accepts as an object: a
// body it lets through is forwarded unparsed, so a disagreement would forward
// invalid JSON (or refuse a valid request).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { lastMember, memberValue, scanTopLevelObject } from '../../src/dialects/jsonScan.js';

function parsesAsObject(text: string): boolean {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v);
  } catch {
    return false;
  }
}

/** At every alignment: string contents are skipped four aligned bytes at a time. */
const agrees = (text: string): void => {
  const bytes = Buffer.from(text);
  const expected = parsesAsObject(text);
  for (let offset = 0; offset < 4; offset++) {
    const backing = Buffer.alloc(bytes.length + 8);
    const at = backing.subarray(offset, offset + bytes.length);
    bytes.copy(at);
    assert.equal(scanTopLevelObject(at) !== undefined, expected, `${JSON.stringify(text)} at offset ${offset}`);
  }
};

describe('scanTopLevelObject', () => {
  it('finds each top-level member and its value span, duplicates included', () => {
    const text = ' {"model" : "a/b", "messages":[{"model":"inner"}], "stream":true, "n": -1.5e3, "model":"c"}\n';
    const body = Buffer.from(text);
    const members = scanTopLevelObject(body);
    assert.ok(members);
    assert.deepEqual(members.map((m) => m.key), ['model', 'messages', 'stream', 'n', 'model']);
    assert.deepEqual(members.map((m) => text.slice(m.valueStart, m.valueEnd)), ['"a/b"', '[{"model":"inner"}]', 'true', '-1.5e3', '"c"']);
    assert.equal(memberValue(body, lastMember(members, 'model')!), 'c');
  });

  it('decodes keys spelled with escapes', () => {
    assert.deepEqual(scanTopLevelObject(Buffer.from('{"mod\\u0065l":1}'))?.map((m) => m.key), ['model']);
  });

  it('refuses what JSON.parse refuses', () => {
    for (const text of [
      '', '{', '}', '{bad json', '{"messages": [}', '{"a":1,}', '{"a" 1}', '{"a":01}', '{"a":1.}', '{"a":.5}', '{"a":-}', '{"a":1e}',
      '{"a":tru}', '{"a":nul}', '{"a":"\\x"}', '{"a":"\\u12g4"}', '{"a":"raw\nnewline"}', '{"a":"\u0000"}', '{"a":[1,]}', '{"a":[,1]}',
      '{"a":{"b"}}', '{"a":1} x', '{"a":1}{}', '\ufeff{"a":1}', "{'a':1}", '{"a":"unterminated}', '[1]', '"s"', '1', 'null',
    ]) {
      agrees(text);
    }
  });

  it('agrees with JSON.parse on generated JSON, formatted any way', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(0, 1, '\t', ' \r\n '), (value, space) => { agrees(JSON.stringify(value, null, space)); }),
      { numRuns: 1000 },
    );
  });

  it('agrees with JSON.parse on damaged JSON', () => {
    const damaged = fc.tuple(fc.dictionary(fc.string(), fc.jsonValue()), fc.nat(), fc.nat(), fc.string({ maxLength: 3 })).map(([obj, at, drop, insert]) => {
      const text = JSON.stringify(obj);
      const i = at % (text.length + 1);
      return text.slice(0, i) + insert + text.slice(i + (drop % 3));
    });
    fc.assert(fc.property(damaged, agrees), { numRuns: 3000 });
  });

  it('finds quotes, backslashes and control characters anywhere in a word', () => {
    const long = 'abcdefgh'.repeat(8);
    for (let k = 0; k < 12; k++) {
      const pad = long.slice(0, 20 + k);
      for (const inner of ['\\"', '\\n', '\\u00e9', 'é✓', '\t', '\u0001', '\\x', '"']) agrees(`{"a":"${pad}${inner}${pad}"}`);
    }
  });

  it('holds deep nesting without the call stack', () => {
    agrees(`{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
  });
});
