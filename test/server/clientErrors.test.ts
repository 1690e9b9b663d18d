import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { replyForClientError } from '../../src/server/clientErrors.js';

describe('replyForClientError', () => {
  it('maps parser errors to the status a client should see', () => {
    assert.equal(replyForClientError('HPE_HEADER_OVERFLOW')?.status, 431);
    assert.equal(replyForClientError('ERR_HTTP_REQUEST_TIMEOUT')?.status, 408);
    assert.equal(replyForClientError('HPE_UNEXPECTED_CONTENT_LENGTH')?.status, 400);
    assert.equal(replyForClientError('HPE_INVALID_HEADER_TOKEN')?.status, 400);
    assert.equal(replyForClientError(undefined)?.status, 400);
  });

  it('answers nothing to a client that is already gone', () => {
    assert.equal(replyForClientError('ECONNRESET'), undefined);
    assert.equal(replyForClientError('EPIPE'), undefined);
  });
});
