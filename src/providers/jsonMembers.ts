// Finds where each top-level member of a JSON object lies in its raw bytes,
// without building the tree. Decoding, parsing and re-encoding a 1 MB prompt
// costs about 10 ms; skipping it here, about 0.25 ms (a long container takes
// the SIMD path of jsonSkip.ts), and the gateway reads only a few small
// top-level fields (model, stream...) of a request whose format matches its
// target's, or of a provider's whole answer (usage, model, error).
//
// The object's own level is checked as strictly as JSON.parse checks it: keys,
// colons, commas, scalar values, nothing after the closing brace. Inside
// strings and containers (the prompt) only that strings close and brackets
// match is checked; the rest is the provider's to judge, and a member the
// gateway reads is parsed whole when read. So nothing JSON.parse accepts is
// refused here (test/providers/jsonMembers.test.ts checks it on mutated
// bodies), and a body refused here gets JSON.parse's own error message.

import { skipContainerWide } from './jsonSkip.js';

/** One top-level member: the byte ranges of its key (quotes included) and of its value. */
export interface JsonMember {
  readonly keyStart: number;
  readonly keyEnd: number;
  readonly start: number;
  readonly end: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

/** Not found or not valid: every scanning step returns it. */
const BAD = -1;

function skipSpace(b: Buffer, i: number): number {
  // Bounded: a read past the end would slow every later read of `b`.
  while (i < b.length) {
    const c = b[i];
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i;
    i++;
  }
  return i;
}

const isDigit = (c: number | undefined): boolean => c !== undefined && c >= ZERO && c <= NINE;

const isHex = (c: number | undefined): boolean =>
  c !== undefined && ((c >= ZERO && c <= NINE) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66));

/** After a backslash: " \ / b f n r t, or u and four hex digits. */
function skipEscape(b: Buffer, i: number): number {
  const e = b[i + 1];
  if (e === 0x75) return isHex(b[i + 2]) && isHex(b[i + 3]) && isHex(b[i + 4]) && isHex(b[i + 5]) ? i + 6 : BAD;
  return e === QUOTE || e === BACKSLASH || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74 ? i + 2 : BAD;
}

/** From an opening quote to just past the closing one. */
function skipString(b: Buffer, i: number): number {
  const n = b.length;
  i++;
  while (i < n) {
    const c = b[i] as number;
    if (c === QUOTE) return i + 1;
    if (c === BACKSLASH) {
      i = skipEscape(b, i);
      if (i === BAD) return BAD;
    } else if (c < 0x20) {
      return BAD;
    } else {
      i++;
    }
  }
  return BAD;
}

function skipDigits(b: Buffer, i: number): number {
  if (!isDigit(b[i])) return BAD;
  do i++;
  while (isDigit(b[i]));
  return i;
}

function skipNumber(b: Buffer, i: number): number {
  if (b[i] === MINUS) i++;
  if (b[i] === ZERO) i++;
  else i = skipDigits(b, i);
  if (i === BAD) return BAD;
  if (b[i] === DOT) i = skipDigits(b, i + 1);
  if (i === BAD) return BAD;
  const e = b[i];
  if (e === 0x65 || e === 0x45) {
    i++;
    if (b[i] === PLUS || b[i] === MINUS) i++;
    i = skipDigits(b, i);
  }
  return i;
}

function skipWord(b: Buffer, i: number, word: readonly number[]): number {
  for (let k = 0; k < word.length; k++) if (b[i + k] !== word[k]) return BAD;
  return i + word.length;
}

const TRUE = [0x74, 0x72, 0x75, 0x65];
const FALSE = [0x66, 0x61, 0x6c, 0x73, 0x65];
const NULL = [0x6e, 0x75, 0x6c, 0x6c];

/**
 * Past the closing quote of the string at `i`. Escapes are honoured but not
 * checked: a prompt's text is the provider's to judge. A short string is read
 * byte by byte; past the first 32 bytes native indexOf jumps from quote to
 * quote (a call costs more than a short string's bytes do).
 */
function skipStringFast(b: Buffer, i: number): number {
  const near = Math.min(b.length, i + 33);
  for (let k = i + 1; k < near; k++) {
    const c = b[k];
    if (c === QUOTE) return k + 1;
    if (c === BACKSLASH) break;
  }
  for (let from = i + 1; ; ) {
    const q = b.indexOf(QUOTE, from);
    if (q < 0) return BAD;
    let k = q - 1;
    while (b[k] === BACKSLASH) k--;
    // An even run of backslashes escapes itself, not the quote.
    if ((q - 1 - k) % 2 === 0) return q + 1;
    from = q + 1;
  }
}

/**
 * Bytes of a container read here before the wide path (jsonSkip.ts) takes the
 * rest: the small containers (tools, a message) end sooner, and only a long
 * one (a prompt's messages) pays the copy into wasm memory.
 */
const SCALAR_BUDGET_BYTES = 4 * 1024;

/**
 * Past the array or object at `i`: its brackets matched and its strings closed,
 * nothing more. `wide: false` keeps to this scalar loop (the tests hold the
 * wide path to it).
 */
