// Child-process entry: node dist/bench/otlpSinkMain.js; prints {"ready":true,"port":HTTP,"grpcPort":GRPC}.
import { startOtlpSink } from './otlpSink.js';

const sink = await startOtlpSink();
process.stdout.write(`${JSON.stringify({ ready: true, port: sink.httpPort, grpcPort: sink.grpcPort })}\n`);
process.once('SIGTERM', () => {
  void sink.close().then(() => process.exit(0));
});
