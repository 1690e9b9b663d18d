import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { anthropicEvent, type OpenAIChunk } from '../../src/dialects/index.js';
import { ClientLedger, FOLD_BYTES, LEDGER_LIMIT } from '../../src/streaming/clientLedger.js';
import { anthropicOutput, openAIOutput } from '../../src/streaming/clientOutput.js';
import { inBandError } from '../../src/streaming/inBandError.js';
import { summarizeClientStream } from '../../src/streaming/streamSummary.js';
import { anthropicFrames, openAIFrames } from '../support/streamMocks.js';

const chunk = (content: string, finish: string | null = null): OpenAIChunk =>
  ({ id: 'chatcmpl-built', object: 'chat.completion.chunk', created: 7, model: 'm', choices: [{ index: 0, delta: { content }, logprobs: null, finish_reason: finish }] }) as OpenAIChunk;

describe('ClientLedger', () => {
  it('events the gateway built are read back from their objects, never re-parsed from the text it wrote', () => {
    const ledger = new ClientLedger('openai');
    const built = openAIOutput([{ kind: 'chunk', chunk: chunk('Hel') }, { kind: 'chunk', chunk: chunk('lo') }]);
    // Same events, text that no parser could read: the summary can only come from the objects.
    ledger.record({ ...built, text: 'x'.repeat(built.text.length) });
    const s = ledger.summary()!;
    assert.equal(s.text, 'Hello');
    assert.equal(s.id, 'chatcmpl-built');
    assert.equal(s.created, 7);
  });

  it('bytes relayed as they came and events the gateway built are summarised in the order the client got them', () => {
    const ledger = new ClientLedger('anthropic');
    const relayed = anthropicFrames(['Hel', 'lo'], { open: true });
    ledger.record(Buffer.from(relayed.join('')));
    ledger.record(anthropicOutput([anthropicEvent({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: ' there' } })]));
    ledger.record(anthropicOutput([anthropicEvent({ type: 'content_block_stop', index: 0 })]));
    const s = ledger.summary()!;
    assert.equal(s.text, 'Hello there');
    assert.equal(s.openTextBlock, undefined);
    assert.equal(s.nextBlockIndex, 1);
  });

  it('a relayed final event without its blank line still counts', () => {
    const ledger = new ClientLedger('openai');
    const frames = openAIFrames(['a', 'b'], { open: true });
    ledger.record(frames.join('').slice(0, -2));
    ledger.record(inBandError('openai', 'cut', 'stream_cut'));
    const s = ledger.summary()!;
    assert.equal(s.text, 'ab');
    assert.equal(s.errored, true);
  });

  it('relayed bytes in many small writes, strings and buffers, a character split between two, are read back whole', () => {
    const ledger = new ClientLedger('openai');
    const text = 'größe ✓ '.repeat(200);
    const bytes = Buffer.from(openAIFrames([...text.match(/.{1,7}/gsu) ?? []], { open: true }).join(''));
    // Cut every 5 bytes, so multi-byte characters fall across writes; every other piece as a string where it is whole.
    for (let at = 0; at < bytes.length; at += 5) {
      const piece = bytes.subarray(at, at + 5);
      ledger.record(at % 10 === 0 && Buffer.from(piece.toString('utf8')).equals(piece) ? piece.toString('utf8') : piece);
    }
    assert.equal(ledger.summary()?.text, text);
  });

  it('a stream many times FOLD_BYTES long, built events among its relayed ones, reads back as it was sent', () => {
    const ledger = new ClientLedger('anthropic');
    const tokens = Array.from({ length: 900 }, (_, i) => `t${i} `);
    const frames = anthropicFrames(tokens, { open: true });
    assert.ok(frames.join('').length > 5 * FOLD_BYTES);
    frames.forEach((frame, i) => {
      ledger.record(i % 2 === 0 ? Buffer.from(frame) : frame);
      // A built event now and then, as a splice writes them.
      if (i % 250 === 100) ledger.record(anthropicOutput([anthropicEvent({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: '|' } })]));
    });
    const expected = frames.map((_, i) => (i >= 3 ? (tokens[i - 3] ?? '') : '') + (i % 250 === 100 ? '|' : '')).join('');
    const s = ledger.summary()!;
    assert.equal(s.text, expected);
    assert.equal(s.openTextBlock, 0);
    assert.equal(s.nextBlockIndex, 1);
    assert.equal(s.finished, false);
  });

  it('summarising does not use up what was folded: a continued stream is summarised again after its next break', () => {
    const ledger = new ClientLedger('openai');
    const first = openAIFrames(Array.from({ length: 400 }, (_, i) => `a${i} `), { open: true });
    for (const frame of first) ledger.record(frame);
    const once = ledger.summary()!.text;
    assert.equal(ledger.summary()!.text, once);
    const more = openAIFrames(Array.from({ length: 400 }, (_, i) => `b${i} `), { open: true }).slice(1);
    for (const frame of more) ledger.record(Buffer.from(frame));
    assert.equal(ledger.summary()!.text, `${once}${Array.from({ length: 400 }, (_, i) => `b${i} `).join('')}`);
  });

  it('a stream that outgrew the ledger has no summary', () => {
    const ledger = new ClientLedger('openai');
    ledger.record('x'.repeat(LEDGER_LIMIT + 1));
    assert.equal(ledger.summary(), undefined);
  });
});

describe('summarizeClientStream reads choice 0 as every reader does', () => {
  it('the choice whose index is 0, wherever it stands in the list', () => {
    const data = JSON.stringify({
      id: 'c',
      created: 1,
      choices: [
        { index: 1, delta: { content: 'not me' }, finish_reason: 'stop' },
        { index: 0, delta: { content: 'me' }, finish_reason: null },
      ],
    });
    const s = summarizeClientStream('openai', [{ event: undefined, data }]);
    assert.equal(s.text, 'me');
    assert.equal(s.finished, false);
  });
});
