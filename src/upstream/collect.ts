// A whole (non-streaming) upstream answer, read through undici's dispatch API.
// Non-streaming calls are the bulk of a gateway's traffic; skipping the
// Readable body and the async-resource bookkeeping of `request()` roughly
// halves undici's cost per call. Bodies past `limit` switch to a live stream.
import type { IncomingHttpHeaders } from 'node:http';
import { PassThrough, type Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import type { AttemptControl } from './attemptControl.js';
import type { UpstreamPools } from './pools.js';
import { dispatchBody, transportFailure, type SendOptions, type UpstreamFailure } from './send.js';

export type CollectedReply =
  | {
      readonly ok: true;
      readonly status: number;
      readonly headers: IncomingHttpHeaders;
      readonly ttfbMs: number;
      /** whole: the entire (still encoded) body; broken: what arrived before the body failed. */
      readonly kind: 'whole' | 'broken';
      readonly body: Buffer;
    }
  | {
      readonly ok: true;
      readonly status: number;
      readonly headers: IncomingHttpHeaders;
      readonly ttfbMs: number;
      readonly kind: 'large';
      /** The (still encoded) body from its first byte on, with backpressure towards the upstream. */
      readonly stream: Readable;
    }
  | { readonly ok: false; readonly failure: UpstreamFailure };

type Resolve = (reply: CollectedReply) => void;

export type CollectOptions = Omit<SendOptions, 'signal'>;

class CollectingHandler implements Dispatcher.DispatchHandler {
  private status = 0;
  private headers: IncomingHttpHeaders = {};
  private ttfbMs = 0;
  private chunks: Buffer[] = [];
  private size = 0;
  private large: PassThrough | undefined;
  private settled = false;

  constructor(
    private readonly opts: CollectOptions,
    private readonly control: AttemptControl,
    private readonly limit: number,
    private readonly started: number,
    private readonly resolve: Resolve,
  ) {}

  private settle(reply: CollectedReply): void {
    if (this.settled) return;
    this.settled = true;
    this.resolve(reply);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    const abort = (): void => { controller.abort(new Error('attempt aborted')); };
    if (this.control.aborted) abort();
    else this.control.onAbort(abort);
  }

  onResponseStart(_c: Dispatcher.DispatchController, status: number, headers: IncomingHttpHeaders): void {
    this.status = status;
    this.headers = headers;
    this.ttfbMs = performance.now() - this.started;
    // Headers arrived: the first-byte limit is met; the request deadline still applies.
    this.control.reachedFirstByte();
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    const large = this.large;
    if (large) {
      if (!large.write(chunk)) controller.pause();
      return;
    }
    this.chunks.push(chunk);
    this.size += chunk.length;
    if (this.size > this.limit) this.switchToStream(controller);
  }

  private switchToStream(controller: Dispatcher.DispatchController): void {
    const large = new PassThrough();
    this.large = large;
    large.on('drain', () => { controller.resume(); });
    for (const c of this.chunks) large.write(c);
    this.chunks = [];
    this.settle({ ok: true, status: this.status, headers: this.headers, ttfbMs: this.ttfbMs, kind: 'large', stream: large });
  }

  onResponseEnd(): void {
    if (this.large) {
      this.large.end();
      return;
    }
    const body = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks, this.size);
    this.settle({ ok: true, status: this.status, headers: this.headers, ttfbMs: this.ttfbMs, kind: 'whole', body });
  }

  onResponseError(_c: Dispatcher.DispatchController, err: Error): void {
    if (this.large) {
      this.large.destroy(err);
      return;
    }
    if (this.status !== 0 && !this.control.aborted) {
      const body = Buffer.concat(this.chunks, this.size);
      this.settle({ ok: true, status: this.status, headers: this.headers, ttfbMs: this.ttfbMs, kind: 'broken', body });
      return;
    }
    this.settle({ ok: false, failure: transportFailure(err, this.control.aborted, this.opts.target) });
  }
}

/** Sends one request and reads its whole answer (up to `limit` bytes before switching to a stream). */
export function collectUpstream(pools: UpstreamPools, opts: CollectOptions, control: AttemptControl, limit: number): Promise<CollectedReply> {
  const { target } = opts;
  const pool = pools.get(target.endpoint.origin, target.timeouts.connectMs);
  return new Promise((resolve) => {
    const handler = new CollectingHandler(opts, control, limit, performance.now(), resolve);
    pool.dispatch(
      { origin: target.endpoint.origin, path: opts.path, method: 'POST', headers: opts.headers, body: dispatchBody(opts.body), headersTimeout: 0, bodyTimeout: 0 },
      handler,
    );
  });
}
