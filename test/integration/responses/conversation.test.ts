// A three-turn conversation chained by previous_response_id, with the
// official `openai` SDK: turn 1 is answered natively by an OpenAI Responses
// provider, turn 2 fails over (a 429) to an Anthropic-format provider, and
// turn 3 is answered natively again and sees the whole history, rebuilt from
// the gateway's own record. The same test with memory storage, with Postgres
// storage, and with Postgres and a gateway restart between turns 2 and 3.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { startMockProvider, type MockProvider } from '../../support/mockProviders.js';
import { startTestGateway } from '../../support/gateway.js';
import { startPostgres, type PostgresServer } from '../../support/postgresServer.js';
import { freePort, runCli, waitForHealthy, type CliRun } from '../../support/process.js';

type Body = Record<string, unknown>;

interface Mocks {
  readonly native: MockProvider;
  readonly claude: MockProvider;
}

function configYaml(m: Mocks, port: number, storage: string): string {
  return `version: v0.4.0
listeners:
  - type: model
    name: conversation
    port: ${port}
    address: 127.0.0.1
    timeout: 10s
model_providers:
  - model: openai/gpt-5
    base_url: ${m.native.url}/v1
    access_key: sk-upstream-openai
    default: true
    retry_policy:
      fallback_models: [anthropic/claude-sonnet-4-6]
      on_status_codes:
        - codes: [429]
          strategy: different_provider
          max_attempts: 1
  - model: anthropic/claude-sonnet-4-6
    base_url: ${m.claude.url}/v1
    access_key: sk-upstream-anthropic
${storage}`;
}

/** Text of every message in a Responses input, by role, in order. */
function transcript(input: unknown): string[] {
  return (input as Body[]).map((item) => {
    const content = item.content;
    const text = typeof content === 'string' ? content : (content as Body[]).map((p) => p.text).join('');
    return `${String(item.role)}: ${text}`;
  });
}

async function turns(client: SdkClient, m: Mocks, between?: () => Promise<void>): Promise<void> {
  m.native.reply({ kind: 'answer', text: 'Paris is the capital of France.' });
  const one = await client.responses.create({ model: 'openai/gpt-5', input: 'What is the capital of France?' });
  assert.equal(one.output_text, 'Paris is the capital of France.');

  m.native.reply({ kind: 'error', status: 429, message: 'Rate limit reached' });
  m.claude.reply({ kind: 'answer', text: 'About 2.1 million people.' });
  const { data: two, response } = await client.responses.create({ model: 'openai/gpt-5', input: 'How many people live there?', previous_response_id: one.id }).withResponse();
  assert.equal(response.headers.get('x-switchyard-model'), 'anthropic/claude-sonnet-4-6');
  assert.equal(two.output_text, 'About 2.1 million people.');
  assert.equal(two.model, 'claude-sonnet-4-6');
  assert.deepEqual((m.claude.last().body.messages as { role: string }[]).map((x) => x.role), ['user', 'assistant', 'user']);

  await between?.();

  m.native.reply({ kind: 'answer', text: 'The Eiffel Tower.' });
  const three = await client.streamResponse(two.id);
  assert.equal(three.output_text, 'The Eiffel Tower.');
  assert.equal(three.previous_response_id, two.id);
  const seen = m.native.last().body;
  assert.equal(seen.previous_response_id, undefined);
  assert.deepEqual(transcript(seen.input), [
    'user: What is the capital of France?',
    'assistant: Paris is the capital of France.',
    'user: How many people live there?',
    'assistant: About 2.1 million people.',
    'user: And its most famous monument?',
  ]);
}

type SdkClient = OpenAI & { streamResponse(previous: string): Promise<OpenAI.Responses.Response> };

/** The SDK pointed at a gateway, with a streamed third turn. */
function client(url: string): SdkClient {
  const c = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'sk-client', maxRetries: 0 });
  return Object.assign(c, {
    streamResponse: async (previous: string) => {
      const stream = c.responses.stream({ model: 'openai/gpt-5', input: 'And its most famous monument?', previous_response_id: previous });
      return stream.finalResponse();
    },
  });
}

describe('a three-turn conversation that fails over between formats', () => {
  let m: Mocks;
  let pg: PostgresServer;
  before(async () => {
    m = { native: await startMockProvider('responses', 'native'), claude: await startMockProvider('anthropic', 'claude') };
    pg = await startPostgres();
  });
  after(async () => {
    await Promise.all([m.native.close(), m.claude.close()]);
    await pg.dispose();
  });

  it('with memory storage', async () => {
    const gw = await startTestGateway(configYaml(m, 0, 'state_storage:\n  type: memory\n'));
    try {
      await turns(client(gw.url), m);
    } finally {
      await gw.close();
    }
  });

  it('with Postgres storage', async () => {
    const gw = await startTestGateway(configYaml(m, 0, 'state_storage:\n  type: postgres\n  connection_string: $PG_URL\n'), { PG_URL: pg.url });
    try {
      await turns(client(gw.url), m);
    } finally {
      await gw.close();
    }
  });

  it('with Postgres storage and a gateway restart between turns 2 and 3 (real processes)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-conv-'));
    const port = await freePort();
    const file = join(dir, 'config.yaml');
    writeFileSync(file, configYaml(m, port, 'state_storage:\n  type: postgres\n  connection_string: $PG_URL\n'));
    const url = `http://127.0.0.1:${port}`;
    const up = async (): Promise<CliRun> => {
      const run = runCli(['up', file, '--foreground'], { env: { PG_URL: pg.url } });
      // A busy machine can be slow to start a process; when it never starts, its output says why.
      await waitForHealthy(`${url}/healthz`, 30_000).catch((err: unknown) => {
        run.child.kill('SIGKILL');
        throw new Error(`${String(err)}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`);
      });
      return run;
    };
    let gateway = await up();
    try {
      await turns(client(url), m, async () => {
        gateway.child.kill('SIGTERM');
        assert.equal(await gateway.exited, 0);
        gateway = await up();
      });
    } finally {
      gateway.child.kill('SIGTERM');
      await gateway.exited;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
