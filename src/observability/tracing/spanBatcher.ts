// Finished spans to the exporter in batches, as the SDK's BatchSpanProcessor
// sends them and with its settings (OTEL_BSP_MAX_QUEUE_SIZE, _MAX_EXPORT_BATCH_SIZE,
// _SCHEDULE_DELAY, _EXPORT_TIMEOUT): a batch goes when it is full or when the
// delay has passed since its first span, one export at a time; past the queue's
// limit, spans are dropped and counted. Unlike the SDK's processor, it hands each
// span to an encoder as the span ends, so what waits for the export is bytes,
// not span objects (the protobuf encoder holds at most 63 before encoding them).
//
// The batch and queue defaults are eight times the SDK's (4,096 spans an export,
// 16,384 queued, the same four batches of room): a gateway makes two spans a
// request at thousands of requests a second, and every export has a fixed cost
// that the SDK's 512 paid 30 to 40 times a second. An export costs about
// 1 ms of CPU whatever it carries; 4,096-span batches made a traced request
// 2.7 µs cheaper in a tight loop and 4 to 7 µs under load (bench/README.md). A batch
// also goes once it holds MAX_EXPORT_BYTES, so that it stays within a
// collector's message limit (gRPC's is 4 MiB by default) whatever the spans
// carry: half that limit leaves room for the spans an encoder has yet to count.
import type { SpanRecord } from './spanRecord.js';

/** Collects spans into batches: the protobuf encoder, or a list for the JSON serializer. */
export interface BatchEncoder<Batch> {
  /** Spans added since the last take. */
  readonly spans: number;
  /** Their encoded size so far, when the encoder knows it as it goes (0 when it does not); a few spans may not be counted yet. */
  readonly bytes: number;
  add(span: SpanRecord): void;
  take(): Batch;
  /** The exporter is done with `batch`. */
  release(batch: Batch): void;
}

export interface BatchSettings {
  readonly maxQueueSize: number;
  readonly maxExportBatchSize: number;
  readonly scheduledDelayMillis: number;
  readonly exportTimeoutMillis: number;
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  const n = raw === undefined || raw === '' ? NaN : Number(raw);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

/** A batch's encoded size at which it goes whatever its count: half of gRPC's default message limit. */
export const MAX_EXPORT_BYTES = 2 * 1024 * 1024;

export function batchSettingsFrom(env: NodeJS.ProcessEnv): BatchSettings {
  const maxQueueSize = positive(env, 'OTEL_BSP_MAX_QUEUE_SIZE', 16_384);
  return {
    maxQueueSize,
    // As the SDK does: a batch larger than the queue is cut to the queue.
    maxExportBatchSize: Math.min(positive(env, 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE', 4096), maxQueueSize),
    scheduledDelayMillis: positive(env, 'OTEL_BSP_SCHEDULE_DELAY', 5000),
    exportTimeoutMillis: positive(env, 'OTEL_BSP_EXPORT_TIMEOUT', 30_000),
  };
}

export interface BatchExport<Batch> {
  /** Sends `batch`; `done` once, with an error when it was not delivered. */
  send(batch: Batch, done: (error: Error | undefined) => void): void;
  shutdown(): Promise<void>;
}

export interface BatcherLog {
  /** `spans` were not delivered: dropped at the queue's limit, or in a failed or timed-out export. */
  lost(spans: number, why: string): void;
}

export class SpanBatcher<Batch> {
  private readonly ready: { batch: Batch; spans: number }[] = [];
  private queued = 0;
  private exporting = false;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly encoder: BatchEncoder<Batch>,
    private readonly exporter: BatchExport<Batch>,
    private readonly settings: BatchSettings,
    private readonly log: BatcherLog,
  ) {}

  add(span: SpanRecord): void {
    if (this.closed) return;
    if (this.queued >= this.settings.maxQueueSize) {
      this.log.lost(1, 'the export queue is full (OTEL_BSP_MAX_QUEUE_SIZE)');
      return;
    }
    this.encoder.add(span);
    this.queued++;
    if (this.encoder.spans >= this.settings.maxExportBatchSize || this.encoder.bytes >= MAX_EXPORT_BYTES) {
      this.seal();
      this.exportNext();
    } else if (this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.seal();
        this.exportNext();
      }, this.settings.scheduledDelayMillis);
      this.timer.unref();
    }
  }

  private seal(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const spans = this.encoder.spans;
    if (spans > 0) this.ready.push({ batch: this.encoder.take(), spans });
  }

  private exportNext(): void {
    if (this.exporting) return;
    const next = this.ready.shift();
    if (next === undefined) {
      for (const wake of this.idleWaiters.splice(0)) wake();
      return;
    }
    this.exporting = true;
    let settled = false;
    const settle = (error: Error | undefined, timedOut: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      this.exporting = false;
      this.queued -= next.spans;
      // A timed-out export may still be writing its buffer: only a finished one is reused.
      if (!timedOut) this.encoder.release(next.batch);
      if (error !== undefined) this.log.lost(next.spans, error.message);
      this.exportNext();
    };
    const deadline = setTimeout(() => { settle(new Error(`export timed out after ${this.settings.exportTimeoutMillis} ms (OTEL_BSP_EXPORT_TIMEOUT)`), true); }, this.settings.exportTimeoutMillis);
    deadline.unref();
    this.exporter.send(next.batch, (error) => { settle(error, false); });
  }

  /** Sends every span queued so far; resolves when they are delivered or given up. */
  flush(): Promise<void> {
    this.seal();
    if (!this.exporting && this.ready.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.exportNext();
    });
  }

  async shutdown(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
    await this.exporter.shutdown();
  }
}
