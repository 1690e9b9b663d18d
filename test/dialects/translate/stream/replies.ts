// Generated provider answers for the stream property tests, and the two forms
// (complete JSON, SSE text) a mock provider's renderer gives each one.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { IdSource, MockReply, RenderedReply } from '../../../support/mockReplies.js';

const name = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,15}$/);
const jsonValue = fc.oneof(fc.string({ maxLength: 8, unit: 'grapheme' }), fc.integer(), fc.boolean(), fc.constant(null));

export const reply: fc.Arbitrary<MockReply> = fc.record(
  {
    kind: fc.constant('answer' as const),
    text: fc.string({ minLength: 1, maxLength: 60, unit: 'grapheme' }),
    toolCalls: fc.array(fc.record({ name, input: fc.dictionary(name, jsonValue, { maxKeys: 4 }) }), { maxLength: 3 }),
    truncated: fc.boolean(),
    usage: fc.record(
      { input: fc.nat(5000), output: fc.nat(5000), cacheRead: fc.nat(5000), cacheWrite: fc.nat(5000) },
      { requiredKeys: ['input', 'output'] },
    ),
  },
  { requiredKeys: ['kind'] },
);

/** The same id sequence for both forms of one answer. */
export function ids(): IdSource {
  let n = 0;
  return (prefix) => `${prefix}${++n}`;
}

/** The complete form, through the wire as the gateway would read it. */
export function json(r: RenderedReply): unknown {
  assert.equal(r.kind, 'json');
  return JSON.parse(JSON.stringify((r as { body: unknown }).body));
}

export function sse(r: RenderedReply): string {
  assert.equal(r.kind, 'sse');
  return (r as { frames: readonly string[] }).frames.join('');
}
