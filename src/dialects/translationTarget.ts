// What a request translator needs to know about the entry it translates for,
// beyond the wire format: taken from the entry's config, once per target.
import type { TranslationMode } from './translationLoss.js';

export interface TranslationTarget {
  /** Sent upstream as `model`. */
  readonly modelId: string;
  /** What to do with hints the format cannot express. */
  readonly mode: TranslationMode;
  /**
   * The model reasons: an OpenAI reasoning model takes `reasoning_effort` (and
   * `max_completion_tokens`), an Anthropic model takes a thinking budget. Effort
   * and thinking are mapped only for such entries, and dropped as hints otherwise.
   */
  readonly reasoning: boolean;
  /** The entry's max_output_tokens: max_tokens above it is lowered to it. */
  readonly maxOutputTokens: number | undefined;
}
