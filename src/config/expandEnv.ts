// $VAR / ${VAR} substitution for the fields that carry secrets or deployment
// specifics. Values never appear in results other than the expanded text.
export type ExpandResult =
  | { readonly ok: true; readonly value: string }
  | { readonly ok: false; readonly missing: readonly string[] };

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/**
 * Replaces every reference. A variable that is unset or empty counts as
 * missing: an empty API key or port is always a mistake, and saying so at
 * load time beats a 401 at request time. A "$" not followed by a name stays.
 */
export function expandEnv(text: string, env: NodeJS.ProcessEnv): ExpandResult {
  const missing: string[] = [];
  const value = text.replace(REFERENCE, (whole, braced: string | undefined, bare: string | undefined) => {
    const name = braced ?? bare ?? '';
    const found = env[name];
    if (found === undefined || found === '') {
      if (!missing.includes(name)) missing.push(name);
      return whole;
    }
    return found;
  });
  return missing.length > 0 ? { ok: false, missing } : { ok: true, value };
}

export function missingVariablesMessage(missing: readonly string[]): string {
  return missing.length === 1
    ? `environment variable ${missing[0]} is not set (or is empty)`
    : `environment variables ${missing.join(', ')} are not set (or are empty)`;
}
