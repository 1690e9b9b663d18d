// `switchyard demo` as a user runs it: the real CLI in a child process. Its
// rate-limited OpenAI-format provider fails over to the Anthropic-format one,
// and the answer reaches an OpenAI client translated back, streaming or not.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { freePort, runCli, type CliRun } from '../support/process.js';
import { sdkClients } from '../support/sdkClients.js';

/** Starts the demo and waits for the banner that names its URL. */
async function startDemo(port: number): Promise<CliRun & { url: string }> {
  const run = runCli(['demo', '--port', String(port)]);
  let exitCode: number | null | undefined;
  void run.exited.then((code) => (exitCode = code));
  for (;;) {
    const m = /Switchyard demo is running at (http:\/\/\S+) /.exec(run.stdout);
    if (m) return Object.assign(run, { url: m[1]! });
    if (exitCode !== undefined) throw new Error(`demo exited with ${exitCode} before it was ready:\n${run.stdout}\n${run.stderr}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function stop(run: CliRun): Promise<void> {
  if (run.child.exitCode === null) run.child.kill('SIGTERM');
  assert.equal(await run.exited, 0);
}

describe('switchyard demo (the CLI, in a child process)', () => {
  const started: CliRun[] = [];
  after(async () => {
    for (const d of started) if (d.child.exitCode === null) d.child.kill('SIGKILL');
  });

  it('listens on the --port it is given, and fails over from the rate-limited OpenAI-format provider to Claude', async () => {
    const port = await freePort();
    const demo = await startDemo(port);
    started.push(demo);
    assert.equal(demo.url, `http://127.0.0.1:${port}`);
    const { openai } = sdkClients(demo.url);

    // The banner's third curl command, through the SDK.
    const { data, response } = await openai.chat.completions
      .create({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'Who answers?' }] })
      .withResponse();
    assert.equal(response.headers.get('x-switchyard-model'), 'anthropic/claude-sonnet-4-5');
    assert.equal(response.headers.get('x-switchyard-attempts'), '2');
    assert.equal(data.object, 'chat.completion');
    assert.equal(data.model, 'claude-sonnet-4-5');
    assert.match(data.choices[0]!.message.content ?? '', /^Hello from sim-healthy.*You said: "Who answers\?"/);

    const final = await openai.chat.completions
      .stream({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'Stream it' }], stream_options: { include_usage: true } })
      .finalChatCompletion();
    assert.match(final.choices[0]!.message.content ?? '', /^Hello from sim-healthy.*You said: "Stream it"/);
    assert.equal(final.choices[0]!.finish_reason, 'stop');
    assert.ok((final.usage?.completion_tokens ?? 0) > 0);

    await stop(demo);
  });

  it('with --port 0, prints the port it actually bound', async () => {
    const demo = await startDemo(0);
    started.push(demo);
    const port = Number(new URL(demo.url).port);
    assert.ok(port > 0, demo.url);
    const res = await fetch(`${demo.url}/healthz`);
    assert.equal(res.status, 200);
    await stop(demo);
  });
});
