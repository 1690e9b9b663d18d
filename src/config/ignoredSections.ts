// Plano features Switchyard does not implement still load, so one config file
// serves both; each one present earns a warning so nobody expects it to act.
import type { IssueCollector } from './issues.js';
import { isRawMap, readList, readMap, readString, type RawMap } from './raw.js';

const IGNORED_TOP_LEVEL = [
  'agents',
  'filters',
  'prompt_targets',
  'endpoints',
  'ratelimits',
  'routing',
  'prompt_guards',
  'routing_preferences',
  'model_metrics_sources',
  'mode',
  'system_prompt',
] as const;

/** The one override Switchyard honours (as the default connect timeout). */
const USED_OVERRIDES = new Set(['upstream_connect_timeout']);

const IGNORED = 'ignored by Switchyard';

export function warnIgnoredSections(root: RawMap, issues: IssueCollector): void {
  for (const key of IGNORED_TOP_LEVEL) {
    if (root[key] !== undefined) issues.warn([key], `section "${key}" is ${IGNORED}`);
  }
  const overrides = readMap(root, 'overrides');
  for (const key of Object.keys(overrides ?? {})) {
    if (!USED_OVERRIDES.has(key)) issues.warn(['overrides', key], `override "${key}" is ${IGNORED}`);
  }
  for (const listKey of ['model_providers', 'llm_providers']) {
    readList(root, listKey)?.forEach((p, i) => {
      if (isRawMap(p) && p['routing_preferences'] !== undefined) {
        issues.warn([listKey, i, 'routing_preferences'], `provider routing_preferences are ${IGNORED}`);
      }
    });
  }
}

/** Per-listener fields Switchyard does not act on, on the model listener it uses. */
const IGNORED_LISTENER_FIELDS = ['max_retries', 'input_filters', 'output_filters', 'router', 'agents'] as const;

export function warnIgnoredListenerFields(listener: RawMap, index: number, issues: IssueCollector): void {
  for (const key of IGNORED_LISTENER_FIELDS) {
    if (listener[key] !== undefined) issues.warn(['listeners', index, key], `listener field "${key}" is ${IGNORED}`);
  }
}

export function warnIgnoredListener(listener: RawMap, index: number, issues: IssueCollector): void {
  const type = readString(listener, 'type') ?? 'unknown';
  issues.warn(['listeners', index], `${type} listener "${readString(listener, 'name') ?? ''}" is ${IGNORED}`);
}
