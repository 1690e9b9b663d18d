// Validates a JSON document in its bytes and reports where the members of its
// top-level object sit, without building a single object or string for what
// lies below. A request body of a megabyte is mostly prompt text the gateway
// only forwards: decoding it, parsing it and re-encoding it cost more than the
// rest of the request, and its objects are what filled the heap.
//
// Every syntax rule JSON.parse applies is checked here too (structure,
// strings without raw control characters, escapes, numbers, literals), so a
// body this accepts is one JSON.parse accepts. UTF-8 is not decoded, so
// invalid UTF-8 inside a string is forwarded as sent.

/** A top-level member: its key (decoded) and the byte span of its value. */
export interface TopLevelMember {
  readonly key: string;
  readonly valueStart: number;
  readonly valueEnd: number;
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

const isWs = (c: number | undefined): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
const isDigit = (c: number | undefined): boolean => c !== undefined && c >= 0x30 && c <= 0x39;
const isHex = (c: number | undefined): boolean => c !== undefined && ((c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66));
/** The characters JSON allows after a backslash, besides u: " \ / b f n r t. */
const SIMPLE_ESCAPE = new Uint8Array(128);
for (const c of '"\\/bfnrt') SIMPLE_ESCAPE[c.charCodeAt(0)] = 1;

function skipWs(b: Uint8Array, i: number): number {
  while (isWs(b[i])) i++;
  return i;
}

/**
 * A body's bytes, plus a 4-byte-aligned word view of them: string contents,
 * almost all of a prompt, are skipped a word at a time (see plainWord).
 */
interface Bytes {
  readonly b: Uint8Array;
  readonly words: Uint32Array;
  /** Index in b of words[0]'s first byte. */
  readonly align: number;
}

const NO_WORDS = new Uint32Array(0);

function bytesOf(b: Uint8Array): Bytes {
  const align = (4 - (b.byteOffset & 3)) & 3;
  const count = b.length > align ? (b.length - align) >> 2 : 0;
  return { b, words: count === 0 ? NO_WORDS : new Uint32Array(b.buffer, b.byteOffset + align, count), align };
}

/**
 * No byte of the word is a quote, a backslash or a control character: the
 * classic SWAR tests for a zero byte (after XOR with the byte sought) and for
 * a byte below 0x20, exact as booleans.
 */
function plainWord(w: number): boolean {
  const q = w ^ 0x22222222;
  const s = w ^ 0x5c5c5c5c;
  return ((((q - 0x01010101) & ~q) | ((s - 0x01010101) & ~s) | ((w - 0x20202020) & ~w)) & 0x80808080) === 0;
}

/** Index just past the string starting at b[i] (a quote), or -1. */
function skipString(x: Bytes, i: number): number {
  const { b, words, align } = x;
  const n = b.length;
  const wordEnd = align + words.length * 4;
  i++;
  while (i < n) {
    if (((i - align) & 3) === 0 && i >= align && i < wordEnd) {
      // Word at a time while nothing in it needs a look.
      let k = (i - align) >> 2;
      while (k < words.length && plainWord(words[k] as number)) k++;
      i = align + k * 4;
      if (i >= n) break;
    }
    const c = b[i] as number;
    if (c === QUOTE) return i + 1;
    if (c === BACKSLASH) {
      const e = b[i + 1];
      if (e === 0x75) {
        if (!(isHex(b[i + 2]) && isHex(b[i + 3]) && isHex(b[i + 4]) && isHex(b[i + 5]))) return -1;
        i += 6;
      } else if (e !== undefined && e < 128 && SIMPLE_ESCAPE[e] === 1) {
        i += 2;
      } else {
        return -1;
      }
      continue;
    }
    if (c < 0x20) return -1;
    i++;
  }
  return -1;
}

/** Index just past the number starting at b[i], or -1. */
function skipNumber(b: Uint8Array, i: number): number {
  if (b[i] === MINUS) i++;
  if (b[i] === 0x30) i++;
  else if (isDigit(b[i])) while (isDigit(b[i])) i++;
  else return -1;
  if (b[i] === 0x2e) {
    i++;
    if (!isDigit(b[i])) return -1;
    while (isDigit(b[i])) i++;
  }
  if (b[i] === 0x65 || b[i] === 0x45) {
    i++;
    if (b[i] === 0x2b || b[i] === MINUS) i++;
    if (!isDigit(b[i])) return -1;
    while (isDigit(b[i])) i++;
  }
  return i;
}

const LITERALS = [Buffer.from('true'), Buffer.from('false'), Buffer.from('null')];

function skipLiteral(b: Uint8Array, i: number): number {
  for (const lit of LITERALS) {
    if (b[i] !== lit[0]) continue;
    for (let k = 1; k < lit.length; k++) if (b[i + k] !== lit[k]) return -1;
    return i + lit.length;
  }
  return -1;
}

/** After '{' (and whitespace): a key, whitespace and ':'; index of what follows, or -1. */
function skipKeyAndColon(x: Bytes, i: number): number {
  const { b } = x;
  if (b[i] !== QUOTE) return -1;
  i = skipString(x, i);
  if (i < 0) return -1;
  i = skipWs(b, i);
  return b[i] === COLON ? i + 1 : -1;
}

/**
 * Index just past the JSON value starting at or after b[i], or -1. Iterative,
 * so nesting depth costs a small array, never the call stack.
 */
function skipValue(x: Bytes, i: number): number {
  const { b } = x;
  const closers: number[] = [];
  for (;;) {
    // A value is expected at i.
    i = skipWs(b, i);
    const c = b[i];
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      const close = c === OPEN_OBJECT ? CLOSE_OBJECT : CLOSE_ARRAY;
      i = skipWs(b, i + 1);
      if (b[i] === close) {
        i++;
      } else {
        closers.push(close);
        if (close === CLOSE_OBJECT) {
          i = skipKeyAndColon(x, i);
          if (i < 0) return -1;
        }
        continue;
      }
    } else if (c === QUOTE) {
      i = skipString(x, i);
    } else if (c === MINUS || isDigit(c)) {
      i = skipNumber(b, i);
    } else {
      i = skipLiteral(b, i);
    }
    if (i < 0) return -1;
    // A value ended: close containers until one expects another value.
    for (;;) {
      const close = closers[closers.length - 1];
      if (close === undefined) return i;
      i = skipWs(b, i);
      const d = b[i];
      if (d === close) {
        closers.pop();
        i++;
        continue;
      }
      if (d !== COMMA) return -1;
      i = skipWs(b, i + 1);
      if (close === CLOSE_OBJECT) {
        i = skipKeyAndColon(x, i);
        if (i < 0) return -1;
      }
      break;
    }
  }
}

