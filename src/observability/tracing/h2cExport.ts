// OTLP/gRPC's one call, TraceService/Export, over cleartext HTTP/2 with
// node:http2: the export delegate's transport when the collector is plaintext
// (a sidecar or a local agent, the usual case). grpc-js, the SDK's transport,
// builds a channel call, interceptors, a retrying call and a captured stack for
// every export: sampled in a gateway under load with every request traced, its
// export path cost about 12 µs of CPU per request, this one about 6
// (docs/operations.md, "How spans are made"). A TLS channel, gzip or a unix
// socket stays with grpc-js: otel.ts decides which.
//
// What it keeps of grpc-js's behaviour: the metadata (OTEL_EXPORTER_OTLP_*HEADERS)
// as headers, grpc-timeout from the export timeout, one connection reused, a
// status other than OK as a failure carrying its code, and no retry (the SDK's
// gRPC transport does not retry either).
import { connect, constants, type ClientHttp2Session, type ClientHttp2Stream, type IncomingHttpHeaders, type IncomingHttpStatusHeader, type OutgoingHttpHeaders } from 'node:http2';
import type { ExportResponse, IExporterTransport } from '@opentelemetry/otlp-exporter-base';
/* eslint-disable @typescript-eslint/no-deprecated -- its result is the only public type of the resolved gRPC settings (see otel.ts) */
import type { convertLegacyOtlpGrpcOptions } from '@opentelemetry/otlp-grpc-exporter-base';

/** The gRPC exporter's settings as the SDK resolves them from the URL and OTEL_EXPORTER_OTLP_*. */
type GrpcOptions = ReturnType<typeof convertLegacyOtlpGrpcOptions>;
/* eslint-enable @typescript-eslint/no-deprecated */

/** gRPC status codes this transport names itself. */
const DEADLINE_EXCEEDED = 4;
const UNAVAILABLE = 14;
const INTERNAL = 13;
const UNKNOWN = 2;

/** The names of gRPC's status codes, for messages. */
const STATUS_NAMES = ['OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS', 'PERMISSION_DENIED', 'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE', 'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED'];

/** A failed call, shaped like grpc-js's ServiceError where the exporter's metrics read it (`code`). */
export class GrpcCallError extends Error {
  constructor(
    readonly code: number,
    readonly details: string,
  ) {
    super(`${code} ${STATUS_NAMES[code] ?? 'UNKNOWN'}: ${details}`);
    this.name = 'GrpcCallError';
  }
}

export interface H2cCall {
  /** Where the collector listens: http://host:port. */
  readonly origin: string;
  /** The method's path, /package.Service/Method. */
  readonly path: string;
  /** Metadata and user agent, sent with every call; the transport adds gRPC's own headers. */
  readonly headers: OutgoingHttpHeaders;
}

/**
 * The call for a plaintext, uncompressed collector at a host and port; undefined
 * when the channel is TLS, gzip or a unix socket, which grpc-js keeps.
 */
export function h2cCallFor(options: GrpcOptions, path: string, userAgent: string): H2cCall | undefined {
  if (options.compression === 'gzip' || options.url.startsWith('unix:') || options.credentials()._isSecure()) return undefined;
  return { origin: `http://${options.url}`, path, headers: { ...options.metadata().toHttp2Headers(), 'user-agent': userAgent } };
}

/** The length prefix of one uncompressed gRPC message. */
function messagePrefix(length: number): Buffer {
  const prefix = Buffer.alloc(5);
  prefix.writeUInt32BE(length, 1);
  return prefix;
}

/** grpc-timeout: at most eight digits, in milliseconds while they fit. */
function grpcTimeout(ms: number): string {
  const whole = Math.max(1, Math.ceil(ms));
  return whole < 1e8 ? `${whole}m` : `${Math.ceil(whole / 1000)}S`;
}

function statusOf(headers: IncomingHttpHeaders): number | undefined {
  const raw = headers['grpc-status'];
  if (typeof raw !== 'string') return undefined;
  const code = Number(raw);
  return Number.isInteger(code) ? code : UNKNOWN;
}

