// Request bodies captured from Codex CLI (test/fixtures/codex), replayed
// through the gateway as Codex sends them (streaming, its headers), against a
// native entry that answers with the streams Codex accepted, and against a
// translated Anthropic-format entry. Either way the client gets what Codex
// needs: an output_item.done for every item, then response.completed.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SseParser } from '../../../src/dialects/index.js';
import { startMockProvider, type MockProvider } from '../../support/mockProviders.js';
import { startMockUpstream, type MockUpstream } from '../../support/mockUpstream.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { FIXTURES_DIR } from '../../support/paths.js';

type Body = Record<string, unknown>;

interface Capture {
  readonly headers: Record<string, string>;
  readonly body: Body;
}

const CODEX = join(FIXTURES_DIR, 'codex');
const capture = (name: string): Capture => JSON.parse(readFileSync(join(CODEX, name), 'utf8')) as Capture;
const sseFrames = (name: string): string[] =>
  readFileSync(join(CODEX, 'sse', name), 'utf8')
    .split('\n\n')
    .filter((f) => f.trim() !== '')
    .map((f) => `${f}\n\n`);

interface Replayed {
  readonly status: number;
  readonly headers: Headers;
  readonly events: { event: string | undefined; data: Body }[];
}

async function replay(url: string, c: Capture, model: string): Promise<Replayed> {
  const res = await fetch(`${url}/v1/responses`, {
    method: 'POST',
    headers: { ...c.headers, authorization: 'Bearer codex-key' },
    body: JSON.stringify({ ...c.body, model }),
  });
  const parser = new SseParser();
  const events = [...parser.push(Buffer.from(await res.arrayBuffer())), ...parser.flush()].map((e) => ({ event: e.event, data: JSON.parse(e.data) as Body }));
  return { status: res.status, headers: res.headers, events };
}

/** What Codex requires of a stream, and the ordering the gateway promises. */
function assertCodexAccepts(r: Replayed): Body[] {
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'text/event-stream');
  const types = r.events.map((e) => e.data.type);
  assert.deepEqual(r.events.map((e) => e.event), types, 'every event is named by its type');
  assert.deepEqual(r.events.map((e) => e.data.sequence_number), r.events.map((_, i) => i));
  assert.equal(types[0], 'response.created');
  assert.equal(types.at(-1), 'response.completed');
  assert.ok(!types.includes('error') && !types.includes('response.failed'));
  const added = r.events.filter((e) => e.data.type === 'response.output_item.added').map((e) => (e.data.item as Body).id);
  const done = r.events.filter((e) => e.data.type === 'response.output_item.done').map((e) => e.data.item as Body);
  assert.ok(done.length > 0, 'an output_item.done for the answer');
  assert.deepEqual(done.map((i) => i.id), added);
  const completed = r.events.at(-1)?.data.response as Body;
  assert.deepEqual(completed.output, done);
  return done;
}

