// Memory conversation storage: bounded by entries (least recently used out)
// and by a TTL from last use; a chain with a missing link, or another
// tenant's record, reads as not found. And the history a later turn is sent.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryConversationStore } from '../../../src/state/conversations/memoryStore.js';
import { historyItems, withHistory } from '../../../src/state/conversations/history.js';
import type { StoredResponse } from '../../../src/state/conversations/record.js';
import type { ResponsesObject } from '../../../src/dialects/index.js';

function record(id: string, previousId: string | null, tenant = 't'): StoredResponse {
  const response = {
    id,
    object: 'response',
    status: 'completed',
    output: [{ type: 'message', id: `msg_${id}`, role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: `answer ${id}`, annotations: [], logprobs: [] }] }],
  } as unknown as ResponsesObject;
  return { id, tenant, previousId, input: [{ type: 'message', role: 'user', content: `question ${id}` }], response, createdAtMs: 0 };
}

async function ids(store: MemoryConversationStore, id: string, tenant = 't', now = 0): Promise<string[] | undefined> {
  const r = await store.chain(id, tenant, now);
  assert.ok(r.ok);
  return r.value?.map((x) => x.id);
}

describe('MemoryConversationStore', () => {
  it('a chain reads oldest first', async () => {
    const store = new MemoryConversationStore(60_000, 10);
    await store.save(record('a', null), [], 0);
    await store.save(record('b', 'a'), ['a'], 0);
    await store.save(record('c', 'b'), ['a', 'b'], 0);
    assert.deepEqual(await ids(store, 'c'), ['a', 'b', 'c']);
  });

  it('another tenant, an unknown id and a chain with a missing link all read as not found', async () => {
    const store = new MemoryConversationStore(60_000, 10);
    await store.save(record('a', null), [], 0);
    await store.save(record('b', 'a'), ['a'], 0);
    assert.equal(await ids(store, 'b', 'other'), undefined);
    assert.equal(await ids(store, 'zzz'), undefined);
    const deleted = await store.delete('a', 't', 0);
    assert.deepEqual(deleted, { ok: true, value: true });
    assert.equal(await ids(store, 'b'), undefined, 'a partial history would change the conversation');
    assert.deepEqual(await store.delete('b', 'other', 0), { ok: true, value: false }, "another tenant cannot delete it");
  });

  it('holds at most max_entries, evicting the least recently used', async () => {
    const store = new MemoryConversationStore(60_000, 2);
    await store.save(record('a', null), [], 0);
    await store.save(record('b', null), [], 0);
    await store.get('a', 't', 0); // a is now more recent than b
    await store.save(record('c', null), [], 0);
    assert.deepEqual(await ids(store, 'a'), ['a']);
    assert.equal(await ids(store, 'b'), undefined, 'the least recently used went first');
    assert.deepEqual(await ids(store, 'c'), ['c']);
  });

  it('forgets a response ttl after its last use; continuing a conversation renews every turn of it', async () => {
    const store = new MemoryConversationStore(1_000, 10);
    await store.save(record('a', null), [], 0);
    await store.save(record('b', 'a'), ['a'], 900); // a renewed to 1900
    assert.deepEqual(await ids(store, 'b', 't', 1_800), ['a', 'b']); // both renewed to 2800
    assert.deepEqual(await ids(store, 'b', 't', 2_700), ['a', 'b']);
    assert.equal(await ids(store, 'b', 't', 3_701), undefined, 'expired a ttl after the last use');
  });
});

describe('history', () => {
  it('earlier inputs and outputs, then this turn: output items without id and status, previous_response_id never sent', () => {
    const chain = [record('a', null), record('b', 'a')];
    const items = historyItems(chain);
    assert.deepEqual(items[1], { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'answer a', annotations: [], logprobs: [] }] });
    const next = withHistory({ model: 'm', input: 'question c', previous_response_id: 'b' }, chain);
    assert.equal(next.previous_response_id, undefined);
    assert.deepEqual(
      (next.input as { content: unknown }[]).map((i) => (typeof i.content === 'string' ? i.content : 'answer')),
      ['question a', 'answer', 'question b', 'answer', 'question c'],
    );
  });

  it('reasoning items keep their id, which OpenAI pairs with encrypted reasoning', () => {
    const r = record('a', null);
    const withReasoning = { ...r, response: { ...r.response, output: [{ type: 'reasoning', id: 'rs_1', summary: [], encrypted_content: 'xyz' }, ...r.response.output] } as ResponsesObject };
    assert.deepEqual(historyItems([withReasoning])[1], { type: 'reasoning', id: 'rs_1', summary: [], encrypted_content: 'xyz' });
  });
});
