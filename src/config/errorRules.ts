// on_errors: rules keyed by LLM-aware error class instead of status code.
import { REQUIRED_STAND_INS, RETRY_POLICY_DEFAULTS } from './defaults.js';
import type { IssueCollector, Path } from './issues.js';
import { isRawMap, readEnum, readInt, readString } from './raw.js';
import type { ErrorRule } from './types.js';
import { ErrorClass, Strategy } from './vocabulary.js';

/** Classes where the same entry would fail the same way again: it is never retried. */
export const NEVER_SAME_MODEL: ReadonlySet<ErrorClass> = new Set(['context_length_exceeded', 'content_policy', 'auth']);

export function buildErrorRules(list: readonly unknown[], path: Path, issues: IssueCollector): ErrorRule[] {
  const out: ErrorRule[] = [];
  list.forEach((entry, i) => {
    if (!isRawMap(entry)) return;
    const match = readString(entry, 'match');
    if (match === undefined || !(ErrorClass.enum as readonly string[]).includes(match)) return; // schema reported it
    const cls = match as ErrorClass;
    if (out.some((r) => r.match === cls)) {
      issues.error([...path, i, 'match'], `"${cls}" is already handled by an earlier on_errors entry`);
      return;
    }
    const strategy = readEnum(entry, 'strategy', Strategy.enum, REQUIRED_STAND_INS.strategy);
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
      maxAttempts: readInt(entry, 'max_attempts') ?? RETRY_POLICY_DEFAULTS.on_errors.max_attempts,
      sameModelRetries: sameModelRetries ?? RETRY_POLICY_DEFAULTS.on_errors.same_model_retries,
    });
  });
  return out;
}
