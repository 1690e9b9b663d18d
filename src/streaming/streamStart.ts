// The start of a streamed answer, up to the commit point. Nothing reaches the
// client here, so an empty stream, a cut, an in-band error, a first token that
// never comes or (when buffering) any failure before the end still fails over.
//
// stream_commit decides where the commit point is:
// - immediate: at the first content-bearing event (role-only deltas, message_start
//   and pings are held back with it);
// - {buffer_ms}: buffer_ms after the first content-bearing event, or the end;
// - buffered: only once the upstream completed its answer.
import type { Readable } from 'node:stream';
import type { WireFormat } from '../dialects/wireFormat.js';
import type { StreamCommit, ModelProvider } from '../config/types.js';
import { classifyEvent, isContentEvent, type SseEvent } from '../dialects/index.js';
import { BODY_CUT, type AttemptOutcome } from '../failover/outcome.js';
import type { AttemptLimits } from '../failover/attemptLimits.js';
import type { LiveStream, StreamPhase } from './liveStream.js';
import { StreamCompletion } from './streamCompletion.js';
import { UpstreamEventReader } from './upstreamReader.js';

export type StreamStart =
  | {
      readonly ok: true;
      readonly stream: LiveStream;
      /** performance.now() of the first whole event (the first content-bearing one is the stream's firstContentAt). */
      readonly firstEventAt: number;
    }
  | { readonly ok: false; readonly outcome: AttemptOutcome };

export interface StreamContext {
  readonly target: ModelProvider;
  /** What the upstream speaks in this exchange (a Responses exchange with a native entry is `responses`). */
  readonly format: WireFormat;
  /** The first-token and idle limits (the failover session settled them). */
  readonly guards: Pick<AttemptLimits, 'firstTokenMs' | 'idleMs'>;
  readonly commit: StreamCommit;
  /** performance.now() when the request was sent: the first-token clock starts there. */
  readonly sentAt: number;
  /** Aborts on client disconnect, the request deadline and the first-byte limit. */
  readonly signal: Pick<AbortSignal, 'aborted'>;
  /** Called once, when the first whole event arrives (it ends the first-byte limit). */
  readonly onFirstEvent?: () => void;
  /** Called once, at the first content-bearing event (a race decides its winner there). */
  readonly onFirstToken?: (() => void) | undefined;
  /** Bytes held before the commit point at most; past them the answer commits. */
  readonly maxHeldBytes: number;
}

/** `body` is the decoded upstream body; `raw` the socket-side stream under it, closed with it. */
export async function startStream(status: number, body: Readable, raw: Readable, ctx: StreamContext): Promise<StreamStart> {
  const format = ctx.format;
  const reader = new UpstreamEventReader(body, ctx.signal, raw);
  const head: Buffer[] = [];
  const headEvents: SseEvent[] = [];
  let size = 0;
  let phase: StreamPhase = 'awaiting-first-token';
  let commitAt = Number.POSITIVE_INFINITY;
  let firstContentAt: number | undefined;
  let lastEventAt = performance.now();
  let firstEventAt = 0;
  const completion = new StreamCompletion(format);
  const fail = (outcome: AttemptOutcome): StreamStart => {
    reader.close();
    return { ok: false, outcome };
  };
  const truncated = (): StreamStart =>
    fail({ kind: 'invalid-response', reason: 'truncated', status, body: Buffer.concat(head).toString('utf8') });

  while (phase !== 'committed') {
    const deadline = phase === 'awaiting-first-token' ? ctx.sentAt + ctx.guards.firstTokenMs : Math.min(lastEventAt + ctx.guards.idleMs, commitAt);
    const r = await reader.next(deadline);
    switch (r.kind) {
      case 'timer':
        if (phase === 'streaming' && performance.now() >= commitAt) {
          phase = 'committed';
          continue;
        }
        return phase === 'awaiting-first-token'
          ? fail({ kind: 'timeout', phase: 'first-token', afterMs: ctx.guards.firstTokenMs })
          : fail({ kind: 'timeout', phase: 'idle', afterMs: ctx.guards.idleMs });
      case 'aborted':
        return fail({ kind: 'timeout', phase: phase === 'awaiting-first-token' ? 'first-token' : 'idle', afterMs: Math.round(performance.now() - ctx.sentAt) });
      case 'cut':
        return fail(BODY_CUT);
      case 'chunk':
      case 'end': {
        lastEventAt = performance.now();
        if (headEvents.length === 0) {
          firstEventAt = lastEventAt;
          ctx.onFirstEvent?.();
        }
        for (const ev of r.events) {
          const cls = classifyEvent(ev, format);
          if (cls === 'error') return fail({ kind: 'invalid-response', reason: 'error-body', status, body: ev.data });
          completion.see(cls);
          if (phase === 'awaiting-first-token' && isContentEvent(ev, format)) {
            phase = 'streaming';
            firstContentAt = lastEventAt;
            ctx.onFirstToken?.();
            if (ctx.commit.mode === 'window') commitAt = lastEventAt + ctx.commit.bufferMs;
          }
        }
        if (r.bytes.length > 0) head.push(r.bytes);
        headEvents.push(...r.events);
        size += r.bytes.length;
        if (r.kind === 'end') {
          completion.end();
          if (!completion.completed()) return truncated();
        }
        const due =
          completion.completed() ||
          r.kind === 'end' ||
          (phase === 'streaming' && ctx.commit.mode === 'immediate') ||
          (phase === 'streaming' && lastEventAt >= commitAt) ||
          size > ctx.maxHeldBytes;
        if (due) phase = 'committed';
      }
    }
  }
  return { ok: true, stream: { target: ctx.target, format, reader, head, headEvents, idleMs: ctx.guards.idleMs, firstContentAt }, firstEventAt };
}
