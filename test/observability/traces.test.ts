// Traces of real failovers from a real gateway process, exported over OTLP to
// a local receiver that decodes them: one SERVER span per client request,
// continuing the client's traceparent; one CLIENT child per upstream attempt,
// with its outcome, error type and the rule that decided what came next; the
// decisions as events; and each attempt's own span id in the traceparent the
// provider received. Run over OTLP/HTTP protobuf (the default), JSON, and gRPC
// as Plano's opentracing_grpc_endpoint asks.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { MockUpstream } from '../support/mockUpstream.js';
import type { DecodedSpan } from '../support/otlpDecode.js';
import { startOtlpReceiver, type OtlpReceiver } from '../support/otlpReceiver.js';
import { closeMocks, SCENARIOS, scenarioYaml, startGatewayProcess, startMocks, type ClientTrace, type GatewayProcess, type Mocks, type Reply } from './scenarios.js';

const SERVER = 2;
const CLIENT = 3;
const ERROR = 2;

interface RequestTree {
  readonly request: DecodedSpan;
  /** Attempt spans in attempt order. */
  readonly attempts: DecodedSpan[];
}

function treeOf(spans: readonly DecodedSpan[], client: ClientTrace): RequestTree {
  const mine = spans.filter((s) => s.traceId === client.traceId);
  const requests = mine.filter((s) => s.kind === SERVER);
  assert.equal(requests.length, 1, 'one request span per client request');
  const request = requests[0]!;
  assert.equal(request.parentSpanId, client.spanId, "the request span continues the client's traceparent");
  const attempts = mine.filter((s) => s.kind === CLIENT).sort((a, b) => Number(a.attributes['switchyard.attempt']) - Number(b.attributes['switchyard.attempt']));
  assert.equal(mine.length, 1 + attempts.length, 'nothing but the request and its attempts');
  for (const a of attempts) assert.equal(a.parentSpanId, request.spanId, 'each attempt is a child of the request span');
  assert.deepEqual(attempts.map((a) => a.attributes['switchyard.attempt']), attempts.map((_, i) => i + 1));
  return { request, attempts };
}

const waitForRequests = (receiver: OtlpReceiver, replies: readonly Reply[]): Promise<void> =>
  receiver.waitFor((spans) => replies.every((r) => spans.some((s) => s.traceId === r.trace.traceId && s.kind === SERVER)));

/** The span ids a mock was sent in traceparent for `traceId`. */
function sentUpstream(mock: MockUpstream, traceId: string): string[] {
  return mock.requests
    .map((r) => String(r.headers['traceparent'] ?? ''))
    .filter((h) => h.startsWith(`00-${traceId}-`))
    .map((h) => h.split('-')[2]!);
}

function expectAttempt(span: DecodedSpan, want: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(want)) assert.deepEqual(span.attributes[k], v, `${span.name}: ${k}`);
}

const eventNames = (s: DecodedSpan): string[] => s.events.map((e) => e.name);

