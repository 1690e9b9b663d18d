// Plano writes durations as strings such as "30s"; Switchyard works in ms.
const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;

/** "500ms" -> 500, "1.5s" -> 1500, "2h" -> 7200000; undefined when unparseable (a bare number has no unit, so it is rejected). */
export function parseDuration(text: string): number | undefined {
  const m = DURATION.exec(text.trim());
  if (!m) return undefined;
  const value = Number(m[1]);
  const unit = UNIT_MS[m[2] ?? ''];
  if (unit === undefined || !Number.isFinite(value)) return undefined;
  return Math.round(value * unit);
}
