// A local OTLP trace collector for the benchmark: it accepts exports over
// gRPC (HTTP/2 cleartext, as Plano's opentracing_grpc_endpoint sends them) and
// over HTTP (POST /v1/traces), answers at once, and only counts what it got.
// GET /__stats on the HTTP port says how many exports and bytes arrived, so the
// runner can show that the traced system really exported its spans.
import { createServer, type Server } from 'node:http';
import { createServer as createH2Server, type Http2Server } from 'node:http2';
import type { AddressInfo } from 'node:net';

export interface SinkStats {
  readonly exports: number;
  readonly bytes: number;
}

export interface OtlpSink {
  readonly httpPort: number;
  readonly grpcPort: number;
  stats(): SinkStats;
  close(): Promise<void>;
}

const SINK_STREAM_WINDOW = 4 * 1024 * 1024;
const SINK_CONNECTION_WINDOW = 16 * 1024 * 1024;

// An empty ExportTraceServiceResponse, framed as gRPC: no compression, length 0.
const GRPC_EMPTY = Buffer.from([0, 0, 0, 0, 0]);

export async function startOtlpSink(): Promise<OtlpSink> {
  let exports = 0;
  let bytes = 0;
  const http: Server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/__stats') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ exports, bytes }));
      return;
    }
    req.on('data', (c: Buffer) => { bytes += c.length; });
    req.on('end', () => {
      exports++;
      res.writeHead(200, { 'content-type': 'application/x-protobuf', 'content-length': 0 }).end();
    });
  });
  // The window a real collector gives: grpc-go (the OpenTelemetry Collector's
  // server) sizes it from the connection's bandwidth-delay product, up to
  // 16 MiB, where node:http2 keeps HTTP/2's 64 KiB. Through 64 KiB a 2 MiB
  // export cost the sending gateway 4.1 ms of CPU (about 32 window updates to
  // wait for); through these windows, 1.3 to 1.6 ms (bench/README.md, "Tracing's cost").
  const grpc: Http2Server = createH2Server({ settings: { initialWindowSize: SINK_STREAM_WINDOW } });
  grpc.on('session', (session) => { session.setLocalWindowSize(SINK_CONNECTION_WINDOW); });
  grpc.on('stream', (stream) => {
    stream.on('data', (c: Buffer) => { bytes += c.length; });
    stream.on('end', () => {
      exports++;
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => { stream.sendTrailers({ 'grpc-status': '0' }); });
      stream.end(GRPC_EMPTY);
    });
  });
  const listen = (server: Server | Http2Server): Promise<number> =>
    new Promise((resolve) => server.listen(0, '127.0.0.1', () => { resolve((server.address() as AddressInfo).port); }));
  const httpPort = await listen(http);
  const grpcPort = await listen(grpc);
  return {
    httpPort,
    grpcPort,
    stats: () => ({ exports, bytes }),
    close: async () => {
      http.closeAllConnections();
      await Promise.all([new Promise<void>((r) => http.close(() => { r(); })), new Promise<void>((r) => grpc.close(() => { r(); }))]);
    },
  };
}