function messageOf(headers: IncomingHttpHeaders | undefined): string {
  const raw = headers?.['grpc-message'];
  if (typeof raw !== 'string' || raw === '') return 'no message';
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** The first message of a gRPC response body, without its prefix; empty when there is none. */
function firstMessage(body: Buffer): Uint8Array {
  if (body.length < 5) return new Uint8Array(0);
  return body.subarray(5, 5 + body.readUInt32BE(1));
}

export class H2cExportTransport implements IExporterTransport {
  private session: ClientHttp2Session | undefined;
  /** Calls in flight: the session holds the process open only while there are some. */
  private active = 0;
  private closed = false;

  constructor(private readonly call: H2cCall) {}

  send(data: Uint8Array, timeoutMillis: number): Promise<ExportResponse> {
    if (this.closed) return Promise.resolve({ status: 'failure', error: new GrpcCallError(UNAVAILABLE, 'the exporter is shut down') });
    return new Promise((resolve) => {
      const session = this.connected();
      let stream: ClientHttp2Stream;
      try {
        stream = session.request({
          ...this.call.headers,
          ':method': 'POST',
          ':path': this.call.path,
          'content-type': 'application/grpc',
          te: 'trailers',
          'grpc-accept-encoding': 'identity',
          'grpc-timeout': grpcTimeout(timeoutMillis),
        });
      } catch (err) {
        this.drop(session, true);
        resolve({ status: 'failure', error: new GrpcCallError(UNAVAILABLE, (err as Error).message) });
        return;
      }
      if (this.active++ === 0) session.ref();
      let settled = false;
      const finish = (response: ExportResponse): void => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        if (--this.active === 0) session.unref();
        resolve(response);
      };
      const deadline = setTimeout(() => {
        // A collector that does not answer in time: the connection may be dead, so the next export makes a new one.
        finish({ status: 'failure', error: new GrpcCallError(DEADLINE_EXCEEDED, `no answer within ${timeoutMillis} ms`) });
        stream.close(constants.NGHTTP2_CANCEL);
        this.drop(session, true);
      }, timeoutMillis);

      let head: (IncomingHttpHeaders & IncomingHttpStatusHeader) | undefined;
      let trailers: IncomingHttpHeaders | undefined;
      const chunks: Buffer[] = [];
      stream.on('response', (h) => { head = h; });
      stream.on('trailers', (t: IncomingHttpHeaders) => { trailers = t; });
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', (err: Error) => { finish({ status: 'failure', error: new GrpcCallError(UNAVAILABLE, err.message) }); });
      stream.on('close', () => {
        const httpStatus = head?.[':status'];
        if (head === undefined) {
          finish({ status: 'failure', error: new GrpcCallError(UNAVAILABLE, `the stream closed without an answer (HTTP/2 code ${stream.rstCode})`) });
        } else if (httpStatus !== 200) {
          finish({ status: 'failure', error: new GrpcCallError(httpStatus === 503 ? UNAVAILABLE : UNKNOWN, httpStatus === undefined ? 'no HTTP status' : `HTTP status ${httpStatus}`) });
        } else {
          // A trailers-only answer carries its status in the headers.
          const where = trailers ?? head;
          const code = statusOf(where);
          if (code === 0) finish({ status: 'success', data: firstMessage(Buffer.concat(chunks)) });
          else finish({ status: 'failure', error: code === undefined ? new GrpcCallError(INTERNAL, 'the answer had no grpc-status') : new GrpcCallError(code, messageOf(where)) });
        }
      });
      stream.write(messagePrefix(data.length));
      stream.end(data);
    });
  }

  shutdown(): void {
    this.closed = true;
    this.session?.close();
    this.session = undefined;
  }

  private connected(): ClientHttp2Session {
    const existing = this.session;
    if (existing !== undefined && !existing.closed && !existing.destroyed) return existing;
    const session = connect(this.call.origin);
    // A connection error fails the calls on it (their streams report it); the next export reconnects.
    // After a GOAWAY the call in flight may still finish: the session closes once it has.
    session.on('error', () => { this.drop(session, true); });
    session.on('goaway', () => { this.drop(session, false); });
    session.on('close', () => { this.drop(session, false); });
    session.unref();
    this.session = session;
    return session;
  }

  /** No new call goes on `session`; `now` ends the calls on it too. */
  private drop(session: ClientHttp2Session, now: boolean): void {
    if (this.session === session) this.session = undefined;
    if (now) session.destroy();
    else session.close();
  }
}
