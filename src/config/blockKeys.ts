// The names blocks are kept under: one model entry, or every entry of a
// provider prefix. Each entry's keys are built once, when the config loads,
// because a lookup runs on every request and a fresh string costs its hashing.
import type { BlockScope } from './vocabulary.js';

export type { BlockScope } from './vocabulary.js';

export type BlockKeys = Readonly<Record<BlockScope, string>>;

/** `model:<entry name>` or `provider:<prefix>`. */
export function blockKey(scope: BlockScope, id: string): string {
  return `${scope}:${id}`;
}

export function blockKeysOf(name: string, prefix: string): BlockKeys {
  return { model: blockKey('model', name), provider: blockKey('provider', prefix) };
}