describe('Codex CLI requests, replayed', () => {
  let native: MockUpstream;
  let claude: MockProvider;
  let gw: TestGateway;
  before(async () => {
    native = await startMockUpstream();
    claude = await startMockProvider('anthropic', 'claude');
    gw = await startTestGateway(`version: v0.4.0
listeners:
  - { type: model, name: codex, port: 0, timeout: 10s }
model_providers:
  - model: openai/gpt-5-codex
    base_url: ${native.url}/v1
    access_key: sk-upstream-openai
  - model: anthropic/claude-sonnet-4-6
    base_url: ${claude.url}/v1
    access_key: sk-upstream-anthropic
`);
  });
  after(async () => {
    await gw.close();
    await Promise.all([native.close(), claude.close()]);
  });

  describe('against a native entry', () => {
    for (const [file, sse] of [
      ['turn1-plain.json', 'text.sse'],
      ['turn1-tool.json', 'function-call-exec_command.sse'],
      ['turn2-function-call-output.json', 'text-after-tool.sse'],
      ['default-model-gpt-6.2-sol/turn2-custom-tool-call-output.json', 'custom-tool-call-exec.sse'],
    ] as const) {
      it(`${file}: forwarded with only its model rewritten, the accepted stream relayed`, async () => {
        native.queue.push({ kind: 'sse', frames: sseFrames(sse) });
        const c = capture(file);
        const r = await replay(gw.url, c, 'openai/gpt-5-codex');
        const done = assertCodexAccepts(r);
        const sent = native.requests.at(-1);
        assert.equal(sent?.path, '/v1/responses');
        assert.equal(sent.body, JSON.stringify({ ...c.body, model: 'gpt-5-codex' }), 'the body byte for byte, model rewritten');
        assert.equal(sent.headers['authorization'], 'Bearer sk-upstream-openai');
        assert.equal(r.headers.get('x-switchyard-dropped'), null);
        const upstream = sseFrames(sse).map((f) => JSON.parse(f.slice(f.indexOf('data: ') + 6)) as Body);
        const upstreamDone = upstream.filter((e) => e.type === 'response.output_item.done').map((e) => e.item);
        assert.deepEqual(done, upstreamDone, 'items exactly as the provider sent them');
        const completed = r.events.at(-1)?.data.response as Body;
        assert.notEqual(completed.id, (upstream.at(-1)?.response as Body).id, 'the gateway\'s id, not the provider\'s');
      });
    }
  });

  describe('against a translated Anthropic-format entry', () => {
    it('turn1-plain.json: the hints Codex sends are dropped and named', async () => {
      claude.reply({ kind: 'answer', text: 'Hello! How can I help?' });
      const r = await replay(gw.url, capture('turn1-plain.json'), 'anthropic/claude-sonnet-4-6');
      const done = assertCodexAccepts(r);
      assert.deepEqual((done[0]?.content as Body[])[0], { type: 'output_text', text: 'Hello! How can I help?', annotations: [], logprobs: [] });
      const dropped = (r.headers.get('x-switchyard-dropped') ?? '').split(',');
      for (const hint of ['include', 'prompt_cache_key', 'client_metadata', 'reasoning.summary', 'tools.web_search']) assert.ok(dropped.includes(hint), `${hint} in ${dropped.join(',')}`);
      const seen = claude.last().body;
      assert.match((seen.system as Body[]).map((b) => b.text).join('\n'), /^You are a coding agent running in the Codex CLI/);
      assert.ok((seen.tools as Body[]).some((t) => t.name === 'multi_agent_v1__spawn_agent'), 'namespace functions are offered, flattened');
      assert.ok(!(seen.tools as Body[]).some((t) => t.name === 'web_search'));
    });

    it('turn1-tool.json: a tool call comes back as the function_call Codex offered', async () => {
      claude.reply({ kind: 'answer', toolCalls: [{ name: 'exec_command', input: { cmd: 'echo hi' } }] });
      const done = assertCodexAccepts(await replay(gw.url, capture('turn1-tool.json'), 'anthropic/claude-sonnet-4-6'));
      assert.equal(done[0]?.type, 'function_call');
      assert.equal(done[0].name, 'exec_command');
      assert.deepEqual(JSON.parse(String(done[0].arguments)), { cmd: 'echo hi' });
    });

    it('turn2-function-call-output.json: the history with the tool result is sent as Messages', async () => {
      claude.reply({ kind: 'answer', text: 'The command printed: hi' });
      assertCodexAccepts(await replay(gw.url, capture('turn2-function-call-output.json'), 'anthropic/claude-sonnet-4-6'));
      const messages = claude.last().body.messages as { role: string; content: Body[] }[];
      assert.deepEqual(messages.map((m) => m.role), ['user', 'assistant', 'user']);
      assert.equal(messages[1]?.content[0]?.type, 'tool_use');
      assert.equal(messages[2]?.content[0]?.type, 'tool_result');
    });

    it('gpt-5.5 turn 2: a custom tool is offered as a function taking its freeform input', async () => {
      claude.reply({ kind: 'answer', text: 'Done.' });
      assertCodexAccepts(await replay(gw.url, capture('gpt-5.5/turn2-function-call-output.json'), 'anthropic/claude-sonnet-4-6'));
      const patch = (claude.last().body.tools as Body[]).find((t) => t.name === 'apply_patch');
      assert.deepEqual((patch?.input_schema as Body).required, ['input']);
      assert.match(String(patch?.description), /lark grammar/);
    });

    it('the default model\'s turn 2: additional_tools, namespaces and a custom tool call round-trip', async () => {
      claude.reply({ kind: 'answer', toolCalls: [{ name: 'functions__exec', input: { input: 'text("again");' } }] });
      const done = assertCodexAccepts(await replay(gw.url, capture('default-model-gpt-6.2-sol/turn2-custom-tool-call-output.json'), 'anthropic/claude-sonnet-4-6'));
      assert.deepEqual({ type: done[0]?.type, name: done[0]?.name, namespace: done[0]?.namespace, input: done[0]?.input }, { type: 'custom_tool_call', name: 'exec', namespace: 'functions', input: 'text("again");' });
      const messages = claude.last().body.messages as { role: string; content: Body[] }[];
      const call = messages.flatMap((m) => m.content).find((b) => b.type === 'tool_use');
      assert.equal(call?.name, 'functions__exec');
    });
  });
});
