// The plaintext OTLP/gRPC transport against real HTTP/2 servers on loopback:
// what it sends (path, gRPC headers, metadata, the framed message), how it reads
// a status (trailers, trailers-only, HTTP errors), and how it recovers (a
// deadline, a refused connection, a GOAWAY). Also which channels it takes: a
// plaintext, uncompressed one; TLS, gzip and unix sockets stay with grpc-js.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Http2Server, type IncomingHttpHeaders, type ServerHttp2Session, type ServerHttp2Stream } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { convertLegacyOtlpGrpcOptions } from '@opentelemetry/otlp-grpc-exporter-base';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { GrpcCallError, H2cExportTransport, h2cCallFor } from '../../src/observability/tracing/h2cExport.js';

const PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

type Answer = (stream: ServerHttp2Stream, got: Received) => void;

/** A gRPC answer: one message, then trailers with `status`. */
function answer(status: number, message = Buffer.alloc(0), details?: string): Answer {
  return (stream) => {
    stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
    stream.on('wantTrailers', () => { stream.sendTrailers({ 'grpc-status': String(status), ...(details === undefined ? {} : { 'grpc-message': encodeURIComponent(details) }) }); });
    const framed = Buffer.alloc(5 + message.length);
    framed.writeUInt32BE(message.length, 1);
    message.copy(framed, 5);
    stream.end(framed);
  };
}

interface Collector {
  readonly server: Http2Server;
  readonly origin: string;
  readonly port: number;
  readonly received: Received[];
  sessions: number;
  next: Answer;
}

const open: Http2Server[] = [];
const serverSessions = new Set<ServerHttp2Session>();

