// Thousands of generated bodies and headers against both endpoints, with
// providers of both wire formats behind them (so the translation paths are
// fuzzed too). Whatever arrives, the answer is a 2xx or a 4xx, it arrives, and
// the gateway stays healthy.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Agent, request } from 'undici';
import { openAIChatBody, openAIStreamFrames, startMockUpstream, type MockStep, type MockUpstream } from '../support/mockUpstream.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { anthropicMessageBody } from './support/anthropicReplies.js';
import { anthropicFrames } from '../support/streamMocks.js';
import { assertHealthy, CHAT_PATH, type Dialect } from './support/assertions.js';

// SWITCHYARD_FUZZ_RUNS raises the count for a longer local hunt.
const RUNS_PER_ENDPOINT = Number(process.env['SWITCHYARD_FUZZ_RUNS'] ?? 2000);
const MODELS = ['openai/gpt-4o', 'anthropic/claude-sonnet-4', 'gpt-4o', 'claude-sonnet-4', 'smart', 'nope/none'];

function answerFor(path: string, body: string): MockStep {
  let stream = false;
  try {
    stream = (JSON.parse(body) as { stream?: unknown }).stream === true;
  } catch {
    // The gateway only forwards JSON; anything else would show up as a failure below.
  }
  const anthropic = path.endsWith('/v1/messages');
  if (stream) return { kind: 'sse', frames: anthropic ? anthropicFrames(['a', 'b']) : openAIStreamFrames(['a', 'b']) };
  return { kind: 'json', status: 200, body: anthropic ? anthropicMessageBody('ok') : openAIChatBody('ok') };
}

// --- generators -------------------------------------------------------------
const text = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom('', '\u0000', '\ud800', '\u202e', '{}'));
const anyJson = fc.jsonValue({ maxDepth: 3 });
const part = fc.oneof(
  fc.record({ type: fc.constantFrom('text', 'image_url', 'image', 'tool_use', 'tool_result', 'input_audio', 'x'), text: fc.oneof(text, anyJson) }, { requiredKeys: ['type'] }),
  fc.record({ type: fc.constant('image_url'), image_url: fc.oneof(fc.record({ url: fc.oneof(text, fc.webUrl()) }), anyJson) }),
  fc.record({ type: fc.constant('tool_result'), tool_use_id: fc.oneof(text, anyJson), content: fc.oneof(text, anyJson) }),
  anyJson,
);
const message = fc.oneof(
  fc.record(
    {
      role: fc.oneof(fc.constantFrom('user', 'assistant', 'system', 'tool', 'developer', 'function'), text, anyJson),
      content: fc.oneof(text, fc.array(part, { maxLength: 4 }), anyJson),
      tool_calls: fc.oneof(fc.array(fc.record({ id: text, type: fc.constant('function'), function: fc.record({ name: text, arguments: fc.oneof(text, anyJson) }) }), { maxLength: 2 }), anyJson),
      tool_call_id: fc.oneof(text, anyJson),
      name: text,
    },
    { requiredKeys: ['role'] },
  ),
  anyJson,
);
const chatLike = fc.record(
  {
    model: fc.oneof(fc.constantFrom(...MODELS), text, anyJson),
    messages: fc.oneof(fc.array(message, { maxLength: 4 }), anyJson),
    stream: fc.oneof(fc.boolean(), anyJson),
    max_tokens: fc.oneof(fc.integer(), fc.double(), anyJson),
    system: fc.oneof(text, fc.array(part, { maxLength: 2 }), anyJson),
    tools: fc.oneof(fc.array(fc.record({ type: fc.constant('function'), function: fc.record({ name: text, parameters: anyJson }), name: text, input_schema: anyJson }), { maxLength: 2 }), anyJson),
    tool_choice: fc.oneof(fc.constantFrom('auto', 'none', 'required', 'any'), anyJson),
    stop: fc.oneof(text, fc.array(text, { maxLength: 5 }), anyJson),
    n: fc.oneof(fc.integer({ min: -1, max: 3 }), anyJson),
    stream_options: anyJson,
    temperature: fc.oneof(fc.double(), anyJson),
    response_format: anyJson,
    metadata: anyJson,
  },
  { requiredKeys: [] },
);
// Mostly well-formed requests with odd details, so that most reach a provider and come back translated.
const nearlyValid = fc.record(
  {
    model: fc.constantFrom(...MODELS.slice(0, 5)),
    messages: fc.array(
      fc.record({ role: fc.constantFrom('user', 'assistant', 'system'), content: fc.oneof(text, fc.array(part, { maxLength: 3 })) }),
      { minLength: 1, maxLength: 4 },
    ),
    max_tokens: fc.integer({ min: 1, max: 4096 }),
  },
  { requiredKeys: ['messages', 'max_tokens'] },
);
const body = fc.oneof(
  { weight: 3, arbitrary: nearlyValid.map((o) => JSON.stringify(o)) },
  { weight: 3, arbitrary: fc.tuple(nearlyValid, chatLike).map(([a, b]) => JSON.stringify({ ...b, ...a, stream: typeof b.stream === 'boolean' ? b.stream : false })) },
  { weight: 3, arbitrary: chatLike.map((o) => JSON.stringify(o)) },
  { weight: 1, arbitrary: fc.json({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1')) },
);
// Header names and values a client library will put on the wire; framing headers are the library's job.
const FRAMING = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'expect', 'te', 'trailer']);
const headerName = fc
  .oneof(
    fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/),
    fc.constantFrom('content-type', 'authorization', 'x-api-key', 'api-key', 'x-request-id', 'accept-encoding', 'content-encoding', 'anthropic-version', 'x-switchyard-key', 'cookie', 'accept'),
  )
  .filter((n) => !FRAMING.has(n));
