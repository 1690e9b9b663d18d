// Replaces the top-level "model" of a JSON object in its bytes, leaving every
// other byte as the client sent it. Retries must preserve the body exactly, and
// skipping a parse/serialise round trip keeps the same-format path cheap: the
// scan (dialects/jsonScan) already found where each top-level value sits.
import type { TopLevelMember } from '../dialects/index.js';

const OPEN_OBJECT = 0x7b;

/**
 * `body` with every top-level "model" value replaced by `model`, or with a
 * "model" member inserted first when there was none. `members` are body's
 * top-level members as scanned (a valid JSON object).
 */
export function rewriteModel(body: Buffer, members: readonly TopLevelMember[], model: string): Buffer {
  const replacement = Buffer.from(JSON.stringify(model));
  const parts: Buffer[] = [];
  let copiedUpTo = 0;
  for (const m of members) {
    if (m.key !== 'model') continue;
    parts.push(body.subarray(copiedUpTo, m.valueStart), replacement);
    copiedUpTo = m.valueEnd;
  }
  if (parts.length > 0) {
    parts.push(body.subarray(copiedUpTo));
    return Buffer.concat(parts);
  }
  const open = body.indexOf(OPEN_OBJECT) + 1;
  const member = Buffer.from(`"model":${replacement.toString()}${members.length > 0 ? ',' : ''}`);
  return Buffer.concat([body.subarray(0, open), member, body.subarray(open)]);
}
