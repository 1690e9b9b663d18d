// Turns upstream events into what the client receives: the raw bytes when the
// formats match, a translation when they differ, and either one spliced when
// it continues a stream the client already has.
import type { WireFormat } from '../dialects/wireFormat.js';
import { createStreamTranslator, formatSse, type SseEvent, type StreamTranslator } from '../dialects/index.js';
import { isFinishEvent, isTerminalEvent } from './eventKinds.js';
import type { SpliceRewriter } from './spliceRewriter.js';

export interface ClientEmitter {
  /** Output for these whole upstream events; `bytes` are their raw form, when they may be sent as they are. */
  emit(bytes: Buffer | undefined, events: readonly SseEvent[]): string | Buffer;
  /** The upstream ended cleanly: what closes the client stream, if the upstream completed. */
  end(): string;
  /** The client stream has been closed properly. */
  completed(): boolean;
}

class PassthroughEmitter implements ClientEmitter {
  private done = false;
  private finished = false;
  private ended = false;

  constructor(private readonly format: WireFormat) {}

  emit(bytes: Buffer | undefined, events: readonly SseEvent[]): string | Buffer {
    for (const ev of events) {
      if (isTerminalEvent(ev, this.format)) this.done = true;
      else if (!this.finished && isFinishEvent(ev, this.format)) this.finished = true;
    }
    if (bytes !== undefined) return bytes;
    let out = '';
    for (const ev of events) out += formatSse(ev.event, ev.data);
    return out;
  }

  end(): string {
    this.ended = true;
    return '';
  }

  completed(): boolean {
    // OpenAI-compatible servers may omit [DONE]: a finish_reason then a clean end is complete.
    return this.done || (this.format === 'openai' && this.finished && this.ended);
  }
}

class TranslatingEmitter implements ClientEmitter {
  constructor(private readonly translator: StreamTranslator) {}

  emit(_bytes: Buffer | undefined, events: readonly SseEvent[]): string {
    let out = '';
    for (const ev of events) out += this.translator.push(ev);
    return out;
  }

  end(): string {
    return this.translator.end();
  }

  completed(): boolean {
    return this.translator.completed();
  }
}

class SplicingEmitter implements ClientEmitter {
  constructor(
    private readonly inner: ClientEmitter,
    private readonly rewriter: SpliceRewriter,
  ) {}

  emit(bytes: Buffer | undefined, events: readonly SseEvent[]): string {
    return this.rewriter.rewrite(this.inner.emit(bytes, events));
  }

  end(): string {
    return this.rewriter.rewrite(this.inner.end());
  }

  completed(): boolean {
    return this.inner.completed();
  }
}

export function createClientEmitter(format: WireFormat, client: WireFormat, includeUsage: boolean, splice?: SpliceRewriter): ClientEmitter {
  const relay = createStreamTranslator(format, client, { includeUsage });
  const inner = relay.mode === 'passthrough' ? new PassthroughEmitter(format) : new TranslatingEmitter(relay.translator);
  return splice === undefined ? inner : new SplicingEmitter(inner, splice);
}
