// What a Responses client receives, whatever the upstream spoke:
// - a native Responses stream is relayed event by event, made the gateway's
//   (its id, and sequence numbers from the client stream's view);
// - a Chat Completions stream is sequenced into Responses events;
// - a Messages stream is first turned into Chat Completions chunks by the
//   existing sequencer, then sequenced the same way (the pivot of fromResponses.ts).
// A continuation is spliced at the Chat Completions level (SpliceRewriter in
// its OpenAI mode), before sequencing, so the one view of the client stream
// carries on the same message, output indices and sequence numbers.
import {
  classifyOpenAIEvent,
  classifyResponsesEvent,
  createStreamTranslator,
  NativeResponsesRelay,
  readResponsesEvent,
  ResponsesStreamSequencer,
  type OpenAIEvent,
  type ResponsesEvent,
  type ResponsesStreamView,
  type ToolNames,
  type WireFormat,
} from '../dialects/index.js';
import { ANTHROPIC_UPSTREAM, OPENAI_UPSTREAM, SameFormat, TypedEmitter, type ClientEmitter, type Conversion, type UpstreamReading } from './clientEmitter.js';
import { responsesOutput, type BuiltOutput } from './clientOutput.js';
import type { SpliceRewriter } from './spliceRewriter.js';

/** One Responses client stream: the view every segment of it writes through, and its tools' names. */
export interface ResponsesClientStream {
  readonly view: ResponsesStreamView;
  readonly names: ToolNames;
}

const RESPONSES_UPSTREAM: UpstreamReading<ResponsesEvent> = { read: readResponsesEvent, classify: classifyResponsesEvent };

class NativeConversion implements Conversion<ResponsesEvent, ResponsesEvent> {
  private readonly relay: NativeResponsesRelay;

  constructor(private readonly view: ResponsesStreamView) {
    this.relay = new NativeResponsesRelay(view);
  }

  push(e: ResponsesEvent): ResponsesEvent[] {
    return this.relay.push(e);
  }

  end(): ResponsesEvent[] {
    return [];
  }

  completed(): boolean {
    return this.view.finalResponse() !== undefined;
  }
}

/** Upstream events → Chat Completions events → (splice) → Responses events. */
class ViaChat<In> implements Conversion<In, ResponsesEvent> {
  private readonly sequencer: ResponsesStreamSequencer;

  constructor(
    private readonly chat: Conversion<In, OpenAIEvent>,
    private readonly splice: SpliceRewriter | undefined,
    client: ResponsesClientStream,
  ) {
    this.sequencer = new ResponsesStreamSequencer(client.view, client.names);
  }

  push(e: In): ResponsesEvent[] {
    return this.forward(this.chat.push(e));
  }

  end(): ResponsesEvent[] {
    const out = this.forward(this.chat.end());
    out.push(...this.sequencer.end());
    return out;
  }

  completed(): boolean {
    return this.sequencer.completed();
  }

  private forward(chat: readonly OpenAIEvent[]): ResponsesEvent[] {
    const out: ResponsesEvent[] = [];
    for (const c of chat) {
      for (const s of this.splice === undefined ? [c] : this.splice.openAI(c)) out.push(...this.sequencer.push(s));
    }
    return out;
  }
}

const output = (events: readonly ResponsesEvent[]): BuiltOutput => responsesOutput(events);

export function createResponsesEmitter(format: WireFormat, client: ResponsesClientStream, splice?: SpliceRewriter): ClientEmitter {
  switch (format) {
    case 'responses':
      // A continuation is never native (recovery.ts), so there is no splice here.
      return new TypedEmitter(RESPONSES_UPSTREAM, new NativeConversion(client.view), undefined, output);
    case 'openai':
      return new TypedEmitter(OPENAI_UPSTREAM, new ViaChat(new SameFormat('openai', classifyOpenAIEvent), splice, client), undefined, output);
    case 'anthropic': {
      const relay = createStreamTranslator('anthropic', 'openai', { includeUsage: true });
      if (relay.mode !== 'translate' || relay.to !== 'openai') throw new Error('no Messages → Chat Completions translator');
      return new TypedEmitter(ANTHROPIC_UPSTREAM, new ViaChat(relay.translator, splice, client), undefined, output);
    }
  }
}

/** The stream broke and cannot go on: response.failed, in place of any terminal event. */
export function responsesFailure(client: ResponsesClientStream, message: string, code: string): BuiltOutput {
  return responsesOutput(client.view.fail('server_error', `${code}: ${message}`));
}

/** The content was complete when the upstream broke: the terminal event it lacked. */
export function responsesCompletion(client: ResponsesClientStream): BuiltOutput {
  const view = client.view;
  return responsesOutput([...view.closeMessage('completed'), ...view.finish({ status: 'completed', incomplete_details: null })]);
}
