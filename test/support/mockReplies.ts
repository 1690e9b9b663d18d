// What a mock provider is scripted to do, independent of its wire format. Each
// format renders the same script in its own shapes (see openAIWire.ts and
// anthropicWire.ts), so one test can run against either kind of provider.

export interface MockToolCall {
  readonly name: string;
  readonly input: Record<string, unknown>;
}

export interface MockUsage {
  /** Prompt tokens that were neither read from nor written to a cache. */
  readonly input: number;
  readonly output: number;
  readonly cacheRead?: number;
  /** Anthropic only: OpenAI does not report cache writes. */
  readonly cacheWrite?: number;
}

export type MockReply =
  | {
      readonly kind: 'answer';
      readonly text?: string;
      readonly toolCalls?: readonly MockToolCall[];
      /** Ends as if max_tokens was hit. */
      readonly truncated?: boolean;
      readonly usage?: MockUsage;
    }
  /** An HTTP error in the provider's own error shape. */
  | { readonly kind: 'error'; readonly status: number; readonly message: string; readonly retryAfter?: string }
  /** A 200 event stream whose first event is an in-band error (Anthropic's overloaded_error, for one). */
  | { readonly kind: 'stream-error'; readonly message: string };

export const DEFAULT_USAGE: MockUsage = { input: 11, output: 7 };

/** The text a reply ends with once the request's stop sequences are applied, and which one matched. */
export function applyStop(text: string, stops: readonly string[]): { text: string; matched: string | undefined } {
  let cut = -1;
  let matched: string | undefined;
  for (const stop of stops) {
    const at = text.indexOf(stop);
    if (at >= 0 && (cut < 0 || at < cut)) {
      cut = at;
      matched = stop;
    }
  }
  return cut < 0 ? { text, matched: undefined } : { text: text.slice(0, cut), matched };
}

/** Splits text into the pieces a provider would stream (words with their trailing space). */
export const streamPieces = (text: string): string[] => text.split(/(?<= )/).filter((p) => p.length > 0);

/** Splits a tool call's JSON arguments into a few fragments, as providers stream them. */
export function jsonFragments(json: string): string[] {
  const size = Math.max(1, Math.ceil(json.length / 3));
  const out: string[] = [];
  for (let i = 0; i < json.length; i += size) out.push(json.slice(i, i + size));
  return out;
}

/** A rendered reply: a JSON response, or the frames of a 200 event stream. */
export type RenderedReply =
  | { readonly kind: 'json'; readonly status: number; readonly body: unknown; readonly headers?: Readonly<Record<string, string>> }
  | { readonly kind: 'sse'; readonly frames: readonly string[] };

export type JsonReply = Extract<RenderedReply, { kind: 'json' }>;

/** Sequential ids per mock, so a test can tell calls apart. */
export type IdSource = (prefix: string) => string;

export const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
