import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseDuration } from '../../src/config/duration.js';

describe('parseDuration', () => {
  const cases: [string, number][] = [
    ['30s', 30_000],
    ['300s', 300_000],
    ['1m', 60_000],
    ['500ms', 500],
    ['1.5s', 1500],
    ['2h', 7_200_000],
    ['0.005s', 5],
    [' 10s ', 10_000],
  ];
  for (const [text, ms] of cases) it(`parses ${JSON.stringify(text)}`, () => { assert.equal(parseDuration(text), ms); });

  for (const bad of ['', '30', 's', '-1s', '1d', '1.s', 'ten seconds', '1 s', '1sec']) {
    it(`rejects ${JSON.stringify(bad)}`, () => { assert.equal(parseDuration(bad), undefined); });
  }
});
