// on_errors: rules keyed by LLM-aware error class instead of status code.
import type { IssueCollector, Path } from './issues.js';
import { isRawMap, readEnum, readInt, readString } from './raw.js';
import { STRATEGIES } from './statusCodes.js';
import type { ErrorClass, ErrorRule } from './types.js';

export const ERROR_CLASSES: readonly ErrorClass[] = ['context_length_exceeded', 'content_policy', 'auth', 'overloaded'];

/** Classes where the same entry would fail the same way again: it is never retried. */
export const NEVER_SAME_MODEL: ReadonlySet<ErrorClass> = new Set(['context_length_exceeded', 'content_policy', 'auth']);

export function buildErrorRules(list: readonly unknown[], path: Path, issues: IssueCollector): ErrorRule[] {
  const out: ErrorRule[] = [];
  list.forEach((entry, i) => {
    if (!isRawMap(entry)) return;
    const match = readString(entry, 'match');
    if (match === undefined || !(ERROR_CLASSES as readonly string[]).includes(match)) return; // schema reported it
    const cls = match as ErrorClass;
    if (out.some((r) => r.match === cls)) {
      issues.error([...path, i, 'match'], `"${cls}" is already handled by an earlier on_errors entry`);
      return;
    }
    const strategy = readEnum(entry, 'strategy', STRATEGIES, 'different_provider');
    if (NEVER_SAME_MODEL.has(cls) && strategy === 'same_model') {
      issues.error([...path, i, 'strategy'], `${cls} would fail again on the same model; use same_provider or different_provider`);
    }
    const sameModelRetries = readInt(entry, 'same_model_retries');
    if (NEVER_SAME_MODEL.has(cls) && sameModelRetries !== undefined && sameModelRetries > 0) {
      issues.error([...path, i, 'same_model_retries'], `${cls} is never retried on the same model`);
    }
    out.push({
      id: `errors[${i}]`,
      match: cls,
      strategy,
      maxAttempts: readInt(entry, 'max_attempts') ?? 1,
      sameModelRetries: sameModelRetries ?? 0,
    });
  });
  return out;
}