const headerValue = fc.oneof(
  fc.stringMatching(/^[\x21-\x7e][\x20-\x7e]{0,60}$/),
  fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'gzip', 'Bearer x', '../../etc/passwd', 'a'.repeat(2000)),
);
// content-type is left to the client library most of the time: a random one mostly yields 415.
const headers = fc.dictionary(headerName, headerValue, { maxKeys: 6 }).map((h) => {
  if (h['content-type'] !== undefined && !h['content-type'].startsWith('application/json')) delete h['content-type'];
  return h;
});
const headersWithAnyType = fc.dictionary(headerName, headerValue, { maxKeys: 6 });

describe('fuzzing both endpoints', () => {
  let openaiMock: MockUpstream;
  let anthropicMock: MockUpstream;
  let gw: TestGateway;
  const agent = new Agent({ connections: 4, headersTimeout: 10_000, bodyTimeout: 10_000 });
  before(async () => {
    openaiMock = await startMockUpstream((r) => answerFor(r.path, r.body));
    anthropicMock = await startMockUpstream((r) => answerFor(r.path, r.body));
    gw = await startTestGateway(`version: v0.4.0
listeners:
  - type: model
    name: fuzz
    port: 0
    timeout: 10s
model_providers:
  - model: openai/gpt-4o
    base_url: ${openaiMock.url}
    access_key: sk-fuzz-openai-key
    default: true
  - model: anthropic/claude-sonnet-4
    base_url: ${anthropicMock.url}
    access_key: sk-fuzz-anthropic-key
model_aliases:
  smart:
    target: anthropic/claude-sonnet-4
switchyard:
  log_level: warn
`);
  });
  after(async () => {
    await agent.close();
    await gw.close();
    await openaiMock.close();
    await anthropicMock.close();
  });

  for (const dialect of ['openai', 'anthropic'] as const satisfies readonly Dialect[]) {
    it(`answers every generated request on ${CHAT_PATH[dialect]} with a 2xx or 4xx`, async () => {
      const statuses = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(body, fc.oneof({ weight: 9, arbitrary: headers }, { weight: 1, arbitrary: headersWithAnyType }), async (b, h) => {
          const res = await request(`${gw.url}${CHAT_PATH[dialect]}`, { method: 'POST', body: b, headers: h, dispatcher: agent });
          const answer = await res.body.text();
          statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
          assert.ok(res.statusCode < 500, `HTTP ${res.statusCode}: ${answer.slice(0, 300)}`);
          if (res.statusCode >= 400) assert.doesNotThrow(() => JSON.parse(answer), 'error bodies are JSON');
        }),
        { numRuns: RUNS_PER_ENDPOINT },
      );
      // The generators must reach the providers too, or only the validator was fuzzed.
      assert.ok((statuses.get(200) ?? 0) > RUNS_PER_ENDPOINT / 5, `statuses: ${JSON.stringify([...statuses])}`);
      await assertHealthy(gw.url);
    });
  }

  it('logged no unhandled error and still serves', async () => {
    assert.deepEqual(gw.logs.filter((l) => l['msg'] === 'unhandled error in request handler'), []);
    await assertHealthy(gw.url);
  });
});
