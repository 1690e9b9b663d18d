import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { wholeAnswer } from '../../src/upstream/answer.js';

const check = (text: string) => wholeAnswer(200, { 'content-type': 'application/json' }, Buffer.from(text));

describe('wholeAnswer', () => {
  const answer = '{"id":"c1","model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"hi \\"there\\""},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":2}}';

  it('an answer is relayed with its usage and model read from the top level', () => {
    const r = check(answer);
    assert.ok(r.ok && r.answer.kind === 'complete');
    assert.deepEqual(r.answer.facts, { usage: { inputTokens: 5, outputTokens: 2 }, model: 'gpt-4o-mini' });
    assert.equal(r.answer.headers['content-length'], String(Buffer.byteLength(answer)));
  });

  it('usage is read in either dialect, cached input counted, whatever else it holds', () => {
    const facts = (usage: string) => {
      const r = check(`{"id":"m1","type":"message","usage":${usage}}`);
      assert.ok(r.ok && r.answer.kind === 'complete');
      return r.answer.facts?.usage;
    };
    assert.deepEqual(facts('{"input_tokens":3,"cache_read_input_tokens":40,"cache_creation_input_tokens":7,"output_tokens":9,"server_tool_use":{"web_search_requests":0}}'), { inputTokens: 50, outputTokens: 9 });
    assert.deepEqual(facts('{"prompt_tokens":12,"completion_tokens":21,"prompt_tokens_details":{"cached_tokens":0},"total_tokens":33}'), { inputTokens: 12, outputTokens: 21 });
    // An escaped key, a repeated key (the last wins, as JSON.parse keeps it), a fraction.
    assert.deepEqual(facts('{"prompt_\\u0074okens":1,"completion_tokens":2,"completion_tokens":4.5}'), { inputTokens: 1, outputTokens: 4.5 });
    assert.equal(facts('null'), undefined);
    assert.equal(facts('{"total_tokens":3}'), undefined);
  });

  for (const [name, text] of [
    ['cut anywhere', answer.slice(0, 60)],
    ['cut inside a string', answer.slice(0, answer.indexOf('there'))],
    ['an HTML page', '<html><body>Welcome to nginx</body></html>'],
    ['empty', ''],
    ['a bare string', '"ok"'],
    ['an array', '[{"choices":[]}]'],
    ['followed by more', `${answer}{}`],
  ] as const) {
    it(`a body that is ${name} is not JSON: it fails over`, () => {
      const r = check(text);
      assert.ok(!r.ok);
      assert.equal(r.outcome.kind === 'invalid-response' && r.outcome.reason, 'not-json');
    });
  }

  for (const text of ['{"error":{"message":"overloaded","type":"overloaded_error"},"type":"error"}', '{"type":"error","error":"x"}', '{"error":"bad"}']) {
    it(`an error object is an error body: ${text}`, () => {
      const r = check(text);
      assert.ok(!r.ok);
      assert.equal(r.outcome.kind === 'invalid-response' && r.outcome.reason, 'error-body');
    });
  }

  it('a Response with "error": null succeeded', () => {
    assert.ok(check('{"id":"resp_1","object":"response","error":null,"output":[],"usage":{"input_tokens":1,"output_tokens":1}}').ok);
  });
});
