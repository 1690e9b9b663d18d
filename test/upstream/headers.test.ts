import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { clientResponseHeaders, splitClientHeaders } from '../../src/upstream/headers.js';

describe('clientResponseHeaders', () => {
  it('drops hop-by-hop headers, those listed in Connection, cookies and unsafe values', () => {
    const out = clientResponseHeaders(
      {
        connection: 'keep-alive, X-Private',
        'keep-alive': 'timeout=5',
        'x-private': 'hop only',
        'transfer-encoding': 'chunked',
        'proxy-authenticate': 'Basic',
        'set-cookie': ['a=b'],
        'x-split': 'a\r\nx-injected: 1',
        'x-list': ['fine', 'bad\nvalue'],
        'x-kept': 'yes',
        'content-type': 'application/json',
      },
      { 'x-request-id': 'own' },
    );
    assert.deepEqual(out, { 'x-request-id': 'own', 'x-kept': 'yes', 'content-type': 'application/json' });
  });

  it('never overwrites the gateway’s own headers', () => {
    assert.deepEqual(clientResponseHeaders({ 'x-request-id': 'theirs', 'x-switchyard-model': 'spoof' }, { 'x-request-id': 'own', 'x-switchyard-model': 'real' }), {
      'x-request-id': 'own',
      'x-switchyard-model': 'real',
    });
  });
});

describe('splitClientHeaders', () => {
  it('never forwards the gateway’s own client key, and keeps credentials aside', () => {
    const { forwardable, credentials } = splitClientHeaders({ 'x-switchyard-key': 'k', authorization: 'Bearer c', 'x-other': 'o', host: 'h' });
    assert.deepEqual(forwardable, { 'x-other': 'o' });
    assert.deepEqual(credentials, { authorization: 'Bearer c' });
  });
});
