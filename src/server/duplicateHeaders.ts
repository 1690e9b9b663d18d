// Headers whose meaning is ambiguous when repeated. Node keeps the first
// `authorization` or `host` and drops the rest silently, while a proxy in
// front may have acted on another copy: refuse instead of guessing.
const SINGLE_VALUED = new Set([
  'host',
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'api-key',
  'x-switchyard-key',
  'content-length',
  'content-type',
  'transfer-encoding',
]);

/** The first critical header that appears more than once in `rawHeaders` (name, value, name, value, ...). */
export function findDuplicatedHeader(rawHeaders: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] ?? '').toLowerCase();
    if (!SINGLE_VALUED.has(name)) continue;
    if (seen.has(name)) return name;
    seen.add(name);
  }
  return undefined;
}
