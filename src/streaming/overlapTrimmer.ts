// Drops what a continuation repeats at its start: the whole streamed text
// (servers that echo the prefill) or the whitespace held back from the
// prefill. Text is held only while it could still be such a repeat.

export class OverlapTrimmer {
  private buffer = '';
  private decided = false;
  /** Longest first, so an echo of everything wins over the whitespace alone. */
  private readonly repeats: readonly string[];

  constructor(streamed: string, heldBack: string) {
    this.repeats = [streamed, heldBack].filter((r) => r !== '').sort((a, b) => b.length - a.length);
    if (this.repeats.length === 0) this.decided = true;
  }

  /** Continuation text in; the part to send now out. */
  push(text: string): string {
    if (this.decided) return text;
    this.buffer += text;
    for (const r of this.repeats) {
      if (this.buffer.startsWith(r)) return this.decide(this.buffer.slice(r.length));
    }
    if (this.repeats.some((r) => r.startsWith(this.buffer))) return '';
    return this.decide(this.buffer);
  }

  /** The continuation's text ended (or something else came): whatever is held goes out. */
  flush(): string {
    if (this.decided) return '';
    // Only whitespace can be a partial repeat worth dropping; anything else is real text.
    return this.decide(this.buffer.trim() === '' ? '' : this.buffer);
  }

  private decide(out: string): string {
    this.decided = true;
    this.buffer = '';
    return out;
  }
}
