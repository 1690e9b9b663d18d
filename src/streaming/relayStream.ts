// Relays a committed SSE answer to the client, event by event with
// backpressure, and owns what happens when the upstream breaks from here on:
// continue on a fallback (StreamRecovery) or end with an in-band error. A
// broken stream never ends the way a complete one does.
import type { WireFormat } from '../dialects/wireFormat.js';
import type { ServerResponse } from 'node:http';
import type { SseEvent } from '../dialects/index.js';
import type { StreamBreak } from './breakage.js';
import { ClientLedger } from './clientLedger.js';
import { createClientEmitter, type ClientEmitter } from './clientEmitter.js';
import { outputBytes, type BuiltOutput, type ClientOutput } from './clientOutput.js';
import { createResponsesEmitter, responsesCompletion, responsesFailure, type ResponsesClientStream } from './responsesEmitter.js';
import type { EntryFormat } from '../dialects/wireFormat.js';
import { inBandError, terminalEvent } from './inBandError.js';
import type { LiveStream } from './liveStream.js';
import type { EventSink } from './upstreamReader.js';
import type { StreamRecovery } from './recovery.js';
import type { SpliceRewriter } from './spliceRewriter.js';
import type { UsageTap } from './usageTap.js';

interface RelayCommon {
  readonly includeUsage: boolean;
  /** Anthropic clients that asked to see thinking: reasoning becomes unsigned thinking blocks. */
  readonly thinkingBlocks?: boolean;
  /**
   * Anthropic clients of an OpenAI-format answer: the estimated prompt tokens
   * for message_start (the provider reports usage only at the end). Only the
   * first stream's message_start reaches the client, so a continuation needs none.
   */
  readonly inputTokens?: () => number;
  /** Undefined: a break ends with an in-band error at once. */
  readonly recovery: StreamRecovery | undefined;
  /** Reads usage and model from what is relayed (metrics and traces); absent: not read. */
  readonly usage?: UsageTap;
}

/** A Responses client's stream needs its view (numbering, items) from the first event to the last. */
export type RelayOptions =
  | (RelayCommon & { readonly client: EntryFormat })
  | (RelayCommon & { readonly client: 'responses'; readonly responses: ResponsesClientStream });

function emitterFor(opts: RelayOptions, format: WireFormat, splice: SpliceRewriter | undefined): ClientEmitter {
  if (opts.client === 'responses') return createResponsesEmitter(format, opts.responses, splice);
  if (format === 'responses') throw new Error('a Responses stream can only be relayed to a Responses client');
  const translation = { includeUsage: opts.includeUsage, thinkingBlocks: opts.thinkingBlocks, inputTokens: splice ? undefined : opts.inputTokens };
  return createClientEmitter(format, opts.client, translation, splice);
}

function failureFor(opts: RelayOptions, message: string, code: string): BuiltOutput {
  return opts.client === 'responses' ? responsesFailure(opts.responses, message, code) : inBandError(opts.client, message, code);
}

function completionFor(opts: RelayOptions): BuiltOutput {
  return opts.client === 'responses' ? responsesCompletion(opts.responses) : terminalEvent(opts.client);
}

export interface StreamRelayResult {
  /** The client received a complete answer (continued or not). */
  readonly completed: boolean;
  /** x-switchyard-recovery values, one per break; empty when nothing broke. */
  readonly notes: readonly string[];
}

type PumpEnd = { readonly kind: 'done' } | { readonly kind: 'client-gone' } | { readonly kind: 'deadline' } | { readonly kind: 'broken'; readonly cause: StreamBreak };

const drained = (res: ServerResponse): Promise<void> =>
  new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });

class ClientStream {
  readonly ledger: ClientLedger;
  constructor(
    readonly res: ServerResponse,
    dialect: WireFormat,
  ) {
    this.ledger = new ClientLedger(dialect);
  }

  /** Writes and records at once; false when the client has no room for more until 'drain'. */
  writeNow(out: ClientOutput | undefined): boolean {
    if (out === undefined || this.res.destroyed) return true;
    const bytes = outputBytes(out);
    if (bytes.length === 0) return true;
    this.ledger.record(out);
    return this.res.write(bytes);
  }

  /** Writes and records; resolves once the client can take more. */
  async write(out: ClientOutput | undefined): Promise<void> {
    if (!this.writeNow(out)) await drained(this.res);
  }

  /** A method, not a property read, because the client can leave while a read is awaited. */
  gone(): boolean {
    return this.res.destroyed;
  }
}

/** The break an upstream in-band error event makes, if one came. */
const errorBreak = (error: SseEvent | undefined): StreamBreak | undefined => (error === undefined ? undefined : { kind: 'error-event', data: error.data });

/** Emits whole events, stopping before an in-band error event. */
async function emitEvents(
  client: ClientStream,
  emitter: ClientEmitter,
  bytes: Buffer | undefined,
  events: readonly SseEvent[],
): Promise<StreamBreak | undefined> {
  const { out, error } = emitter.emit(bytes, events);
  await client.write(out);
  return errorBreak(error);
}

