// A translation target as an entry without translation settings loads: lenient, not a reasoning model, no ceiling.
import type { TranslationTarget } from '../../../../src/dialects/translationTarget.js';

export const target = (modelId: string, overrides: Partial<TranslationTarget> = {}): TranslationTarget => ({
  modelId,
  mode: 'lenient',
  reasoning: false,
  maxOutputTokens: undefined,
  ...overrides,
});
