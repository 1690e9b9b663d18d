import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseChatRequest } from '../../src/server/parseChatRequest.js';

const parse = (text: string) => parseChatRequest(Buffer.from(text), 'openai');

describe('parseChatRequest', () => {
  it('accepts a chat body and reads model and stream', () => {
    const r = parse('{"model":"a/b","stream":true,"messages":[]}');
    assert.ok(r.ok);
    assert.equal(r.model, 'a/b');
    assert.equal(r.stream, true);
  });

  for (const [name, body, fragment] of [
    ['empty body', '', 'empty'],
    ['invalid JSON', '{"model":', 'not valid JSON'],
    ['an array', '[1,2]', 'JSON object'],
    ['a string', '"hi"', 'JSON object'],
    ['null', 'null', 'JSON object'],
    ['missing messages', '{"model":"a/b"}', '"messages" is required'],
    ['messages not an array', '{"messages":"hi"}', '"messages" must be an array'],
    ['model not a string', '{"model":5,"messages":[]}', '"model" must be a string'],
    ['stream not a boolean', '{"stream":"yes","messages":[]}', '"stream" must be a boolean'],
    ['NUL in model', '{"model":"a/b\\u0000","messages":[]}', 'not allowed'],
    ['bidi override in model', '{"model":"a/\\u202eb","messages":[]}', 'not allowed'],
    ['empty model', '{"model":"","messages":[]}', 'not allowed'],
  ] as const) {
    it(`rejects ${name} with a 400 that says why`, () => {
      const r = parse(body);
      assert.equal(r.ok, false);
      assert.equal(r.status, 400);
      assert.match(r.message, new RegExp(fragment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    });
  }
});
