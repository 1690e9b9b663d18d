// What happens to a stream after its commit point, told to whoever watches
// (observability/): a break, and what recovery made of it. Attempts made to
// continue are told through the FailoverObserver like any other attempt.
import type { ModelProvider } from '../config/types.js';
import type { FailoverObserver } from '../failover/observer.js';
import type { StreamBreak } from './breakage.js';

export type RecoveryResult =
  | { readonly kind: 'continued'; readonly to: ModelProvider }
  /** The content was complete before the break; the stream was closed normally. */
  | { readonly kind: 'complete' }
  /** Nothing could continue it: the client got an in-band error. */
  | { readonly kind: 'error'; readonly reason: string };

export interface StreamObserver extends FailoverObserver {
  streamBroken(target: ModelProvider, cause: StreamBreak): void;
  streamRecovered(from: ModelProvider, result: RecoveryResult): void;
}
