// Picks the one listener Switchyard serves: the model listener.
import type { ListenerConfig } from './types.js';
import { LISTENER_DEFAULTS } from './defaults.js';
import { parseDuration } from './duration.js';
import type { IssueCollector, Path } from './issues.js';
import { warnIgnoredListener, warnIgnoredListenerFields } from './ignoredSections.js';
import { isRawMap, readInt, readMap, readString, type RawMap } from './raw.js';

export const DEFAULT_LISTENER: ListenerConfig = {
  name: LISTENER_DEFAULTS.name,
  address: LISTENER_DEFAULTS.address,
  port: LISTENER_DEFAULTS.port,
  // A constant that parses (listener tests pin it); NaN would fail them loudly.
  timeoutMs: parseDuration(LISTENER_DEFAULTS.timeout) ?? Number.NaN,
};

function fromEntry(entry: RawMap, path: Path, fallbackName: string, issues: IssueCollector): ListenerConfig {
  const timeoutText = readString(entry, 'timeout');
  let timeoutMs = DEFAULT_LISTENER.timeoutMs;
  if (timeoutText !== undefined) {
    const parsed = parseDuration(timeoutText);
    if (parsed === undefined || parsed <= 0) {
      issues.error([...path, 'timeout'], `must be a positive duration such as "30s", "1m" or "500ms", got ${JSON.stringify(timeoutText)}`);
    } else {
      timeoutMs = parsed;
    }
  }
  return {
    name: readString(entry, 'name') ?? fallbackName,
    address: readString(entry, 'address') ?? DEFAULT_LISTENER.address,
    port: readInt(entry, 'port') ?? DEFAULT_LISTENER.port,
    timeoutMs,
  };
}

/**
 * Legacy object form. In Plano (and Arch before it) `egress_traffic` is the
 * listener apps call to reach LLMs, i.e. the model listener, while
 * `ingress_traffic` fronts prompt targets. So egress maps to the model
 * listener and ingress is ignored with a warning.
 */
function fromLegacy(listeners: RawMap, issues: IssueCollector): ListenerConfig {
  issues.warn(['listeners'], 'the object form (ingress_traffic/egress_traffic) is deprecated; use a list with an entry of type: model');
  if (listeners['ingress_traffic'] !== undefined) {
    issues.warn(['listeners', 'ingress_traffic'], 'ingress_traffic (the prompt listener) is ignored by Switchyard');
  }
  const egress = readMap(listeners, 'egress_traffic');
  return egress ? fromEntry(egress, ['listeners', 'egress_traffic'], 'egress_traffic', issues) : DEFAULT_LISTENER;
}

export function buildListener(root: RawMap, issues: IssueCollector): ListenerConfig {
  const raw = root['listeners'];
  if (isRawMap(raw)) return fromLegacy(raw, issues);
  if (!Array.isArray(raw)) return DEFAULT_LISTENER;

  let chosen: { listener: ListenerConfig; index: number } | undefined;
  raw.forEach((entry, index) => {
    if (!isRawMap(entry)) return;
    if (entry['type'] !== 'model') {
      warnIgnoredListener(entry, index, issues);
      return;
    }
    if (chosen !== undefined) {
      issues.error(['listeners', index, 'type'], `only one model listener is supported; listeners[${chosen.index}] is already one`);
      return;
    }
    warnIgnoredListenerFields(entry, index, issues);
    chosen = { listener: fromEntry(entry, ['listeners', index], DEFAULT_LISTENER.name, issues), index };
  });
  return chosen?.listener ?? DEFAULT_LISTENER;
}
