// A local OTLP trace receiver, as a collector would be: OTLP/HTTP on
// POST /v1/traces (protobuf or JSON, gzip or not) and OTLP/gRPC on an HTTP/2
// cleartext port. It decodes every export and keeps the spans.
import { createServer, type Server } from 'node:http';
import { createServer as createH2Server, constants as h2, type Http2Server } from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { decodeJsonTraces, decodeProtobufTraces, type DecodedSpan } from './otlpDecode.js';

export interface OtlpReceiver {
  /** http://127.0.0.1:port, for OTEL_EXPORTER_OTLP_ENDPOINT. */
  readonly httpUrl: string;
  /** http://127.0.0.1:port of the gRPC listener, for opentracing_grpc_endpoint. */
  readonly grpcUrl: string;
  readonly spans: DecodedSpan[];
  /** How each export arrived: 'http/protobuf', 'http/json' or 'grpc'. */
  readonly exports: string[];
  /** Every raw export body, decompressed, for scans. */
  readonly raw: Buffer[];
  /** Resolves once `predicate` holds for the spans received, or rejects after `timeoutMs`. */
  waitFor(predicate: (spans: readonly DecodedSpan[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const GRPC_EXPORT = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => { resolve(Buffer.concat(chunks)); });
    stream.on('error', reject);
  });
}

/** gRPC length-prefixed messages: a compressed flag byte, a 4-byte length, the message. */
function grpcMessages(body: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i + 5 <= body.length; ) {
    const compressed = body[i] === 1;
    const len = body.readUInt32BE(i + 1);
    const msg = body.subarray(i + 5, i + 5 + len);
    out.push(compressed ? gunzipSync(msg) : msg);
    i += 5 + len;
  }
  return out;
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: DecodedSpan[] = [];
  const exports: string[] = [];
  const raw: Buffer[] = [];
  const waiters = new Set<() => void>();
  const received = (found: DecodedSpan[], how: string, body: Buffer): void => {
    spans.push(...found);
    exports.push(how);
    raw.push(body);
    for (const w of waiters) w();
  };

  const http: Server = createServer((req, res) => {
    void readAll(req).then((body) => {
      if (req.method !== 'POST' || req.url !== '/v1/traces') {
        res.writeHead(404).end();
        return;
      }
      const plain = req.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body;
      if (String(req.headers['content-type']).startsWith('application/json')) {
        received(decodeJsonTraces(plain.toString('utf8')), 'http/json', plain);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } else {
        received(decodeProtobufTraces(plain), 'http/protobuf', plain);
        res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      }
    });
  });
  const sockets = new Set<Socket>();
  http.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });

  const grpc: Http2Server = createH2Server();
  grpc.on('stream', (stream, headers) => {
    void readAll(stream).then((body) => {
      if (headers[h2.HTTP2_HEADER_PATH] !== GRPC_EXPORT) {
        stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '12' }, { endStream: true });
        return;
      }
      for (const msg of grpcMessages(body)) received(decodeProtobufTraces(msg), 'grpc', msg);
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => { stream.sendTrailers({ 'grpc-status': '0' }); });
      // An empty ExportTraceServiceResponse.
      stream.end(Buffer.from([0, 0, 0, 0, 0]));
    });
  });
  const h2Sessions = new Set<import('node:http2').ServerHttp2Session>();
  grpc.on('session', (s) => {
    h2Sessions.add(s);
    s.once('close', () => h2Sessions.delete(s));
  });

  const listen = (server: Server | Http2Server): Promise<number> =>
    new Promise((resolve) => server.listen(0, '127.0.0.1', () => { resolve((server.address() as AddressInfo).port); }));
  const httpPort = await listen(http);
  const grpcPort = await listen(grpc);

  return {
    httpUrl: `http://127.0.0.1:${httpPort}`,
    grpcUrl: `http://127.0.0.1:${grpcPort}`,
    spans,
    exports,
    raw,
    waitFor: (predicate, timeoutMs = 15_000) =>
      new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (!predicate(spans)) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`spans did not arrive within ${timeoutMs} ms (have ${spans.length})`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    close: async () => {
      for (const s of sockets) s.destroy();
      for (const s of h2Sessions) s.destroy();
      await Promise.all([new Promise<void>((r) => http.close(() => { r(); })), new Promise<void>((r) => grpc.close(() => { r(); }))]);
    },
  };
}