describe('OTLP traces of real failovers (http/protobuf, from OTEL_EXPORTER_OTLP_ENDPOINT)', () => {
  let mocks: Mocks;
  let receiver: OtlpReceiver;
  let gw: GatewayProcess;

  before(async () => {
    mocks = await startMocks();
    receiver = await startOtlpReceiver();
    gw = await startGatewayProcess((port) => scenarioYaml(mocks, port), {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpUrl,
      OTEL_BSP_SCHEDULE_DELAY: '50',
      OTEL_SERVICE_NAME: 'switchyard-under-test',
    });
  });
  after(async () => {
    await gw.stop();
    await receiver.close();
    await closeMocks(mocks);
  });

  it(SCENARIOS.retryAfter.name, async () => {
    const replies = await SCENARIOS.retryAfter.run(gw.url);
    await waitForRequests(receiver, replies);
    assert.ok(receiver.exports.every((e) => e === 'http/protobuf'));
    const first = treeOf(receiver.spans, replies[0]!.trace);
    assert.equal(first.request.name, 'chat openai/limited');
    assert.equal(first.request.resource['service.name'], 'switchyard-under-test');
    expectAttempt(first.request, {
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'limited',
      'gen_ai.response.model': 'mock-model',
      'gen_ai.usage.input_tokens': 5,
      'gen_ai.usage.output_tokens': 3,
      'http.response.status_code': 200,
      'switchyard.model': 'mistral/healthy',
      'switchyard.attempts': 2,
    });
    assert.equal(first.attempts.length, 2);
    const [limited, healthy] = first.attempts as [DecodedSpan, DecodedSpan];
    assert.equal(limited.name, 'chat limited');
    expectAttempt(limited, {
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'limited',
      'server.address': '127.0.0.1',
      'switchyard.model': 'openai/limited',
      'switchyard.outcome': 'failure',
      'error.type': 'http_429',
      'http.response.status_code': 429,
      'switchyard.next.decision': 'retry',
      'switchyard.next.rule': 'status[0]',
      'switchyard.next.model': 'mistral/healthy',
    });
    assert.equal(limited.statusCode, ERROR);
    // Usage is the request span's; the attempt does not repeat it. A first attempt carries no continuation flag.
    expectAttempt(healthy, { 'gen_ai.provider.name': 'mistral', 'switchyard.model': 'mistral/healthy', 'switchyard.outcome': 'success', 'gen_ai.usage.input_tokens': undefined, 'switchyard.continuation': undefined });
    assert.equal(typeof healthy.attributes['switchyard.ttfb_ms'], 'number');
    assert.ok(limited.endNs <= healthy.startNs, 'the failed attempt ended before the next began');
    const block = first.request.events.find((e) => e.name === 'switchyard.block');
    assert.deepEqual([block?.attributes['target'], block?.attributes['cause'], block?.attributes['apply_to']], ['openai/limited', 'retry-after', 'global']);
    const retry = first.request.events.find((e) => e.name === 'switchyard.retry');
    assert.deepEqual(retry?.attributes, { from: 'openai/limited', to: 'mistral/healthy', rule: 'status[0]', trigger: 'http_429', delay_ms: 0 });
    // traceparent continuity: each provider got the trace, with its own attempt's span as parent.
    assert.deepEqual(sentUpstream(mocks.limited, first.request.traceId), [limited.spanId]);
    assert.deepEqual(sentUpstream(mocks.healthy, first.request.traceId), [healthy.spanId]);

    const second = treeOf(receiver.spans, replies[1]!.trace);
    assert.equal(second.attempts.length, 1, 'the block steered the second request straight to the fallback');
    expectAttempt(second.attempts[0]!, { 'switchyard.model': 'mistral/healthy', 'switchyard.outcome': 'success' });
  });

  it(SCENARIOS.timeout.name, async () => {
    const replies = await SCENARIOS.timeout.run(gw.url);
    await waitForRequests(receiver, replies);
    const { attempts } = treeOf(receiver.spans, replies[0]!.trace);
    assert.equal(attempts.length, 2);
    expectAttempt(attempts[0]!, { 'switchyard.model': 'groq/silent', 'switchyard.outcome': 'failure', 'error.type': 'timeout_300ms', 'switchyard.next.rule': 'timeout', 'switchyard.next.decision': 'retry' });
    expectAttempt(attempts[1]!, { 'switchyard.model': 'mistral/healthy', 'switchyard.outcome': 'success' });
    assert.deepEqual(sentUpstream(mocks.silent, replies[0]!.trace.traceId), [attempts[0]!.spanId]);
  });

  it(SCENARIOS.continued.name, async () => {
    const replies = await SCENARIOS.continued.run(gw.url);
    await waitForRequests(receiver, replies);
    const { request, attempts } = treeOf(receiver.spans, replies[0]!.trace);
    assert.equal(attempts.length, 2);
    expectAttempt(attempts[0]!, { 'switchyard.model': 'anthropic/cutter', 'switchyard.outcome': 'stream_broken', 'error.type': 'stream_cut', 'switchyard.continuation': undefined });
    assert.equal(attempts[0]!.statusCode, ERROR);
    expectAttempt(attempts[1]!, {
      'switchyard.model': 'anthropic/continuer',
      'switchyard.outcome': 'success',
      'switchyard.continuation': true,
    });
    // The continuing stream's usage is the request's.
    expectAttempt(request, { 'gen_ai.usage.input_tokens': 40, 'gen_ai.usage.output_tokens': 18, 'switchyard.model': 'anthropic/continuer' });
    assert.deepEqual(eventNames(request).filter((n) => n.startsWith('switchyard.stream')), ['switchyard.stream.broken', 'switchyard.stream.continued']);
    const continued = request.events.find((e) => e.name === 'switchyard.stream.continued');
    assert.deepEqual(continued?.attributes, { from: 'anthropic/cutter', to: 'anthropic/continuer' });
    assert.deepEqual(sentUpstream(mocks.continuer, request.traceId), [attempts[1]!.spanId]);
  });

  it(SCENARIOS.circuit.name, async () => {
    const replies = await SCENARIOS.circuit.run(gw.url);
    await waitForRequests(receiver, replies);
    const opened = treeOf(receiver.spans, replies[1]!.trace);
    const circuit = opened.request.events.find((e) => e.name === 'switchyard.circuit');
    assert.deepEqual(circuit?.attributes, { model: 'deepseek/flaky', state: 'open' });
    const block = opened.request.events.find((e) => e.name === 'switchyard.block');
    assert.equal(block?.attributes['cause'], 'circuit-open');
    expectAttempt(opened.attempts[0]!, { 'switchyard.model': 'deepseek/flaky', 'error.type': 'http_503', 'switchyard.next.model': 'mistral/healthy' });
    const skipped = treeOf(receiver.spans, replies[2]!.trace);
    assert.deepEqual(skipped.attempts.map((a) => a.attributes['switchyard.model']), ['mistral/healthy']);
  });

  it(SCENARIOS.firstToken.name, async () => {
    const replies = await SCENARIOS.firstToken.run(gw.url);
    await waitForRequests(receiver, replies);
    const { attempts } = treeOf(receiver.spans, replies[0]!.trace);
    expectAttempt(attempts[0]!, { 'switchyard.model': 'xai/mute', 'error.type': 'timeout_300ms', 'switchyard.next.rule': 'timeout' });
    expectAttempt(attempts[1]!, { 'switchyard.model': 'mistral/healthy', 'switchyard.outcome': 'success' });
    assert.equal(typeof attempts[1]!.attributes['switchyard.ttft_ms'], 'number');
  });

  it('records no prompt and no completion text', () => {
    const all = Buffer.concat(receiver.raw).toString('utf8');
    assert.ok(receiver.spans.length > 20);
    for (const text of ['tell me the canonical answer', 'healthy answer', 't5 t6 t7']) assert.ok(!all.includes(text), `"${text}" was exported`);
  });
});

