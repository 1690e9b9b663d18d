// Hints and contracts: the two kinds of field a target's format cannot express.
//
// A *hint* steers how a model works or is billed, not what the answer means:
// thinking, effort, cache_control, context_management, metadata, service_tier,
// prompt_cache_key… Losing one changes cost or quality, never the answer's
// shape, so a translation drops it and names it (x-switchyard-dropped).
// A *contract* changes the answer's shape or meaning (n > 1, logprobs, audio,
// a forced tool_choice the target lacks…): it is refused with a 400 naming the
// field, and a fallback that cannot honour it is skipped, as before.
//
// `translation: strict` (per entry or global) refuses hints too, for operators
// who would rather fail than answer without something the client asked for.
//
// Every request translator, whatever the client spoke, reports its losses
// through a HintLedger, so the header, the log line and strict mode mean the
// same thing on every route.
import { untranslatable, type Untranslatable } from './translation.js';

export const TRANSLATION_MODES = ['lenient', 'strict'] as const;
/** lenient: drop hints and name them; strict: refuse them like contracts. */
export type TranslationMode = (typeof TRANSLATION_MODES)[number];

/** Names of the hints one translation dropped, each once, in the order first met. */
export type DroppedHints = readonly string[];

export const NO_DROPPED_HINTS: DroppedHints = Object.freeze([]);

/** The response header that names the dropped hints; absent when none were. */
export const DROPPED_HEADER = 'x-switchyard-dropped';

/** The header's value, or undefined when nothing was dropped (the header is then left out). */
export function droppedHeaderValue(dropped: DroppedHints): string | undefined {
  return dropped.length === 0 ? undefined : dropped.join(',');
}

/**
 * Collects the hints one request translation drops. One ledger per
 * translation (per target), created with the target's mode.
 */
export class HintLedger {
  readonly mode: TranslationMode;
  #dropped: Set<string> | undefined;

  constructor(mode: TranslationMode) {
    this.mode = mode;
  }

  /**
   * Records that the hint `name` (a header token such as `thinking` or
   * `cache_control`) cannot be carried. In lenient mode it is dropped and
   * `undefined` comes back; in strict mode the refusal comes back instead, for
   * the translator to return. `field` is the path a refusal names (`name` when
   * omitted); `message` says what could not be expressed.
   */
  drop(name: string, message: string, field: string = name): Untranslatable | undefined {
    if (this.mode === 'strict') return untranslatable(field, `${message} (translation: strict refuses hints)`);
    (this.#dropped ??= new Set()).add(name);
    return undefined;
  }

  /** What was dropped so far. */
  get dropped(): DroppedHints {
    return this.#dropped === undefined ? NO_DROPPED_HINTS : [...this.#dropped];
  }
}

/** A translated request with the hints it dropped, or the field that could not be expressed. */
export type RequestTranslation<T> = { readonly ok: true; readonly value: T; readonly dropped: DroppedHints } | Untranslatable;

/** Closes a translation: the value and the ledger's dropped hints. */
export const withDropped = <T>(value: T, ledger: HintLedger): RequestTranslation<T> => ({ ok: true, value, dropped: ledger.dropped });
