import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { droppedHeaderValue, HintLedger, withDropped } from '../../src/dialects/translationLoss.js';

describe('HintLedger', () => {
  it('lenient: drops each hint once, in the order first met, and refuses nothing', () => {
    const ledger = new HintLedger('lenient');
    assert.equal(ledger.drop('thinking', 'x'), undefined);
    assert.equal(ledger.drop('cache_control', 'x', 'messages[0].content[1].cache_control'), undefined);
    assert.equal(ledger.drop('thinking', 'x'), undefined);
    assert.deepEqual(ledger.dropped, ['thinking', 'cache_control']);
    assert.deepEqual(withDropped({ a: 1 }, ledger), { ok: true, value: { a: 1 }, dropped: ['thinking', 'cache_control'] });
  });

  it('strict: refuses the hint, naming the field (the hint name unless a path is given)', () => {
    const ledger = new HintLedger('strict');
    const refused = ledger.drop('thinking', '"thinking" cannot be expressed');
    assert.equal(refused?.ok, false);
    assert.equal(refused.field, 'thinking');
    assert.match(refused.message, /strict/);
    assert.equal(ledger.drop('cache_control', 'x', 'system[1].cache_control')?.field, 'system[1].cache_control');
    assert.deepEqual(ledger.dropped, []);
  });

  it('the header value lists the hints, and is absent when none were dropped', () => {
    assert.equal(droppedHeaderValue([]), undefined);
    assert.equal(droppedHeaderValue(['thinking', 'context_management']), 'thinking,context_management');
  });
});
