// One request's spans, driven in-process through the tracing seam and exported
// to a real OTLP receiver, for what a gateway run makes rarely: several
// attempts open at once (a hedge) that end out of order, and attempts still
// open when the request ends. The request trace keeps its first open attempt
// apart from the rest (otel.ts), so these go through both places.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ModelProvider } from '../../src/config/types.js';
import { startTracing } from '../../src/observability/tracing/load.js';
import type { GatewayTracer } from '../../src/observability/tracing/requestTrace.js';
import { NO_TRACING } from '../../src/config/tracing.js';
import { startOtlpReceiver, type OtlpReceiver } from '../support/otlpReceiver.js';

const SERVER = 2;
const CLIENT = 3;

const quiet = { info(): void {}, warn(): void {} };

function target(name: string): ModelProvider {
  const [prefix = '', modelId = ''] = name.split('/');
  // The tracer reads a target's names and endpoint only.
  return { name, prefix, modelId, endpoint: { origin: 'http://127.0.0.1:9', chatPath: '/v1/chat/completions', query: '' } } as unknown as ModelProvider;
}

describe('a request trace with several attempts open', () => {
  let receiver: OtlpReceiver;
  let tracer: GatewayTracer;

  before(async () => {
    receiver = await startOtlpReceiver();
    const started = await startTracing(NO_TRACING, { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpUrl }, (s) => s, quiet);
    assert.ok(started !== undefined, 'tracing is on');
    tracer = started;
  });
  after(async () => {
    await receiver.close();
  });

  it('exports every attempt once, each ended as it was told, in whatever order they end', async () => {
    const a = target('openai/gpt-4o-mini');
    const b = target('mistral/mistral-small');
    const c = target('groq/llama-3');
    const d = target('groq/llama-4');
    const trace = tracer.startRequest({ headers: {}, dialect: 'openai', path: '/v1/chat/completions', requestId: 'hedged', startedAt: performance.now() });
    trace.routed(a);
    trace.attemptStarted(a, 1, false);
    trace.attemptStarted(b, 2, false);
    trace.attemptStarted(c, 3, false);
    trace.attemptStarted(d, 4, false);
    const headers = [1, 2, 3, 4].map((n) => trace.attemptHeaders(n)?.traceparent);
    assert.equal(new Set(headers).size, 4, 'each open attempt has its own traceparent');
    // The third ends first: it is in the list, not the first attempt's place.
    trace.attemptEnded(c, 3, { kind: 'abandoned' });
    assert.equal(trace.attemptHeaders(3), undefined, 'an ended attempt has no headers');
    trace.attemptEnded(a, 1, { kind: 'abandoned' });
    assert.equal(trace.attemptHeaders(1), undefined);
    // With the first gone, the others are still found.
    assert.deepEqual([2, 4].map((n) => trace.attemptHeaders(n)?.traceparent), [headers[1], headers[3]]);
    // The answer's attempt stays open until the request ends, and so does the fourth.
    trace.attemptEnded(b, 2, { kind: 'answered', ttfbMs: 5, ttftMs: undefined });
    trace.end({ status: 200, answeredBy: b, usage: undefined, responseModel: undefined, attempts: 4 });
    await tracer.shutdown();

    const spans = receiver.spans.filter((s) => s.attributes['switchyard.request_id'] === 'hedged' || s.kind === CLIENT);
    const request = spans.find((s) => s.kind === SERVER);
    assert.ok(request !== undefined);
    const attempts = spans.filter((s) => s.kind === CLIENT).sort((x, y) => Number(x.attributes['switchyard.attempt']) - Number(y.attributes['switchyard.attempt']));
    assert.deepEqual(attempts.map((s) => s.attributes['switchyard.attempt']), [1, 2, 3, 4], 'one span per attempt, none twice');
    assert.deepEqual(attempts.map((s) => s.attributes['switchyard.outcome']), ['abandoned', 'success', 'abandoned', undefined]);
    for (const s of attempts) assert.equal(s.parentSpanId, request.spanId);
    assert.deepEqual(attempts.map((s) => `00-${s.traceId}-${s.spanId}-01`), headers, 'each attempt span is the one its traceparent named');
  });
});
