// The span batcher's rules, with a recording exporter and real timers kept
// short: a batch goes when full or when the delay passes, one export at a time;
// the queue's limit drops and counts; a failed or timed-out export is reported
// and the next goes on; flush and shutdown deliver what is queued; buffers are
// reused only after their export is done. Settings come from OTEL_BSP_*.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_EXPORT_BYTES, SpanBatcher, batchSettingsFrom, type BatchEncoder, type BatchExport, type BatchSettings } from '../../src/observability/tracing/spanBatcher.js';
import { OTLP_KIND, SAMPLED, SpanRecord } from '../../src/observability/tracing/spanRecord.js';
import { encodeFixedAttributes } from '../../src/observability/tracing/otlpProtobuf.js';

const FIXED = encodeFixedAttributes({});
let n = 0;
const span = (): SpanRecord => new SpanRecord('0'.repeat(31) + '1', (++n).toString(16).padStart(16, '0'), SAMPLED, undefined, undefined, false, `s${n}`, OTLP_KIND.server, performance.now(), FIXED);

class Names implements BatchEncoder<string[]> {
  private list: string[] = [];
  readonly released: string[][] = [];
  /** What each span is said to take once encoded. */
  bytesPerSpan = 0;
  get spans(): number {
    return this.list.length;
  }
  get bytes(): number {
    return this.list.length * this.bytesPerSpan;
  }
  add(s: SpanRecord): void {
    this.list.push(s.name);
  }
  take(): string[] {
    const out = this.list;
    this.list = [];
    return out;
  }
  release(batch: string[]): void {
    this.released.push(batch);
  }
}

interface Call {
  readonly batch: string[];
  done(error?: Error): void;
}

function recorder(): BatchExport<string[]> & { calls: Call[]; shutdowns: number } {
  const calls: Call[] = [];
  const out = {
    calls,
    shutdowns: 0,
    send(batch: string[], done: (e: Error | undefined) => void) {
      calls.push({ batch, done: (e?: Error) => { done(e); } });
    },
    shutdown() {
      out.shutdowns++;
      return Promise.resolve();
    },
  };
  return out;
}

/** A batcher over a recording encoder and exporter, with what it reports lost. */
function rig(settings: Partial<BatchSettings>) {
  const names = new Names();
  const exp = recorder();
  const lost: string[] = [];
  const b = new SpanBatcher(names, exp, { maxQueueSize: 100, maxExportBatchSize: 50, scheduledDelayMillis: 60_000, exportTimeoutMillis: 60_000, ...settings }, { lost: (k, why) => lost.push(`${k} ${why}`) });
  return { b, names, exp, lost };
}

const settle = (): Promise<void> => new Promise((r) => setImmediate(r));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('span batcher', () => {
  it("reads OTEL_BSP_* with a gateway's defaults (the SDK's delay and timeout, eight times its batch and queue), and cuts a batch larger than the queue", () => {
    assert.deepEqual(batchSettingsFrom({}), { maxQueueSize: 16_384, maxExportBatchSize: 4096, scheduledDelayMillis: 5000, exportTimeoutMillis: 30000 });
    assert.deepEqual(batchSettingsFrom({ OTEL_BSP_MAX_QUEUE_SIZE: '100', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '500', OTEL_BSP_SCHEDULE_DELAY: '50', OTEL_BSP_EXPORT_TIMEOUT: 'x' }), {
      maxQueueSize: 100,
      maxExportBatchSize: 100,
      scheduledDelayMillis: 50,
      exportTimeoutMillis: 30000,
    });
  });

  it('sends a batch once its encoded size reaches the limit, whatever its count', () => {
    const { b, names, exp } = rig({ maxExportBatchSize: 50 });
    names.bytesPerSpan = Math.ceil(MAX_EXPORT_BYTES / 3);
    b.add(span());
    b.add(span());
    assert.equal(exp.calls.length, 0, 'two thirds of the limit wait');
    b.add(span());
    assert.equal(exp.calls.length, 1);
    assert.equal(exp.calls[0]!.batch.length, 3);
  });

  it('sends a full batch at once and one export at a time, reusing each batch once its export is done', async () => {
    const { b, names, exp, lost } = rig({ maxExportBatchSize: 2 });
    for (let i = 0; i < 5; i++) b.add(span());
    assert.equal(exp.calls.length, 1, 'the second full batch waits for the first export');
    assert.equal(exp.calls[0]!.batch.length, 2);
    assert.deepEqual(names.released, []);
    exp.calls[0]!.done();
    assert.equal(exp.calls.length, 2);
    assert.deepEqual(names.released, [exp.calls[0]!.batch]);
    exp.calls[1]!.done(new Error('collector said no'));
    assert.deepEqual(lost, ['2 collector said no']);
    assert.equal(exp.calls.length, 2, 'the fifth span waits for its batch to fill or its delay');
    const flushed = b.flush();
    assert.equal(exp.calls.length, 3);
    assert.equal(exp.calls[2]!.batch.length, 1);
    exp.calls[2]!.done();
    await flushed;
    await b.shutdown();
    assert.equal(exp.shutdowns, 1);
    b.add(span());
    assert.equal(exp.calls.length, 3, 'nothing is queued after shutdown');
  });

  it('sends a partial batch once the delay passes', async () => {
    const { b, exp } = rig({ scheduledDelayMillis: 20 });
    b.add(span());
    b.add(span());
    await settle();
    const sent = (): number => exp.calls.length;
    assert.equal(sent(), 0);
    for (let i = 0; i < 100 && sent() === 0; i++) await sleep(10);
    assert.equal(exp.calls[0]?.batch.length, 2);
    exp.calls[0].done();
  });

  it('drops and counts what is past the queue limit, and gives up on an export that does not finish', async () => {
    const { b, names, exp, lost } = rig({ maxQueueSize: 3, maxExportBatchSize: 3, exportTimeoutMillis: 30 });
    for (let i = 0; i < 5; i++) b.add(span());
    assert.equal(exp.calls.length, 1);
    assert.deepEqual(lost, ['1 the export queue is full (OTEL_BSP_MAX_QUEUE_SIZE)', '1 the export queue is full (OTEL_BSP_MAX_QUEUE_SIZE)']);
    for (let i = 0; i < 100 && lost.length < 3; i++) await sleep(10);
    assert.match(lost[2] ?? '', /^3 export timed out after 30 ms/);
    assert.deepEqual(names.released, [], 'a timed-out export may still be using its buffer');
    exp.calls[0]!.done();
    assert.equal(lost.length, 3, 'a late answer is not counted twice');
    b.add(span());
    assert.deepEqual(lost.length, 3, 'the queue has room again');
  });
});
