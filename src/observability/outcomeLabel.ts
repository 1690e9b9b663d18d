// The error_type label of a failed attempt: the exhaustion body's spelling
// (failover/outcome.ts errorTypeOf) with the numbers measured per request left
// out, so a label takes a bounded set of values whatever the traffic does.
// `timeout_5000ms` becomes `timeout_first_byte`; `high_latency_1200ms_threshold_1000ms`
// becomes `high_latency`; `untranslatable_<field>` becomes `untranslatable`.
import { errorTypeOf, type AttemptOutcome } from '../failover/outcome.js';

export function errorLabelOf(outcome: AttemptOutcome): string {
  switch (outcome.kind) {
    case 'http-error':
      return outcome.status >= 100 && outcome.status <= 599 ? `http_${outcome.status}` : 'http_other';
    case 'timeout':
      return `timeout_${outcome.phase.replace('-', '_')}`;
    case 'untranslatable':
      return 'untranslatable';
    case 'high-latency':
      return 'high_latency';
    case 'connection-error':
    case 'invalid-response':
      return errorTypeOf(outcome);
  }
}
