// Optional client keys (switchyard.client_keys): who may use the gateway, and
// which models each key may request. Keys are compared as SHA-256 digests with
// timingSafeEqual against every configured key, so neither the position of the
// first differing byte nor which key matched shows in the timing.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { ClientKey, ModelProvider } from '../config/types.js';

/** Where a client key may be sent, in the order they are looked at. */
export type KeyHeader = 'x-switchyard-key' | 'authorization' | 'x-api-key';

export type ClientIdentity =
  /** No keys are configured: every client is let in. */
  | { readonly kind: 'open' }
  | { readonly kind: 'key'; readonly key: ClientKey; readonly header: KeyHeader };

export type AuthResult =
  | { readonly ok: true; readonly identity: ClientIdentity }
  | { readonly ok: false; readonly message: string };

export interface ClientAuthenticator {
  /**
   * `allowBasic`: also take the key as the password of HTTP Basic credentials,
   * which is how a browser sends one (the status page); the user name is ignored.
   */
  authenticate(headers: IncomingHttpHeaders, allowBasic?: boolean): AuthResult;
}

export const OPEN_CLIENT: ClientIdentity = Object.freeze({ kind: 'open' });
const OPEN: AuthResult = Object.freeze({ ok: true, identity: OPEN_CLIENT });

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** The password of `Basic <base64(user:password)>`, or undefined when `auth` is not Basic. */
function basicPassword(auth: string): string | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(auth);
  if (m?.[1] === undefined) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : decoded.slice(colon + 1);
}

function presentedKey(headers: IncomingHttpHeaders, allowBasic: boolean): { value: string; header: KeyHeader } | undefined {
  const own = headers['x-switchyard-key'];
  if (typeof own === 'string') return { value: own.trim(), header: 'x-switchyard-key' };
  const auth = headers['authorization'];
  if (typeof auth === 'string') {
    const basic = allowBasic ? basicPassword(auth) : undefined;
    if (basic !== undefined) return { value: basic, header: 'authorization' };
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    return { value: m?.[1] ?? '', header: 'authorization' };
  }
  const apiKey = headers['x-api-key'];
  if (typeof apiKey === 'string') return { value: apiKey.trim(), header: 'x-api-key' };
  return undefined;
}

/** Compares two equal-length digests; timing-safe by default (replaceable only so tests can observe the calls). */
export type DigestCompare = (a: Buffer, b: Buffer) => boolean;
export const CONSTANT_TIME_COMPARE: DigestCompare = timingSafeEqual;

export function createClientAuth(keys: readonly ClientKey[], compare: DigestCompare = CONSTANT_TIME_COMPARE): ClientAuthenticator {
  if (keys.length === 0) return { authenticate: () => OPEN };
  const table = keys.map((key) => ({ key, digest: digest(key.key) }));
  return {
    authenticate(headers, allowBasic = false) {
      const presented = presentedKey(headers, allowBasic);
      if (presented === undefined) {
        return { ok: false, message: 'a client key is required: send it as "Authorization: Bearer <key>", "x-api-key" or "x-switchyard-key"' };
      }
      const d = digest(presented.value);
      let match: ClientKey | undefined;
      // No early exit: every key is compared on every request.
      for (const entry of table) {
        if (compare(entry.digest, d) && match === undefined) match = entry.key;
      }
      if (match === undefined) return { ok: false, message: `the client key sent in ${presented.header} is not valid` };
      return { ok: true, identity: { kind: 'key', key: match, header: presented.header } };
    },
  };
}

/** Whether this client may request `provider` (the entry its model resolved to). */
export function allowsModel(identity: ClientIdentity, provider: Pick<ModelProvider, 'name'>): boolean {
  if (identity.kind === 'open' || identity.key.allowedModels === undefined) return true;
  return identity.key.allowedModels.includes(provider.name);
}

/** The client's headers without the one that carried its gateway key: that key is never sent upstream. */
export function withoutGatewayKey(headers: IncomingHttpHeaders, identity: ClientIdentity): IncomingHttpHeaders {
  if (identity.kind === 'open') return headers;
  const { [identity.header]: _gatewayKey, ...rest } = headers;
  return rest;
}

/**
 * Whose stored conversations a client may read: the digest of its key, or ''
 * when no keys are configured. A digest rather than the key's name, so
 * renaming or reordering keys keeps them; a new key is a new tenant.
 */
export function tenantOf(identity: ClientIdentity): string {
  return identity.kind === 'open' ? '' : digest(identity.key.key).toString('hex').slice(0, 32);
}