async function collector(next: Answer = answer(0), port = 0): Promise<Collector> {
  const server = createServer();
  open.push(server);
  const c: Collector = { server, origin: '', port: 0, received: [], sessions: 0, next };
  server.on('session', (s) => {
    c.sessions++;
    serverSessions.add(s);
    s.on('error', () => undefined);
    s.once('close', () => serverSessions.delete(s));
  });
  server.on('stream', (stream, headers) => {
    const chunks: Buffer[] = [];
    stream.on('data', (d: Buffer) => chunks.push(d));
    stream.on('error', () => undefined);
    stream.on('end', () => {
      const got = { headers, body: Buffer.concat(chunks) };
      c.received.push(got);
      c.next(stream, got);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const p = (server.address() as AddressInfo).port;
  return Object.assign(c, { origin: `http://127.0.0.1:${p}`, port: p });
}

/** Stops `server`, ending its sessions: a client's idle connection does not hold it open. */
function close(server: Http2Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => { resolve(); }));
  for (const s of serverSessions) s.destroy();
  return closed;
}

afterEach(async () => {
  await Promise.all(open.splice(0).map(close));
});

const transportTo = (c: { origin: string }, headers = {}): H2cExportTransport => new H2cExportTransport({ origin: c.origin, path: PATH, headers: { 'user-agent': 'test', ...headers } });

describe('the plaintext OTLP/gRPC transport', () => {
  it('sends one framed message to the method with gRPC\'s headers and the metadata, and returns the answer\'s message', async () => {
    const reply = Buffer.from([0x12, 0x02, 0x08, 0x03]);
    const c = await collector(answer(0, reply));
    const t = transportTo(c, { 'api-key': 'k1' });
    const data = Uint8Array.from([1, 2, 3, 4, 5, 6, 7]);
    const res = await t.send(data.subarray(2, 6), 2_500);
    t.shutdown();
    assert.ok(res.status === 'success');
    assert.deepEqual(Buffer.from(res.data ?? []), reply);
    const [got] = c.received;
    assert.ok(got);
    assert.equal(got.headers[':path'], PATH);
    assert.equal(got.headers[':method'], 'POST');
    assert.equal(got.headers['content-type'], 'application/grpc');
    assert.equal(got.headers.te, 'trailers');
    assert.equal(got.headers['grpc-timeout'], '2500m');
    assert.equal(got.headers['api-key'], 'k1');
    assert.equal(got.headers['user-agent'], 'test');
    assert.deepEqual([...got.body], [0, 0, 0, 0, 4, 3, 4, 5, 6]);
  });

  it('reuses one connection for many exports', async () => {
    const c = await collector();
    const t = transportTo(c);
    for (let i = 0; i < 5; i++) assert.equal((await t.send(new Uint8Array([i]), 5_000)).status, 'success');
    t.shutdown();
    assert.equal(c.sessions, 1);
    assert.equal(c.received.length, 5);
  });

  it('reads a status other than OK from the trailers as a failure with its code and decoded message', async () => {
    const c = await collector(answer(8, Buffer.alloc(0), 'too many spans, slow down'));
    const t = transportTo(c);
    const res = await t.send(new Uint8Array([1]), 5_000);
    t.shutdown();
    assert.ok(res.status === 'failure' && res.error instanceof GrpcCallError);
    assert.equal(res.error.code, 8);
    assert.match(res.error.message, /RESOURCE_EXHAUSTED: too many spans, slow down/);
  });

  it('reads a trailers-only answer\'s status from its headers', async () => {
    const c = await collector((stream) => { stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '12', 'grpc-message': 'unknown method' }, { endStream: true }); });
    const t = transportTo(c);
    const res = await t.send(new Uint8Array([1]), 5_000);
    t.shutdown();
    assert.ok(res.status === 'failure' && res.error instanceof GrpcCallError);
    assert.equal(res.error.code, 12);
  });

  it('fails an answer that is not HTTP 200, and one without a grpc-status', async () => {
    const c = await collector((stream) => { stream.respond({ ':status': 503 }, { endStream: true }); });
    const t = transportTo(c);
    const unavailable = await t.send(new Uint8Array([1]), 5_000);
    assert.ok(unavailable.status === 'failure' && unavailable.error instanceof GrpcCallError);
    assert.equal(unavailable.error.code, 14);
    assert.match(unavailable.error.message, /HTTP status 503/);
    c.next = (stream) => { stream.respond({ ':status': 200, 'content-type': 'application/grpc' }); stream.end(); };
    const noStatus = await t.send(new Uint8Array([1]), 5_000);
    t.shutdown();
    assert.ok(noStatus.status === 'failure' && noStatus.error instanceof GrpcCallError);
    assert.equal(noStatus.error.code, 13);
  });

  it('gives up at the deadline, and the next export goes on a new connection', async () => {
    const c = await collector(() => undefined);
    const t = transportTo(c);
    const late = await t.send(new Uint8Array([1]), 200);
    assert.ok(late.status === 'failure' && late.error instanceof GrpcCallError);
    assert.equal(late.error.code, 4);
    c.next = answer(0);
    const next = await t.send(new Uint8Array([2]), 5_000);
    t.shutdown();
    assert.equal(next.status, 'success');
    assert.equal(c.sessions, 2);
  });

  it('fails while the collector is down and delivers once it is back', async () => {
    const first = await collector();
    const port = first.port;
    open.splice(open.indexOf(first.server), 1);
    await close(first.server);
    const t = transportTo({ origin: `http://127.0.0.1:${port}` });
    const refused = await t.send(new Uint8Array([1]), 5_000);
    assert.ok(refused.status === 'failure' && refused.error instanceof GrpcCallError);
    assert.equal(refused.error.code, 14);
    const back = await collector(answer(0), port);
    const res = await t.send(new Uint8Array([2]), 5_000);
    t.shutdown();
    assert.equal(res.status, 'success');
    assert.equal(back.received.length, 1);
  });

  it('after a GOAWAY, sends the next export on a new connection', async () => {
    const c = await collector((stream) => {
      answer(0)(stream, { headers: {}, body: Buffer.alloc(0) });
      stream.session?.goaway();
    });
    const t = transportTo(c);
    assert.equal((await t.send(new Uint8Array([1]), 5_000)).status, 'success');
    // Let the GOAWAY frame arrive before the next export.
    await new Promise((r) => setTimeout(r, 50));
    assert.equal((await t.send(new Uint8Array([2]), 5_000)).status, 'success');
    t.shutdown();
    assert.equal(c.sessions, 2);
  });

  it('fails an export after shutdown without connecting', async () => {
    const c = await collector();
    const t = transportTo(c);
    t.shutdown();
    const res = await t.send(new Uint8Array([1]), 5_000);
    assert.equal(res.status, 'failure');
    assert.equal(c.sessions, 0);
  });
});

describe('which gRPC channels take the plaintext transport', () => {
  const call = (config: Parameters<typeof convertLegacyOtlpGrpcOptions>[0]) => h2cCallFor(convertLegacyOtlpGrpcOptions(config, 'TRACES'), PATH, 'ua');

  it('a plaintext, uncompressed collector does, with the metadata as headers', () => {
    const saved = process.env['OTEL_EXPORTER_OTLP_TRACES_HEADERS'];
    process.env['OTEL_EXPORTER_OTLP_TRACES_HEADERS'] = 'x-tenant=acme';
    try {
      const c = call({ url: 'http://collector:4317' });
      assert.equal(c?.origin, 'http://collector:4317');
      assert.equal(c.headers['x-tenant'], 'acme');
      assert.equal(c.headers['user-agent'], 'ua');
    } finally {
      if (saved === undefined) delete process.env['OTEL_EXPORTER_OTLP_TRACES_HEADERS'];
      else process.env['OTEL_EXPORTER_OTLP_TRACES_HEADERS'] = saved;
    }
  });

  it('TLS, gzip and a unix socket stay with grpc-js', () => {
    assert.equal(call({ url: 'https://collector:4317' }), undefined);
    assert.equal(call({ url: 'http://collector:4317', compression: CompressionAlgorithm.GZIP }), undefined);
    assert.equal(call({ url: 'unix:///run/otel.sock' }), undefined);
  });
});
