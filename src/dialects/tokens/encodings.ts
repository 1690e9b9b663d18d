// OpenAI's BPE tokenizers, from gpt-tokenizer: the ranks ship inside the npm
// package, so nothing is downloaded at run time (docs/dependencies.md says why
// this package). An encoding takes tens of megabytes and a noticeable moment to
// load, so it is loaded on first need, never at start-up: a gateway whose
// clients never need a count never pays for it.

export type CountTokens = (text: string) => number;

export type EncodingName = 'o200k_base' | 'cl100k_base';

// gpt-4 (not 4o, 4.1, 4.5), gpt-4-turbo, gpt-3.5 and the ada-era embeddings
// use cl100k_base; every later OpenAI model uses o200k_base, which is also the
// documented approximation for models that are not OpenAI's (Llama, Qwen, …).
const CL100K_MODELS = /^(?:gpt-4(?![o.\d])|gpt-4-|gpt-3\.5|text-embedding-(?:ada|3))/;

/** The encoding for a provider's model id; "openai/gpt-4" (a router's id) reads as "gpt-4". */
export function encodingFor(modelId: string): EncodingName {
  const bare = modelId.slice(modelId.lastIndexOf('/') + 1);
  return CL100K_MODELS.test(bare) ? 'cl100k_base' : 'o200k_base';
}

// Text is counted as text: "<|endoftext|>" in a prompt is not a special token.
const AS_TEXT = { disallowedSpecial: new Set<string>() };

const loaded = new Map<EncodingName, CountTokens>();
const loading = new Map<EncodingName, Promise<CountTokens>>();

async function importEncoding(name: EncodingName): Promise<CountTokens> {
  const encoding = name === 'o200k_base' ? await import('gpt-tokenizer/encoding/o200k_base') : await import('gpt-tokenizer/encoding/cl100k_base');
  const count = remembering((text) => encoding.countTokens(text, AS_TEXT));
  loaded.set(name, count);
  return count;
}

// Coding agents resend the same system prompt and tool definitions (tens of
// kilobytes) on every turn: counts of long texts are remembered, so only what
// is new in a conversation is tokenized. Bounded by total characters held.
const REMEMBER_FROM_CHARS = 512;
const REMEMBER_MAX_CHARS = 8_000_000;

function remembering(count: CountTokens): CountTokens {
  const memo = new Map<string, number>();
  let heldChars = 0;
  return (text) => {
    if (text.length < REMEMBER_FROM_CHARS) return count(text);
    const known = memo.get(text);
    if (known !== undefined) return known;
    const n = count(text);
    memo.set(text, n);
    heldChars += text.length;
    // Oldest first: a Map iterates in insertion order.
    for (const oldest of memo.keys()) {
      if (heldChars <= REMEMBER_MAX_CHARS) break;
      memo.delete(oldest);
      heldChars -= oldest.length;
    }
    return n;
  };
}

/** The encoding's counter, loading it once (concurrent callers share the load). */
export function loadEncoding(name: EncodingName): Promise<CountTokens> {
  const ready = loaded.get(name);
  if (ready) return Promise.resolve(ready);
  let pending = loading.get(name);
  if (!pending) {
    pending = importEncoding(name);
    loading.set(name, pending);
  }
  return pending;
}

/** The counter when already loaded, else undefined (and nothing is started). */
export const loadedEncoding = (name: EncodingName): CountTokens | undefined => loaded.get(name);
