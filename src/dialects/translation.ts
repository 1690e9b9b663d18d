// The result of translating a request: either the target-dialect value, or the
// name of the field that cannot be expressed there (the server turns that into
// a 400 naming the field — nothing is dropped silently).

export type Translation<T> = { ok: true; value: T } | { ok: false; field: string; message: string };

export const translated = <T>(value: T): Translation<T> => ({ ok: true, value });

export const untranslatable = (field: string, message: string): { ok: false; field: string; message: string } => ({
  ok: false,
  field,
  message,
});

