import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { capRetryAfterMs, parseRetryAfterMs } from '../../src/failover/retryAfter.js';

const NOW = Date.parse('2025-01-01T00:00:00Z');

describe('parseRetryAfterMs', () => {
  it('reads delta-seconds', () => {
    assert.equal(parseRetryAfterMs({ 'retry-after': '30' }, NOW), 30_000);
    assert.equal(parseRetryAfterMs({ 'retry-after': ' 0 ' }, NOW), 0);
    assert.equal(parseRetryAfterMs({ 'retry-after': '1.5' }, NOW), 1_500);
  });

  it('prefers retry-after-ms', () => {
    assert.equal(parseRetryAfterMs({ 'retry-after-ms': '250', 'retry-after': '30' }, NOW), 250);
  });

  it('falls back to retry-after when retry-after-ms is garbage', () => {
    assert.equal(parseRetryAfterMs({ 'retry-after-ms': 'soon', 'retry-after': '2' }, NOW), 2_000);
  });

  it('reads an HTTP-date relative to now', () => {
    assert.equal(parseRetryAfterMs({ 'retry-after': 'Wed, 01 Jan 2025 00:00:45 GMT' }, NOW), 45_000);
  });

  it('gives 0 for a date in the past', () => {
    assert.equal(parseRetryAfterMs({ 'retry-after': 'Tue, 31 Dec 2024 23:59:00 GMT' }, NOW), 0);
  });

  it('gives undefined for garbage or nothing', () => {
    for (const v of ['', 'soon', '-5', '10s', 'Wed', '12 34']) {
      assert.equal(parseRetryAfterMs({ 'retry-after': v }, NOW), undefined, JSON.stringify(v));
    }
    assert.equal(parseRetryAfterMs({}, NOW), undefined);
  });

  it('takes the first of repeated headers', () => {
    assert.equal(parseRetryAfterMs({ 'retry-after': ['5', '9'] }, NOW), 5_000);
  });
});

describe('capRetryAfterMs', () => {
  it('caps at max_retry_after_seconds', () => {
    assert.equal(capRetryAfterMs(900_000, 300_000), 300_000);
    assert.equal(capRetryAfterMs(1_000, 300_000), 1_000);
  });
});