/** A key's text: JSON.parse only for the rare key spelled with escapes. */
function keyText(b: Uint8Array, start: number, end: number): string {
  const inner = Buffer.from(b.buffer, b.byteOffset + start + 1, end - start - 2);
  return inner.includes(BACKSLASH) ? (JSON.parse(Buffer.from(b.buffer, b.byteOffset + start, end - start).toString('utf8')) as string) : inner.toString('utf8');
}

/**
 * The members of `b`'s top-level object, in order (duplicates included), when
 * `b` is exactly one valid JSON object with optional whitespace around it.
 * Undefined for anything else: the caller asks JSON.parse why.
 */
export function scanTopLevelObject(b: Uint8Array): TopLevelMember[] | undefined {
  const x = bytesOf(b);
  let i = skipWs(b, 0);
  if (b[i] !== OPEN_OBJECT) return undefined;
  const members: TopLevelMember[] = [];
  i = skipWs(b, i + 1);
  if (b[i] === CLOSE_OBJECT) return skipWs(b, i + 1) === b.length ? members : undefined;
  for (;;) {
    if (b[i] !== QUOTE) return undefined;
    const keyStart = i;
    i = skipString(x, i);
    if (i < 0) return undefined;
    const keyEnd = i;
    i = skipWs(b, i);
    if (b[i] !== COLON) return undefined;
    const valueStart = skipWs(b, i + 1);
    const valueEnd = skipValue(x, valueStart);
    if (valueEnd < 0) return undefined;
    members.push({ key: keyText(b, keyStart, keyEnd), valueStart, valueEnd });
    i = skipWs(b, valueEnd);
    if (b[i] === COMMA) {
      i = skipWs(b, i + 1);
      continue;
    }
    if (b[i] !== CLOSE_OBJECT) return undefined;
    return skipWs(b, i + 1) === b.length ? members : undefined;
  }
}

/** The last member named `key` (JSON.parse keeps the last of duplicates). */
export function lastMember(members: readonly TopLevelMember[], key: string): TopLevelMember | undefined {
  for (let k = members.length - 1; k >= 0; k--) if (members[k]?.key === key) return members[k];
  return undefined;
}

/** A member's value, parsed: for the small fields the gateway reads (model, stream_options). */
export function memberValue(b: Uint8Array, m: TopLevelMember): unknown {
  return JSON.parse(Buffer.from(b.buffer, b.byteOffset + m.valueStart, m.valueEnd - m.valueStart).toString('utf8'));
}
