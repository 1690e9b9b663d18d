// How a committed upstream stream broke, as the outcome failover rules read
// and the code the client's in-band error carries.
import { BODY_CUT, type AttemptOutcome } from '../failover/outcome.js';

export type StreamBreak =
  | { readonly kind: 'cut' }
  | { readonly kind: 'stalled'; readonly idleMs: number }
  | { readonly kind: 'error-event'; readonly data: string }
  | { readonly kind: 'truncated' };

export function breakOutcome(b: StreamBreak): AttemptOutcome {
  switch (b.kind) {
    case 'cut':
      return BODY_CUT;
    case 'stalled':
      return { kind: 'timeout', phase: 'idle', afterMs: b.idleMs };
    case 'error-event':
      return { kind: 'invalid-response', reason: 'error-body', status: 200, body: b.data };
    case 'truncated':
      return { kind: 'invalid-response', reason: 'truncated', status: 200, body: '' };
  }
}

/** `stream_cut`, `stream_stalled`, `stream_error`, `stream_truncated`. */
export function breakCode(b: StreamBreak): string {
  switch (b.kind) {
    case 'cut':
      return 'stream_cut';
    case 'stalled':
      return 'stream_stalled';
    case 'error-event':
      return 'stream_error';
    case 'truncated':
      return 'stream_truncated';
  }
}

export function describeBreak(b: StreamBreak): string {
  switch (b.kind) {
    case 'cut':
      return 'the connection was cut';
    case 'stalled':
      return `no event for ${b.idleMs} ms`;
    case 'error-event':
      return 'the provider sent an error event';
    case 'truncated':
      return 'the stream ended before its final event';
  }
}
