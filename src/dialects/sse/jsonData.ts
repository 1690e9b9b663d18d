// An SSE event's data read as a JSON object, the one shape both dialects send.

export type JsonObject = Record<string, unknown>;

/** `'malformed'` when the data is not JSON at all; undefined when it is JSON but not an object (null, a number, an array). */
export function jsonObject(data: string): JsonObject | 'malformed' | undefined {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return 'malformed';
  }
  return isJsonObject(value) ? value : undefined;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
