// Typed reads from parsed-but-untrusted YAML. Semantic checks run even when
// the schema found problems (so a broken file names every problem), and these
// readers make them skip any field whose type the schema already rejected.
export type RawMap = Readonly<Record<string, unknown>>;

export function isRawMap(v: unknown): v is RawMap {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export const has = (m: RawMap, key: string): boolean => Object.prototype.hasOwnProperty.call(m, key) && m[key] !== undefined;

export function readString(m: RawMap, key: string): string | undefined {
  const v = m[key];
  return typeof v === 'string' ? v : undefined;
}

export function readInt(m: RawMap, key: string): number | undefined {
  const v = m[key];
  return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
}

export function readBool(m: RawMap, key: string): boolean | undefined {
  const v = m[key];
  return typeof v === 'boolean' ? v : undefined;
}

export function readMap(m: RawMap, key: string): RawMap | undefined {
  const v = m[key];
  return isRawMap(v) ? v : undefined;
}

export function readList(m: RawMap, key: string): readonly unknown[] | undefined {
  const v = m[key];
  return Array.isArray(v) ? v : undefined;
}

/** A value from an enum, or the fallback when absent or not one of `allowed`. */
export function readEnum<T extends string>(m: RawMap, key: string, allowed: readonly T[], fallback: T): T {
  const v = m[key];
  return typeof v === 'string' && (allowed as readonly string[]).includes(v) ? (v as T) : fallback;
}
