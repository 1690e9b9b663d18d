// Property: the relay's cheap classification (text only, parsing candidates)
// gives the same answer as the typed read for every event of either dialect
// (see support/streamEventArbitraries.ts for what "every" covers).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { classifyAnthropicEvent, classifyAnthropicSse, readAnthropicEvent } from '../../src/dialects/anthropic/events.js';
import type { EventClass } from '../../src/dialects/eventClass.js';
import { classifyOpenAIEvent, classifyOpenAISse, readOpenAIEvent } from '../../src/dialects/openai/events.js';
import type { SseEvent } from '../../src/dialects/sse/parser.js';
import { anthropicEvents, openAIEvents } from './support/streamEventArbitraries.js';

function agreesOn(events: fc.Arbitrary<SseEvent>, cheap: (ev: SseEvent) => EventClass, typed: (ev: SseEvent) => EventClass): void {
  fc.assert(
    fc.property(events, (ev) => {
      assert.equal(cheap(ev), typed(ev), JSON.stringify(ev));
    }),
    { numRuns: 3000 },
  );
}

/** The generators reach every class, so agreement is not vacuous. */
function coversEveryClass(events: fc.Arbitrary<SseEvent>, typed: (ev: SseEvent) => EventClass): void {
  const seen = new Set(fc.sample(events, { numRuns: 3000, seed: 7 }).map(typed));
  assert.deepEqual([...seen].sort(), ['error', 'finish', 'other', 'terminal']);
}

describe('cheap and typed classification agree', () => {
  const openAITyped = (ev: SseEvent): EventClass => classifyOpenAIEvent(readOpenAIEvent(ev));
  const anthropicTyped = (ev: SseEvent): EventClass => classifyAnthropicEvent(readAnthropicEvent(ev));

  it('on every OpenAI event', () => {
    coversEveryClass(openAIEvents, openAITyped);
    agreesOn(openAIEvents, classifyOpenAISse, openAITyped);
  });

  it('on every Anthropic event', () => {
    coversEveryClass(anthropicEvents, anthropicTyped);
    agreesOn(anthropicEvents, classifyAnthropicSse, anthropicTyped);
  });
});
