// Turns upstream events into what the client receives: the raw bytes when the
// formats match, a translation when they differ, and either one spliced when
// it continues a stream the client already has. Each emitter stops at the
// upstream's first in-band error: what comes before it is emitted, the error
// is reported, and nothing from it on reaches the client.
//
// The same-format relay without a splice is the hot path: it relays the bytes
// and classifies by the reader's cheap path, which parses only an event that
// could be an error or a finish (about one per stream). Every other path
// reads each upstream event once, into the objects translation and splicing
// work on, and writes each client event once.
import { anthropicOutput, openAIOutput, type BuiltOutput, type ClientOutput } from './clientOutput.js';
import {
  classifyAnthropicEvent,
  classifyEvent,
  classifyOpenAIEvent,
  createStreamTranslator,
  formatSse,
  readAnthropicEvent,
  readOpenAIEvent,
  type AnthropicEvent,
  type EventClass,
  type OpenAIEvent,
  type SseEvent,
  type StreamTranslatorOptions,
  type WireFormat,
} from '../dialects/index.js';
import type { EntryFormat } from '../dialects/wireFormat.js';
import type { SpliceRewriter } from './spliceRewriter.js';
import { StreamCompletion } from './streamCompletion.js';

export interface Emission {
  /** What the client gets: every event, or those before the in-band error. */
  readonly out: ClientOutput | undefined;
  /** The upstream's in-band error event, if one came: the stream broke there. */
  readonly error: SseEvent | undefined;
}

export interface ClientEmitter {
  /** Output for these whole upstream events; `bytes` are their raw form, when they may be sent as they are. */
  emit(bytes: Buffer | undefined, events: readonly SseEvent[]): Emission;
  /** The upstream ended cleanly: what closes the client stream, if the upstream completed. */
  end(): ClientOutput | undefined;
  /** The client stream has been closed properly. */
  completed(): boolean;
}

const verbatim = (events: readonly SseEvent[]): string => {
  let out = '';
  for (const ev of events) out += formatSse(ev.event, ev.data);
  return out;
};

class PassthroughEmitter implements ClientEmitter {
  private readonly completion: StreamCompletion;

  constructor(private readonly format: WireFormat) {
    this.completion = new StreamCompletion(format);
  }

  emit(bytes: Buffer | undefined, events: readonly SseEvent[]): Emission {
    let before = 0;
    for (const ev of events) {
      const cls = classifyEvent(ev, this.format);
      if (cls === 'error') return { out: verbatim(events.slice(0, before)), error: ev };
      this.completion.see(cls);
      before++;
    }
    return { out: bytes ?? verbatim(events), error: undefined };
  }

  end(): undefined {
    this.completion.end();
    return undefined;
  }

  completed(): boolean {
    return this.completion.completed();
  }
}

/** An upstream dialect's typed read, as the typed emitter needs it. */
export interface UpstreamReading<In> {
  read(ev: SseEvent): In;
  classify(e: In): EventClass;
}

export const OPENAI_UPSTREAM: UpstreamReading<OpenAIEvent> = { read: readOpenAIEvent, classify: classifyOpenAIEvent };
export const ANTHROPIC_UPSTREAM: UpstreamReading<AnthropicEvent> = { read: readAnthropicEvent, classify: classifyAnthropicEvent };

/** Upstream events (read) in, client events out: a translator, or the events themselves. */
export interface Conversion<In, Out> {
  push(e: In): Out[];
  end(): Out[];
  completed(): boolean;
}

export class SameFormat<E> implements Conversion<E, E> {
  private readonly completion: StreamCompletion;

  constructor(
    format: WireFormat,
    private readonly classify: (e: E) => EventClass,
  ) {
    this.completion = new StreamCompletion(format);
  }

  push(e: E): E[] {
    this.completion.see(this.classify(e));
    return [e];
  }

  end(): E[] {
    this.completion.end();
    return [];
  }

  completed(): boolean {
    return this.completion.completed();
  }
}

export class TypedEmitter<In, Out> implements ClientEmitter {
  constructor(
    private readonly upstream: UpstreamReading<In>,
    private readonly conversion: Conversion<In, Out>,
    private readonly splice: ((e: Out) => Out[]) | undefined,
    /** Writes the client events, each once. */
    private readonly output: (events: readonly Out[]) => BuiltOutput,
  ) {}

  emit(_bytes: Buffer | undefined, events: readonly SseEvent[]): Emission {
    const out: Out[] = [];
    for (const ev of events) {
      const e = this.upstream.read(ev);
      if (this.upstream.classify(e) === 'error') return { out: this.built(out), error: ev };
      this.collect(out, this.conversion.push(e));
    }
    return { out: this.built(out), error: undefined };
  }

  end(): BuiltOutput | undefined {
    const out: Out[] = [];
    this.collect(out, this.conversion.end());
    return this.built(out);
  }

  completed(): boolean {
    return this.conversion.completed();
  }

  private collect(into: Out[], events: readonly Out[]): void {
    for (const e of events) {
      if (this.splice === undefined) into.push(e);
      else into.push(...this.splice(e));
    }
  }

  private built(events: readonly Out[]): BuiltOutput | undefined {
    return events.length === 0 ? undefined : this.output(events);
  }
}

/** For Chat Completions and Messages clients; a Responses client's emitter is in responsesEmitter.ts. */
export function createClientEmitter(format: EntryFormat, client: EntryFormat, translation: StreamTranslatorOptions, splice?: SpliceRewriter): ClientEmitter {
  const relay = createStreamTranslator(format, client, translation);
  const spliceOpenAI = splice && ((e: OpenAIEvent) => splice.openAI(e));
  const spliceAnthropic = splice && ((e: AnthropicEvent) => splice.anthropic(e));
  if (relay.mode === 'translate') {
    return relay.to === 'openai'
      ? new TypedEmitter(ANTHROPIC_UPSTREAM, relay.translator, spliceOpenAI, openAIOutput)
      : new TypedEmitter(OPENAI_UPSTREAM, relay.translator, spliceAnthropic, anthropicOutput);
  }
  if (splice === undefined) return new PassthroughEmitter(format);
  return client === 'openai'
    ? new TypedEmitter(OPENAI_UPSTREAM, new SameFormat('openai', classifyOpenAIEvent), spliceOpenAI, openAIOutput)
    : new TypedEmitter(ANTHROPIC_UPSTREAM, new SameFormat('anthropic', classifyAnthropicEvent), spliceAnthropic, anthropicOutput);
}
