import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { endsWithEventBoundary, lastEventBoundary } from '../../../src/dialects/index.js';

describe('SSE event boundaries', () => {
  it('the last boundary is where a search for each blank-line form puts it', () => {
    const oracle = (buf: Buffer): number => {
      const lf = buf.lastIndexOf('\n\n');
      const crlf = buf.lastIndexOf('\r\n\r\n');
      const cr = buf.lastIndexOf('\r\r');
      return Math.max(lf === -1 ? -1 : lf + 2, crlf === -1 ? -1 : crlf + 4, cr === -1 ? -1 : cr + 2);
    };
    const alphabet = ['\n', '\r', 'a', ':', ' ', '\r\n', '\n\n', '\r\n\r\n'];
    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let i = 0; i < 5000; i++) {
      let text = '';
      const len = rand(12);
      for (let k = 0; k < len; k++) text += alphabet[rand(alphabet.length)] ?? '';
      const buf = Buffer.from(text);
      assert.equal(lastEventBoundary(buf), oracle(buf), JSON.stringify(text));
      assert.equal(endsWithEventBoundary(buf, buf.length), buf.length > 0 && oracle(buf) === buf.length, JSON.stringify(text));
    }
  });
});
