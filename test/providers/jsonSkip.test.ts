import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { skipContainerWide } from '../../src/providers/jsonSkip.js';
import { JSON_SKIP_WASM_BASE64 } from '../../src/providers/jsonSkipWasm.js';
import { scanJsonObject, skipContainer } from '../../src/providers/jsonMembers.js';
import { REPO_ROOT } from '../support/paths.js';

interface WasmBuild {
  compileJsonSkip(): Promise<Buffer>;
  renderJsonSkipModule(bytes: Buffer): string;
}

const wide = (text: string, at = 0): number | undefined => skipContainerWide(Buffer.from(text), at, []);
const scalar = (text: string, at = 0): number => skipContainer(Buffer.from(text), at, false);

/** The wide path answers as the scalar one does, or leaves a body with a backslash outside its strings to it; true when it answered. */
function agrees(text: string, at = 0): boolean {
  const answer = wide(text, at);
  if (answer === undefined) assert.ok(text.includes('\\'), text);
  else assert.equal(answer, scalar(text, at), text);
  return answer !== undefined;
}

describe('the wide container skip (jsonSkip.wat)', () => {
  it('is what the committed .wat source compiles to', async () => {
    const build = (await import(pathToFileURL(resolve(REPO_ROOT, 'scripts/build-wasm.mjs')).href)) as WasmBuild;
    const bytes = await build.compileJsonSkip();
    assert.equal(Buffer.from(JSON_SKIP_WASM_BASE64, 'base64').equals(bytes), true, 'run node scripts/build-wasm.mjs');
    assert.equal(readFileSync(resolve(REPO_ROOT, 'src/providers/jsonSkipWasm.ts'), 'utf8'), build.renderJsonSkipModule(bytes));
  });

  it('finds the end of arrays and objects, nested, with strings holding brackets and escaped quotes', () => {
    for (const [text, end] of [
      ['[]', 2], ['{}x', 2], ['[[],{}] ,', 7], ['["]"]', 5], ['["\\"]"]', 7], ['["\\\\"]', 6], ['{"a":"}\\\\\\"}"}', 14],
    ] as const) {
      assert.equal(wide(text), end, text);
      assert.equal(scalar(text), end, text);
    }
    for (const text of ['[', '[}', '{]', '["]', '[{]}', '["\\"]']) {
      assert.equal(wide(text), -1, text);
      assert.equal(scalar(text), -1, text);
    }
  });

  it('carries strings, escapes and depth across its 64-byte steps', () => {
    for (let pad = 0; pad < 140; pad++) {
      // A backslash run that ends on every byte of a step, then a quote it escapes or not.
      for (const run of [1, 2, 3, 4]) {
        const text = `["${'x'.repeat(pad)}${'\\'.repeat(run)}"${run % 2 === 0 ? '' : '"'}, [{"k": "${'}'.repeat(pad % 7)}"}]]tail`;
        const end = scalar(text);
        assert.notEqual(end, -1, text);
        assert.equal(wide(text), end, text);
        assert.equal(wide(`  ${text}`, 2), end + 2, text);
      }
    }
  });

  it('answers as the scalar path does on random byte soups of quotes, backslashes and brackets', () => {
    const soup = fc.array(fc.constantFrom('"', '\\', '[', ']', '{', '}', 'a', ' ', '"a"', '\\\\', '\\"', 'é'), { maxLength: 400 });
    let answered = 0;
    fc.assert(
      fc.property(soup, fc.constantFrom('[', '{'), fc.nat(70), (parts, open, lead) => {
        const text = `${' '.repeat(lead)}${open}${parts.join('')}`;
        if (agrees(text, lead)) answered++;
      }),
      { numRuns: 3000 },
    );
    assert.ok(answered > 300, `the wide path answered ${answered} of 3000`);
  });

  it('answers as the scalar path does on serialized values and one-byte mutations of them', () => {
    const alphabet = ['"', '\\', '[', ']', '{', '}', ','];
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { minLength: 1 }), fc.nat(), fc.constantFrom(...alphabet), fc.constantFrom('insert', 'replace', 'delete'), (value, at, ch, how) => {
        const text = JSON.stringify(value);
        const k = at % (text.length + 1);
        const mutated = how === 'insert' ? text.slice(0, k) + ch + text.slice(k) : how === 'replace' ? text.slice(0, k) + ch + text.slice(k + 1) : text.slice(0, k) + text.slice(k + 1);
        assert.equal(wide(text), text.length);
        if (mutated.startsWith('[') || mutated.startsWith('{')) agrees(mutated);
      }),
      { numRuns: 2000 },
    );
  });

  it('takes over a long container from the scalar loop mid-way, with its open brackets, as the scalar loop would end it', () => {
    const soup = fc.array(fc.constantFrom('"', '\\', '[', ']', '{', '}', 'a', ' ', '"a"', '\\"', '"[', '"{'), { maxLength: 300 });
    fc.assert(
      fc.property(fc.nat(300), fc.nat(6), soup, (lead, depth, parts) => {
        // A valid head longer than the scalar budget, `depth` brackets deep, then the soup.
        const head = `${'[{"k":'.repeat(depth)}[${`${JSON.stringify('x\\\\y \\" ]')},`.repeat(300 + lead)}`;
        const text = `${head}${parts.join('')}${']}'.repeat(depth)}]`;
        const end = scalar(text);
        assert.ok(end === -1 || end > head.length, 'the head is one open container');
        assert.equal(skipContainer(Buffer.from(text), 0), end, text.slice(head.length));
      }),
      { numRuns: 1500 },
    );
  });

  it('serves scanJsonObject on a long prompt, and refuses it when a string or bracket deep inside is broken', () => {
    const turn = 'export const s = "a \\"quoted\\" → größe"; // {[\n'.repeat(200);
    const messages = Array.from({ length: 60 }, (_, k) => ({ role: k % 2 ? 'assistant' : 'user', content: turn }));
    const text = JSON.stringify({ messages, model: 'm', stream: true });
    assert.ok(text.length > 500_000);
    const scanned = scanJsonObject(Buffer.from(text)) ?? assert.fail('not scanned');
    assert.deepEqual(scanned.members.map((m) => scanned.keyOf(m)), ['messages', 'model', 'stream']);
    assert.equal(scanned.value('stream'), true);
    const middle = text.indexOf('"content"', text.length / 2);
    const last = text.indexOf('],"model"');
    // A quote before the last closer opens a string that never closes; a stray bracket breaks the nesting.
    assert.equal(scanJsonObject(Buffer.from(`${text.slice(0, last)}"${text.slice(last)}`)), undefined);
    assert.equal(scanJsonObject(Buffer.from(`${text.slice(0, middle)}]${text.slice(middle)}`)), undefined);
    assert.equal(scanJsonObject(Buffer.from(`${text.slice(0, middle)}[${text.slice(middle)}`)), undefined);
  });
});
