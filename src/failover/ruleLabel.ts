// The name a rule has in the config, for logs and the retry_exhausted body:
// which rule fired for a failure (e.g. on_timeout for an attempt the deadline
// split cut short). Pure.
import type { TriggerRule } from '../config/types.js';

export function ruleLabel(rule: TriggerRule): string {
  const { id } = rule;
  if (id === 'timeout') return 'on_timeout';
  if (id === 'latency') return 'on_high_latency';
  if (id.startsWith('status[')) return `on_status_codes${id.slice('status'.length)}`;
  if (id.startsWith('errors[')) return `on_errors${id.slice('errors'.length)}`;
  // The built-in rule for an error class no on_errors entry names, e.g. "errors:context_length_exceeded".
  if (id.startsWith('errors:')) return `${id.slice('errors:'.length)} (built-in)`;
  return id;
}
