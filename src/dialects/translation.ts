// The result of translating a request: either the target-dialect value, or the
// name of the field that cannot be expressed there (the server turns that into
// a 400 naming the field — nothing is dropped silently).

/** A field the target cannot express: a contract, or a hint under `translation: strict`. */
export interface Untranslatable {
  readonly ok: false;
  readonly field: string;
  readonly message: string;
}

export type Translation<T> = { ok: true; value: T } | Untranslatable;

export const translated = <T>(value: T): Translation<T> => ({ ok: true, value });

export const untranslatable = (field: string, message: string): Untranslatable => ({ ok: false, field, message });
