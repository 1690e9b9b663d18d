// Which client headers travel upstream, and which upstream headers travel back.
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { ModelProvider } from '../config/types.js';
import type { WireFormat } from '../dialects/wireFormat.js';

/** Hop-by-hop headers (RFC 9110 §7.6.1) plus those the gateway recomputes itself. */
const NOT_FORWARDED_UPSTREAM = new Set([
  'connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer',
  'trailers', 'transfer-encoding', 'upgrade', 'host', 'content-length', 'accept-encoding', 'expect', 'http2-settings',
  // The gateway's own client key (switchyard.client_keys) is for the gateway only.
  'x-switchyard-key',
]);

/** Client credentials: kept aside for passthrough_auth targets, never forwarded otherwise. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'x-api-key', 'api-key']);

const NOT_RETURNED_TO_CLIENT = new Set([
  'connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer',
  'trailers', 'transfer-encoding', 'upgrade', 'date', 'server', 'alt-svc',
]);

export const DEFAULT_ANTHROPIC_VERSION = '2023-06-01';

export interface ClientHeaders {
  /** Headers that may be forwarded to any provider. */
  readonly forwardable: Record<string, string>;
  /** The client's own credentials, for passthrough_auth targets only. */
  readonly credentials: Record<string, string>;
  /**
   * One wire format's protocol headers (anthropic-version, anthropic-beta,
   * openai-organization…): sent only to targets of that format, where they mean something.
   */
  readonly ofFormat?: Partial<Record<WireFormat, Record<string, string>>>;
}

/** The wire format whose protocol a header belongs to, by its prefix. */
function formatOfHeader(name: string): WireFormat | undefined {
  if (name.startsWith('anthropic-')) return 'anthropic';
  if (name.startsWith('openai-')) return 'openai';
  return undefined;
}

/** Splits the client's headers once per request; every attempt reuses the result. */
export function splitClientHeaders(headers: IncomingHttpHeaders): ClientHeaders {
  const forwardable: Record<string, string> = {};
  const credentials: Record<string, string> = {};
  let ofFormat: Partial<Record<WireFormat, Record<string, string>>> | undefined;
  const connectionListed = namesListedIn(headers.connection);
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    const joined = Array.isArray(value) ? value.join(', ') : value;
    if (CREDENTIAL_HEADERS.has(name)) credentials[name] = joined;
    else if (!NOT_FORWARDED_UPSTREAM.has(name) && !connectionListed.includes(name)) {
      const format = formatOfHeader(name);
      if (format === undefined) forwardable[name] = joined;
      else ((ofFormat ??= {})[format] ??= {})[name] = joined;
    }
  }
  return ofFormat === undefined ? { forwardable, credentials } : { forwardable, credentials, ofFormat };
}

/**
 * The headers one attempt sends to `target`: client headers, then the
 * target's auth and its own `headers`, then `trace` (the attempt's
 * traceparent, which replaces the client's).
 */
export function upstreamHeaders(target: ModelProvider, client: ClientHeaders, contentLength: number, trace?: Readonly<Record<string, string>>): Record<string, string> {
  // Copied key by key: adding the gateway's headers to an object built by
  // spreading the client's cost about 5 µs per attempt (measured), a loop about 1.
  const out: Record<string, string> = {};
  copyInto(out, client.forwardable);
  const ofFormat = client.ofFormat?.[target.endpoint.format];
  if (ofFormat !== undefined) copyInto(out, ofFormat);
  out['content-type'] = 'application/json';
  out['content-length'] = String(contentLength);
  if (target.passthroughAuth) {
    Object.assign(out, client.credentials);
  } else if (target.accessKey !== undefined) {
    const auth = target.endpoint.auth;
    if (auth === 'bearer') out['authorization'] = `Bearer ${target.accessKey}`;
    else if (auth === 'x-api-key') out['x-api-key'] = target.accessKey;
    else out['api-key'] = target.accessKey;
  }
  if (target.endpoint.format === 'anthropic' && out['anthropic-version'] === undefined) {
    out['anthropic-version'] = DEFAULT_ANTHROPIC_VERSION;
  }
  if (target.httpHost !== undefined) out['host'] = target.httpHost;
  for (const name in target.headers) out[name.toLowerCase()] = target.headers[name] as string;
  if (trace !== undefined) copyInto(out, trace);
  return out;
}

function copyInto(out: Record<string, string>, from: Readonly<Record<string, string>>): void {
  for (const name in from) out[name] = from[name] as string;
}

const NO_NAMES: readonly string[] = [];

/** The header names a Connection header lists: hop-by-hop for this one message (RFC 9110 §7.6.1). */
function namesListedIn(connection: string | undefined): readonly string[] {
  // "keep-alive" and "close" name no header: skip building the list in the common case (about 2 µs a request).
  if (connection === undefined || connection === 'keep-alive' || connection === 'close') return NO_NAMES;
  return connection.toLowerCase().split(',').map((s) => s.trim());
}

// Undici's parser already refuses these, but a value that got through would
// split the client's response (or make writeHead throw mid-request).
const UNSAFE_VALUE = /[\r\n\0]/;

/** Upstream response headers that are safe and meaningful to copy to the client. */
export function clientResponseHeaders(upstream: IncomingHttpHeaders, out: OutgoingHttpHeaders): OutgoingHttpHeaders {
  const connectionListed = namesListedIn(upstream.connection);
  for (const name in upstream) {
    const value = upstream[name];
    if (value === undefined || NOT_RETURNED_TO_CLIENT.has(name) || name === 'set-cookie' || connectionListed.includes(name)) continue;
    // The gateway's own headers (x-request-id, x-switchyard-*) are not the provider's to change.
    if (out[name] !== undefined) continue;
    if (Array.isArray(value) ? value.some((v) => UNSAFE_VALUE.test(v)) : UNSAFE_VALUE.test(value)) continue;
    out[name] = value;
  }
  return out;
}
