// Configured secrets (provider access keys, client keys) must never reach a
// client. Providers sometimes echo the credential they were sent in an error
// ("invalid key sk-..."), and those errors are relayed, so relayed error text
// and upstream headers pass through here first.
import type { IncomingHttpHeaders } from 'node:http';
import type { Config } from '../config/types.js';

export const REDACTED = '[redacted]';

/** Too short to be a real key; replacing it would mangle ordinary text. */
const MIN_SECRET_LENGTH = 8;

export interface SecretRedactor {
  text(value: string): string;
  headers(headers: IncomingHttpHeaders): IncomingHttpHeaders;
}

// Configured provider headers under these names carry credentials too.
const CREDENTIAL_HEADER_NAME = /auth|key|token|secret/i;

/** The password in a Postgres connection string, which a driver error could echo. */
function postgresPassword(config: Config): string | undefined {
  if (config.stateStorage.type !== 'postgres') return undefined;
  try {
    const password = new URL(config.stateStorage.connectionString).password;
    return password === '' ? undefined : decodeURIComponent(password);
  } catch {
    return undefined;
  }
}

export function secretsOf(config: Config): string[] {
  const all = [
    ...config.providers.map((p) => p.accessKey),
    ...config.providers.flatMap((p) => Object.entries(p.headers).filter(([n]) => CREDENTIAL_HEADER_NAME.test(n)).map(([, v]) => v)),
    ...config.gateway.clientKeys.map((k) => k.key),
    config.gateway.sharedState.type === 'redis' ? config.gateway.sharedState.password : undefined,
    postgresPassword(config),
  ];
  const unique = new Set(all.filter((s): s is string => s !== undefined && s.length >= MIN_SECRET_LENGTH));
  // Longest first, so a key that contains another is replaced whole.
  return [...unique].sort((a, b) => b.length - a.length);
}

export function createRedactor(secrets: readonly string[]): SecretRedactor {
  const text = (value: string): string => {
    let out = value;
    for (const s of secrets) if (out.includes(s)) out = out.split(s).join(REDACTED);
    return out;
  };
  return {
    text,
    headers(headers) {
      let out: IncomingHttpHeaders | undefined;
      for (const name in headers) {
        const v = headers[name];
        if (v === undefined) continue;
        const clean = Array.isArray(v) ? v.map(text) : text(v);
        if (Array.isArray(v) ? (clean as string[]).some((c, i) => c !== v[i]) : clean !== v) {
          out ??= { ...headers };
          out[name] = clean;
        }
      }
      return out ?? headers;
    },
  };
}
