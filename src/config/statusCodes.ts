// on_status_codes: each entry's codes become ranges; every code must be an
// error status (4xx/5xx) and belong to at most one entry, since a code in two
// entries would make the rule that handles it depend on list order.
import { REQUIRED_STAND_INS } from './defaults.js';
import type { IssueCollector, Path } from './issues.js';
import { isRawMap, readEnum, readInt, readList, type RawMap } from './raw.js';
import type { StatusCodeRange, StatusCodeRule } from './types.js';
import { Strategy } from './vocabulary.js';

/** same_model_retries, present on a rule only when configured (absent means 0). */
export function sameModelRetries(raw: RawMap, key = 'same_model_retries'): { sameModelRetries?: number } {
  const n = readInt(raw, key);
  return n === undefined ? {} : { sameModelRetries: n };
}

const RANGE_TEXT = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/;

type CodeParse = { readonly ok: true; readonly range: StatusCodeRange } | { readonly ok: false; readonly message: string };

function describe(r: StatusCodeRange): string {
  return r.from === r.to ? String(r.from) : `${r.from}-${r.to}`;
}

export function parseStatusCode(item: unknown): CodeParse {
  let range: StatusCodeRange;
  if (typeof item === 'number') {
    range = { from: item, to: item };
  } else if (typeof item === 'string') {
    const m = RANGE_TEXT.exec(item);
    if (!m) return { ok: false, message: `${JSON.stringify(item)} is not a status code or a "start-end" range such as "502-504"` };
    const from = Number(m[1]);
    range = { from, to: m[2] === undefined ? from : Number(m[2]) };
  } else {
    return { ok: false, message: 'must be an integer status code or a "start-end" range string' };
  }
  if (![range.from, range.to].every((c) => Number.isInteger(c) && c >= 100 && c <= 599)) {
    return { ok: false, message: `status codes must be between 100 and 599, got ${JSON.stringify(item)}` };
  }
  if (range.from > range.to) {
    return { ok: false, message: `range ${JSON.stringify(item)} is inverted; write it as "${range.to}-${range.from}"` };
  }
  if (range.from < 400) {
    return { ok: false, message: `${describe(range)} includes codes below 400, which are not errors and never trigger a retry` };
  }
  return { ok: true, range };
}

export function buildStatusRules(list: readonly unknown[], path: Path, issues: IssueCollector): StatusCodeRule[] {
  const rules: StatusCodeRule[] = [];
  const seen: { range: StatusCodeRange; where: string }[] = [];
  list.forEach((entry, i) => {
    if (!isRawMap(entry)) return;
    const ranges: StatusCodeRange[] = [];
    (readList(entry, 'codes') ?? []).forEach((item, j) => {
      const at = [...path, i, 'codes', j];
      const parsed = parseStatusCode(item);
      if (!parsed.ok) {
        issues.error(at, parsed.message);
        return;
      }
      const clash = seen.find((s) => s.range.from <= parsed.range.to && parsed.range.from <= s.range.to);
      if (clash) {
        issues.error(at, `${describe(parsed.range)} is already covered by ${clash.where}; a code may appear in only one entry`);
        return;
      }
      seen.push({ range: parsed.range, where: `on_status_codes[${i}].codes[${j}]` });
      ranges.push(parsed.range);
    });
    rules.push({
      id: `status[${i}]`,
      strategy: readEnum(entry, 'strategy', Strategy.enum, REQUIRED_STAND_INS.strategy),
      maxAttempts: readInt(entry, 'max_attempts') ?? REQUIRED_STAND_INS.on_status_codes.max_attempts,
      ...sameModelRetries(entry),
      ranges,
    });
  });
  return rules;
}