for (const [protocol, envFor, configFor] of [
  ['http/json', (r: OtlpReceiver) => ({ OTEL_EXPORTER_OTLP_ENDPOINT: r.httpUrl, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '50' }), () => ''],
  ['grpc', () => ({ OTEL_BSP_SCHEDULE_DELAY: '50' }), (r: OtlpReceiver) => `tracing:\n  random_sampling: 100\n  opentracing_grpc_endpoint: ${r.grpcUrl}\n`],
] as const) {
  describe(`OTLP traces over ${protocol}`, () => {
    let mocks: Mocks;
    let receiver: OtlpReceiver;
    let gw: GatewayProcess;
    before(async () => {
      mocks = await startMocks();
      receiver = await startOtlpReceiver();
      gw = await startGatewayProcess((port) => scenarioYaml(mocks, port, configFor(receiver)), envFor(receiver));
    });
    after(async () => {
      await gw.stop();
      await receiver.close();
      await closeMocks(mocks);
    });

    it('carries the same span tree', async () => {
      const replies = await SCENARIOS.retryAfter.run(gw.url);
      await waitForRequests(receiver, replies);
      assert.ok(receiver.exports.length > 0 && receiver.exports.every((e) => e === protocol), receiver.exports.join());
      const { attempts } = treeOf(receiver.spans, replies[0]!.trace);
      expectAttempt(attempts[0]!, { 'switchyard.model': 'openai/limited', 'error.type': 'http_429', 'switchyard.next.rule': 'status[0]' });
      expectAttempt(attempts[1]!, { 'switchyard.model': 'mistral/healthy', 'switchyard.outcome': 'success' });
      assert.deepEqual(sentUpstream(mocks.limited, replies[0]!.trace.traceId), [attempts[0]!.spanId]);
    });
  });
}

describe('tracing off', () => {
  it('passes the client\'s traceparent through untouched and loads no OpenTelemetry SDK or exporter', async () => {
    const mocks = await startMocks();
    const gw = await startGatewayProcess((port) => scenarioYaml(mocks, port), { NODE_DEBUG: 'module' });
    try {
      const [reply] = await SCENARIOS.timeout.run(gw.url);
      assert.deepEqual(sentUpstream(mocks.healthy, reply!.trace.traceId), [reply!.trace.spanId]);
      // (prom-client itself loads @opentelemetry/api, a few kB of interfaces, for exemplars.)
      assert.ok(!/@opentelemetry\/(sdk-|exporter-|otlp-|core|resources)/.test(gw.run.stderr), 'no OpenTelemetry SDK or exporter module was loaded');
      assert.match(gw.run.stderr, /prom-client/, 'NODE_DEBUG=module lists the modules loaded');
    } finally {
      await gw.stop();
      await closeMocks(mocks);
    }
  });
});