async function pump(client: ClientStream, stream: LiveStream, emitter: ClientEmitter): Promise<PumpEnd> {
  const { reader } = stream;
  const head = stream.head.length === 1 ? stream.head[0] : Buffer.concat(stream.head);
  // Set by the sink, which runs inside the reader's follow(): a break, or the wait for a client with no room.
  const seen: { broken: StreamBreak | undefined; room: Promise<void> | undefined } = {
    broken: await emitEvents(client, emitter, head, stream.headEvents),
    room: undefined,
  };
  // Each event is relayed as it arrives, synchronously; false stops following until the loop below has looked.
  const sink: EventSink = (bytes, events) => {
    const { out, error } = emitter.emit(bytes, events);
    // Listened for at the write: the socket may drain, and say so, before the loop below runs.
    if (!client.writeNow(out)) seen.room = drained(client.res);
    seen.broken = errorBreak(error);
    return seen.room === undefined && seen.broken === undefined && !emitter.completed() && !client.gone();
  };
  // Committed: from here on a break is continued or ends in-band; the loop ends when the stream is done.
  for (;;) {
    if (seen.room !== undefined) {
      await seen.room;
      seen.room = undefined;
    }
    if (seen.broken !== undefined || emitter.completed()) break;
    if (client.gone()) {
      reader.close();
      return { kind: 'client-gone' };
    }
    const r = await reader.follow(sink, stream.idleMs);
    switch (r.kind) {
      case 'stopped':
        break;
      case 'end':
        seen.broken = await emitEvents(client, emitter, r.bytes.length > 0 ? r.bytes : undefined, r.events);
        if (seen.broken !== undefined) break;
        await client.write(emitter.end());
        if (!emitter.completed()) seen.broken = { kind: 'truncated' };
        break;
      case 'cut':
        seen.broken = { kind: 'cut' };
        break;
      case 'timer':
        seen.broken = { kind: 'stalled', idleMs: stream.idleMs };
        break;
      case 'aborted':
        return client.gone() ? { kind: 'client-gone' } : { kind: 'deadline' };
    }
  }
  const broken = seen.broken;
  if (broken === undefined) reader.drain();
  else reader.close();
  return broken === undefined ? { kind: 'done' } : { kind: 'broken', cause: broken };
}

/** The emitter, with every relayed upstream event shown to the usage tap first. */
function tapped(emitter: ClientEmitter, tap: UsageTap | undefined, format: WireFormat): ClientEmitter {
  if (tap === undefined) return emitter;
  return {
    emit(bytes, events) {
      tap.observe(events, format);
      return emitter.emit(bytes, events);
    },
    end: () => emitter.end(),
    completed: () => emitter.completed(),
  };
}

/** Declared at commit (chunked responses only) so a recovery can still be reported at the end. */
export const RECOVERY_TRAILER = 'x-switchyard-recovery';

/** The commit point has passed: from here on only continuation or an in-band error. */
export async function relayLiveStream(res: ServerResponse, first: LiveStream, opts: RelayOptions): Promise<StreamRelayResult> {
  const client = new ClientStream(res, opts.client);
  let stream = first;
  let splice: SpliceRewriter | undefined;
  const notes = opts.recovery?.notes ?? [];
  const close = (): void => {
    if (notes.length > 0 && opts.recovery !== undefined && !res.destroyed) {
      res.addTrailers({ [RECOVERY_TRAILER]: `${notes.join(', ')}; attempts=${opts.recovery.attempts}` });
    }
    res.end();
  };
  for (;;) {
    const emitter = tapped(emitterFor(opts, stream.format, splice), opts.usage, stream.format);
    const end = await pump(client, stream, emitter);
    switch (end.kind) {
      case 'done':
        close();
        return { completed: true, notes };
      case 'client-gone':
        res.destroy();
        return { completed: false, notes };
      case 'deadline':
        await client.write(failureFor(opts, 'the request deadline passed while the answer was streaming', 'deadline'));
        close();
        return { completed: false, notes };
      case 'broken': {
        const summary = client.ledger.summary();
        const recovered = opts.recovery
          ? await opts.recovery.afterBreak(stream.target, end.cause, summary)
          : undefined;
        if (recovered?.kind === 'continued') {
          stream = recovered.stream;
          splice = recovered.splice;
          continue;
        }
        if (recovered?.kind === 'client-gone' || res.destroyed) {
          res.destroy();
          return { completed: false, notes };
        }
        if (recovered?.kind === 'complete') {
          await client.write(completionFor(opts));
          close();
          return { completed: true, notes };
        }
        if (summary?.errored !== true) {
          const message = recovered?.kind === 'end' ? recovered.message : `the upstream stream broke (${end.cause.kind})`;
          await client.write(failureFor(opts, message, recovered?.kind === 'end' ? recovered.code : end.cause.kind));
        }
        close();
        return { completed: false, notes };
      }
    }
  }
}
