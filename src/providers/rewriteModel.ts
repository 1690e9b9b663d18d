// Replaces the top-level "model" of a JSON object in its raw text, leaving every
// other byte as the client sent it. Retries must preserve the body exactly, and
// skipping a parse/serialise round trip keeps the same-format path cheap.

/** Index just past the closing quote of the string starting at `start` (a '"'). */
function skipString(text: string, start: number): number {
  let i = start + 1;
  for (;;) {
    const q = text.indexOf('"', i);
    if (q < 0) return text.length;
    let backslashes = 0;
    for (let j = q - 1; text.charCodeAt(j) === 92; j--) backslashes++;
    if (backslashes % 2 === 0) return q + 1;
    i = q + 1;
  }
}

const isSpace = (c: number): boolean => c === 32 || c === 10 || c === 13 || c === 9;

/** Index just past the JSON value starting at `start`. */
function skipValue(text: string, start: number): number {
  const c = text.charCodeAt(start);
  if (c === 34) return skipString(text, start);
  if (c !== 123 && c !== 91) {
    let i = start;
    while (i < text.length) {
      const d = text.charCodeAt(i);
      if (d === 44 || d === 125 || d === 93 || isSpace(d)) break;
      i++;
    }
    return i;
  }
  let depth = 0;
  let i = start;
  while (i < text.length) {
    const d = text.charCodeAt(i);
    if (d === 34) {
      i = skipString(text, i);
      continue;
    }
    if (d === 123 || d === 91) depth++;
    else if (d === 125 || d === 93) {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
  return i;
}

function keyIsModel(rawKey: string): boolean {
  if (rawKey === '"model"') return true;
  // Escaped spellings such as "mod\u0065l" name the same key.
  return rawKey.includes('\\') && JSON.parse(rawKey) === 'model';
}

/**
 * Returns `text` with every top-level "model" value replaced by `model`, or with
 * a "model" member inserted first when there was none. `text` must be a JSON
 * object that already parsed successfully.
 */
export function rewriteModel(text: string, model: string): string {
  const replacement = JSON.stringify(model);
  let i = text.indexOf('{') + 1;
  let out = '';
  let copiedUpTo = 0;
  let found = false;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      const keyEnd = skipString(text, i);
      const isModel = keyIsModel(text.slice(i, keyEnd));
      let v = text.indexOf(':', keyEnd) + 1;
      while (isSpace(text.charCodeAt(v))) v++;
      const valueEnd = skipValue(text, v);
      if (isModel) {
        out += text.slice(copiedUpTo, v) + replacement;
        copiedUpTo = valueEnd;
        found = true;
      }
      i = valueEnd;
      continue;
    }
    if (c === 125) break;
    i++;
  }
  if (found) return out + text.slice(copiedUpTo);
  const open = text.indexOf('{') + 1;
  const rest = text.slice(open);
  const empty = /^\s*\}/.test(rest);
  return `${text.slice(0, open)}"model":${replacement}${empty ? '' : ','}${rest}`;
}
