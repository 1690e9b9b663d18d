// Retry-After parsing, as a pure function of the headers and the clock.

/** Response headers with lower-case names, as node and undici deliver them. */
export type HeaderBag = Readonly<Record<string, string | readonly string[] | undefined>>;

function first(value: string | readonly string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : value?.[0];
}

const DIGITS = /^\d+(\.\d+)?$/;

/**
 * Milliseconds to wait before retrying, from `retry-after-ms` (preferred: it is
 * more precise) or `retry-after` as delta-seconds or an HTTP-date. A date in the
 * past gives 0; a missing or unparseable header gives undefined. The result is
 * not capped: the caller applies max_retry_after_seconds (see capRetryAfterMs),
 * because only it knows which policy governs the request.
 */
export function parseRetryAfterMs(headers: HeaderBag, nowMs: number): number | undefined {
  const ms = first(headers['retry-after-ms'])?.trim();
  if (ms !== undefined && DIGITS.test(ms)) return Math.ceil(Number(ms));
  const value = first(headers['retry-after'])?.trim();
  if (value === undefined || value === '') return undefined;
  if (DIGITS.test(value)) return Math.ceil(Number(value) * 1000);
  // Only accept something that looks like a date; Date.parse is lenient with bare numbers and words.
  if (!/[a-z]/i.test(value) || !/\d{4}/.test(value)) return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

export function capRetryAfterMs(ms: number, maxMs: number): number {
  return ms > maxMs ? maxMs : ms;
}
