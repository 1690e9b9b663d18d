// The benchmark's OTLP sink takes exports over HTTP and gRPC and counts them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:http2';
import { request } from 'undici';
import { startOtlpSink } from '../../bench/otlpSink.js';

describe('bench OTLP sink', () => {
  it('answers both transports at once and counts exports and bytes', async () => {
    const sink = await startOtlpSink();
    try {
      const http = await request(`http://127.0.0.1:${sink.httpPort}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: Buffer.alloc(10) });
      assert.equal(http.statusCode, 200);
      await http.body.text();
      const session = connect(`http://127.0.0.1:${sink.grpcPort}`);
      const status = await new Promise<string>((resolve, reject) => {
        const stream = session.request({ ':method': 'POST', ':path': '/opentelemetry.proto.collector.trace.v1.TraceService/Export', 'content-type': 'application/grpc', te: 'trailers' });
        stream.on('trailers', (t: Record<string, string | string[] | undefined>) => { resolve(String(t['grpc-status'])); });
        stream.on('error', reject);
        stream.resume();
        stream.end(Buffer.from([0, 0, 0, 0, 3, 1, 2, 3]));
      });
      session.close();
      assert.equal(status, '0');
      assert.deepEqual(sink.stats(), { exports: 2, bytes: 18 });
      const stats = await request(`http://127.0.0.1:${sink.httpPort}/__stats`);
      assert.deepEqual(await stats.body.json(), { exports: 2, bytes: 18 });
    } finally {
      await sink.close();
    }
  });
});