export function skipContainer(b: Buffer, i: number, wide = true): number {
  const closers: number[] = [];
  const n = b.length;
  let stop = wide ? Math.min(n, i + SCALAR_BUDGET_BYTES) : n;
  for (;;) {
    while (i < stop) {
      const c = b[i];
      if (c === QUOTE) {
        i = skipStringFast(b, i);
        if (i === BAD) return BAD;
        continue;
      }
      if (c === OPEN_OBJECT) closers.push(CLOSE_OBJECT);
      else if (c === OPEN_ARRAY) closers.push(CLOSE_ARRAY);
      else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
        if (closers.pop() !== c) return BAD;
        if (closers.length === 0) return i + 1;
      }
      i++;
    }
    if (stop === n) return BAD;
    // Here `i` is outside any string, the loop having just read a structural byte or skipped a whole string.
    const end = skipContainerWide(b, i, closers);
    if (end !== undefined) return end;
    stop = n;
  }
}

/** Past a top-level value: scalars checked strictly, strings and containers only skipped. */
function skipValue(b: Buffer, i: number): number {
  const c = b[i];
  if (c === QUOTE) return skipStringFast(b, i);
  if (c === OPEN_OBJECT || c === OPEN_ARRAY) return skipContainer(b, i);
  if (c === MINUS || isDigit(c)) return skipNumber(b, i);
  if (c === 0x74) return skipWord(b, i, TRUE);
  if (c === 0x66) return skipWord(b, i, FALSE);
  if (c === 0x6e) return skipWord(b, i, NULL);
  return BAD;
}

/** Whether b[from, to) holds a backslash: short ranges (keys, model names) read in place, long ones natively. */
function hasBackslash(b: Buffer, from: number, to: number): boolean {
  if (to - from > 64) return b.subarray(from, to).includes(BACKSLASH);
  for (let k = from; k < to; k++) if (b[k] === BACKSLASH) return true;
  return false;
}

/**
 * A JSON object's top-level members, as scanned, read without decoding what is
 * not asked for: keys are compared as bytes and only a value asked for is
 * parsed, so a short body costs a handful of comparisons.
 */
export class ScannedObject {
  constructor(
    readonly bytes: Buffer,
    readonly members: readonly JsonMember[],
  ) {}

  /** Whether member `m`'s key is `name` (an ASCII name); an escaped spelling such as "mod\u0065l" is decoded to compare. */
  keyIs(m: JsonMember, name: string): boolean {
    const b = this.bytes;
    let same = m.keyEnd - m.keyStart - 2 === name.length;
    for (let k = 0; same && k < name.length; k++) same = b[m.keyStart + 1 + k] === name.charCodeAt(k);
    if (same) return true;
    return hasBackslash(b, m.keyStart, m.keyEnd) && this.keyOf(m) === name;
  }

  /** Member `m`'s key, decoded. */
  keyOf(m: JsonMember): string {
    return JSON.parse(this.bytes.toString('utf8', m.keyStart, m.keyEnd)) as string;
  }

  /** The last member named `name` (the one JSON.parse keeps), or undefined. */
  find(name: string): JsonMember | undefined {
    for (let k = this.members.length - 1; k >= 0; k--) {
      const m = this.members[k] as JsonMember;
      if (this.keyIs(m, name)) return m;
    }
    return undefined;
  }

  /** The value of the member named `name`, parsed alone; undefined when there is none. */
  value(name: string): unknown {
    const m = this.find(name);
    if (m === undefined) return undefined;
    const b = this.bytes;
    const first = b[m.start];
    // The common small values without a parse: a string with no escape, true, false.
    if (first === QUOTE && !hasBackslash(b, m.start, m.end)) return b.toString('utf8', m.start + 1, m.end - 1);
    if (first === 0x74) return true;
    if (first === 0x66) return false;
    // A plain integer (a token count) as JSON.parse reads it; 15 digits stay exact.
    if (isDigit(first) && m.end - m.start <= 15) {
      let v = 0;
      let k = m.start;
      for (; k < m.end && isDigit(b[k]); k++) v = v * 10 + ((b[k] as number) - ZERO);
      if (k === m.end) return v;
    }
    return JSON.parse(b.toString('utf8', m.start, m.end));
  }

  /** The named member's members when its value is an object the scan accepts; undefined otherwise. */
  object(name: string): ScannedObject | undefined {
    const m = this.find(name);
    return m === undefined || this.bytes[m.start] !== OPEN_OBJECT ? undefined : scanJsonObject(this.bytes.subarray(m.start, m.end));
  }

  /** The first byte of the named member's value: enough to tell an array from anything else without parsing it. */
  firstByte(name: string): number | undefined {
    const m = this.find(name);
    return m === undefined ? undefined : this.bytes[m.start];
  }
}

/**
 * The top-level members of the JSON object `b` holds, in order (a repeated key
 * appears each time), or undefined when `b` is not one JSON object, with
 * optional whitespace around it, as far as the checks above see.
 */
export function scanJsonObject(b: Buffer): ScannedObject | undefined {
  let i = skipSpace(b, 0);
  if (b[i] !== OPEN_OBJECT) return undefined;
  const members: JsonMember[] = [];
  i = skipSpace(b, i + 1);
  if (b[i] !== CLOSE_OBJECT) {
    for (;;) {
      if (b[i] !== QUOTE) return undefined;
      const keyEnd = skipString(b, i);
      if (keyEnd === BAD) return undefined;
      const colon = skipSpace(b, keyEnd);
      if (b[colon] !== COLON) return undefined;
      const start = skipSpace(b, colon + 1);
      const end = skipValue(b, start);
      if (end === BAD) return undefined;
      members.push({ keyStart: i, keyEnd, start, end });
      i = skipSpace(b, end);
      if (b[i] === CLOSE_OBJECT) break;
      if (b[i] !== COMMA) return undefined;
      i = skipSpace(b, i + 1);
    }
  }
  return skipSpace(b, i + 1) === b.length ? new ScannedObject(b, members) : undefined;
}
