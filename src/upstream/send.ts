// Performs one HTTP call to a provider and reports what happened as a value:
// a response (any status), or a failure classified by undici's error codes.
import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import type { ModelProvider } from '../config/types.js';
import type { AttemptOutcome } from '../failover/outcome.js';
import type { UpstreamPools } from './pools.js';
import type { WireBody } from '../providers/upstreamRequest.js';
import type { AttemptSignal } from './attemptControl.js';

/** Failures before any response: the failover outcomes, or an abort by the caller. */
export type UpstreamFailure =
  | Extract<AttemptOutcome, { kind: 'connection-error' } | { kind: 'timeout' }>
  | { readonly kind: 'aborted' };

export type UpstreamReply =
  | {
      readonly ok: true;
      readonly status: number;
      readonly headers: IncomingHttpHeaders;
      readonly body: Dispatcher.ResponseData['body'];
      readonly ttfbMs: number;
    }
  | { readonly ok: false; readonly failure: UpstreamFailure };

export interface SendOptions {
  readonly target: ModelProvider;
  readonly body: WireBody;
  readonly headers: Record<string, string>;
  /** Path and query on the target's origin (see upstreamPath). */
  readonly path: string;
  /** Ends the call: client gone, request deadline, or the attempt's first-byte limit. */
  readonly signal: AttemptSignal;
}

/** What a failed call means for failover, by undici's error code; `aborted` when the caller ended it. */
export function transportFailure(err: unknown, aborted: boolean, target: ModelProvider): UpstreamFailure {
  if (aborted) return { kind: 'aborted' };
  const { code, name } = err as { code?: unknown; name?: unknown };
  const label = typeof code === 'string' ? code : typeof name === 'string' ? name : 'unknown';
  switch (label) {
    case 'UND_ERR_CONNECT_TIMEOUT':
      return { kind: 'timeout', phase: 'connect', afterMs: target.timeouts.connectMs };
    case 'ECONNREFUSED':
      return { kind: 'connection-error', reason: 'refused' };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { kind: 'connection-error', reason: 'dns' };
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
      return { kind: 'connection-error', reason: 'reset' };
    default:
      if (/^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED)/.test(label)) {
        return { kind: 'connection-error', reason: 'tls' };
      }
      return { kind: 'connection-error', reason: 'other' };
  }
}

/**
 * A body as undici takes it. Its documented body types include an Iterable of
 * buffers (docs/api/Dispatcher.md), which its TypeScript declarations omit;
 * `content-length` is always set (upstreamHeaders), so the pieces go out as one
 * fixed-length body, never chunked.
 */
export function dispatchBody(body: WireBody): Dispatcher.DispatchOptions['body'] {
  return body as Buffer;
}

export async function sendUpstream(pools: UpstreamPools, opts: SendOptions): Promise<UpstreamReply> {
  const { target } = opts;
  const pool = pools.get(target.endpoint.origin, target.timeouts.connectMs);
  const started = performance.now();
  try {
    const res = await pool.request({
      path: opts.path,
      method: 'POST',
      headers: opts.headers,
      body: dispatchBody(opts.body),
      signal: opts.signal,
      // The caller times the first byte precisely (FirstByteTimer) and aborts through `signal`.
      headersTimeout: 0,
      bodyTimeout: 0,
    });
    return { ok: true, status: res.statusCode, headers: res.headers, body: res.body, ttfbMs: performance.now() - started };
  } catch (err) {
    return { ok: false, failure: transportFailure(err, opts.signal.aborted, target) };
  }
}
