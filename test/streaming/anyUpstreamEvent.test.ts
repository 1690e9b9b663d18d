// Property: no upstream event, however it is shaped, makes the relay throw.
// Every path is driven: relayed as it came, translated, and spliced into a
// stream the client already has, then read back by the ledger after a break.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { SseEvent } from '../../src/dialects/sse/parser.js';
import type { EntryFormat } from '../../src/dialects/wireFormat.js';
import { createClientEmitter } from '../../src/streaming/clientEmitter.js';
import { ClientLedger } from '../../src/streaming/clientLedger.js';
import { OverlapTrimmer } from '../../src/streaming/overlapTrimmer.js';
import { SpliceRewriter } from '../../src/streaming/spliceRewriter.js';
import { anthropicEvents, openAIEvents } from '../dialects/support/streamEventArbitraries.js';

const SUMMARY = { text: 'Hi ', toolCall: false, finished: false, errored: false, id: 'c', created: 1, openTextBlock: 0, nextBlockIndex: 1 };

function relayAll(format: EntryFormat, client: EntryFormat, spliced: boolean, events: readonly SseEvent[]): void {
  const splice = spliced ? new SpliceRewriter(client, SUMMARY, new OverlapTrimmer('Hi ', ' ')) : undefined;
  const emitter = createClientEmitter(format, client, { includeUsage: true }, splice);
  const ledger = new ClientLedger(client);
  for (const ev of events) {
    const { out } = emitter.emit(undefined, [ev]);
    if (out !== undefined) ledger.record(out);
  }
  const end = emitter.end();
  if (end !== undefined) ledger.record(end);
  emitter.completed();
  ledger.summary();
}

describe('any upstream event', () => {
  for (const format of ['openai', 'anthropic'] as const) {
    const events = format === 'openai' ? openAIEvents : anthropicEvents;
    for (const client of ['openai', 'anthropic'] as const) {
      for (const spliced of [false, true]) {
        it(`${format} → ${client}${spliced ? ', spliced' : ''}: is relayed, read back after a break, and never throws`, () => {
          fc.assert(
            fc.property(fc.array(events, { maxLength: 8 }), (evs) => {
              assert.doesNotThrow(() => {
                relayAll(format, client, spliced, evs);
              });
            }),
            { numRuns: 300 },
          );
        });
      }
    }
  }
});
