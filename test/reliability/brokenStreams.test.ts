// Streams that misbehave in their content: a malformed event in the middle,
// an end without the terminal event, and compressed bodies. The client is
// never left hanging, never told a cut stream completed, and gets decoded bytes.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { openAIChatBody, openAIStreamFrames, startMockUpstream, type MockStep, type MockUpstream } from '../support/mockUpstream.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { anthropicMessageBody } from './support/anthropicReplies.js';
import { anthropicFrames } from '../support/streamMocks.js';
import { assertHealthy } from './support/assertions.js';
import { ask, endedAsFailure, endsWithDone } from './support/chatClient.js';

/** Far below the 10 s deadline: "promptly" means the client is not left waiting for it. */
const PROMPTLY_MS = 5000;

describe('broken streams and encodings', () => {
  let openai: MockUpstream;
  let anthropic: MockUpstream;
  let gw: TestGateway;
  let next: { openai?: MockStep; anthropic?: MockStep } = {};
  before(async () => {
    openai = await startMockUpstream(() => next.openai ?? { kind: 'json', status: 500, body: { error: { message: 'unscripted' } } });
    anthropic = await startMockUpstream(() => next.anthropic ?? { kind: 'json', status: 500, body: { error: { message: 'unscripted' } } });
    gw = await startTestGateway(`version: v0.4.0
listeners:
  - type: model
    name: streams
    port: 0
    timeout: 10s
model_providers:
  - model: openai/gpt-4o
    base_url: ${openai.url}
    access_key: sk-streams-openai-key
    default: true
  - model: anthropic/claude-sonnet-4
    base_url: ${anthropic.url}
    access_key: sk-streams-anthropic-key
`);
  });
  after(async () => {
    await gw.close();
    await openai.close();
    await anthropic.close();
  });

  describe('a malformed event in the middle', () => {
    const openAIFrames = (): string[] => {
      const f = openAIStreamFrames(['before ', 'after']);
      return [f[0]!, f[1]!, 'data: {"choices":[{"delta":{"content": nope\n\n', ...f.slice(2)];
    };

    it('same format: relayed untouched, and the rest of the stream still arrives', async () => {
      next = { openai: { kind: 'sse', frames: openAIFrames() } };
      const reply = await ask(gw.url, { stream: true, extra: { model: 'openai/gpt-4o' } });
      assert.equal(reply.status, 200);
      assert.equal(reply.cut, false);
      assert.equal(reply.text, openAIFrames().join(''));
      assert.ok(reply.elapsedMs < PROMPTLY_MS);
    });

    it('translated for an Anthropic client: ends with an in-band error, never message_stop', async () => {
      next = { openai: { kind: 'sse', frames: openAIFrames() } };
      const reply = await ask(gw.url, { dialect: 'anthropic', stream: true, extra: { model: 'openai/gpt-4o' } });
      assert.equal(reply.status, 200);
      assert.match(reply.text, /event: message_start/);
      assert.match(reply.text, /event: error\ndata: \{"type":"error"/);
      assert.doesNotMatch(reply.text, /message_stop/);
      assert.ok(reply.elapsedMs < PROMPTLY_MS);
    });

    it('translated for an OpenAI client: ends with an in-band error, never [DONE]', async () => {
      const frames = anthropicFrames(['before ', 'after']);
      frames.splice(4, 0, 'event: content_block_delta\ndata: {"type":"content_block_delta",,,}\n\n');
      next = { anthropic: { kind: 'sse', frames } };
      const reply = await ask(gw.url, { stream: true, extra: { model: 'anthropic/claude-sonnet-4' } });
      assert.equal(reply.status, 200);
      assert.match(reply.text, /"content":"before "/);
      assert.match(reply.text, /data: \{"error":/);
      assert.ok(!endsWithDone(reply.text));
      assert.doesNotMatch(reply.text, /"finish_reason":"stop"/);
      assert.ok(reply.elapsedMs < PROMPTLY_MS);
    });
  });

  describe('a stream that ends without its terminal event', () => {
    it('same format: ends promptly, and the gateway adds no [DONE] of its own', async () => {
      const frames = openAIStreamFrames(['a', 'b']).slice(0, -1);
      next = { openai: { kind: 'sse', frames } };
      const reply = await ask(gw.url, { stream: true });
      assert.equal(reply.status, 200);
      assert.ok(reply.elapsedMs < PROMPTLY_MS, `took ${Math.round(reply.elapsedMs)} ms`);
      assert.equal(reply.text, frames.join(''));
      assert.ok(!endsWithDone(reply.text));
    });

    it('translated (OpenAI upstream, no [DONE], no finish_reason): the Anthropic client is told it failed, never message_stop', async () => {
      next = { openai: { kind: 'sse', frames: openAIStreamFrames(['a', 'b']).slice(0, -2) } };
      const reply = await ask(gw.url, { dialect: 'anthropic', stream: true });
      assert.equal(reply.status, 200);
      assert.ok(reply.elapsedMs < PROMPTLY_MS, `took ${Math.round(reply.elapsedMs)} ms`);
      assert.ok(endedAsFailure(reply, 'anthropic'), reply.text.slice(-300));
      assert.doesNotMatch(reply.text, /message_stop/);
    });

    it('translated (Anthropic upstream, no message_stop): the OpenAI client is told it failed, never [DONE]', async () => {
      next = { anthropic: { kind: 'sse', frames: anthropicFrames(['a', 'b']).slice(0, -2) } };
      const reply = await ask(gw.url, { stream: true, extra: { model: 'anthropic/claude-sonnet-4' } });
      assert.equal(reply.status, 200);
      assert.ok(reply.elapsedMs < PROMPTLY_MS, `took ${Math.round(reply.elapsedMs)} ms`);
      assert.ok(endedAsFailure(reply), reply.text.slice(-300));
      assert.ok(!endsWithDone(reply.text));
    });
  });

  describe('compressed upstream bodies reach the client decoded', () => {
    const encoders = { gzip: gzipSync, deflate: deflateSync, br: brotliCompressSync } as const;
    for (const [encoding, encode] of Object.entries(encoders)) {
      it(`${encoding}, non-streaming, same format and translated`, async () => {
        const body = JSON.stringify(openAIChatBody('squeezed '.repeat(50)));
        next = { openai: { kind: 'raw', status: 200, body: encode(Buffer.from(body)), headers: { 'content-encoding': encoding } } };
        const same = await ask(gw.url);
        assert.equal(same.status, 200);
        assert.equal(same.headers['content-encoding'], undefined);
        assert.equal(same.text, body);
        assert.equal(Number(same.headers['content-length']), Buffer.byteLength(body));
        const translated = await ask(gw.url, { dialect: 'anthropic' });
        assert.equal(translated.status, 200);
        assert.equal(translated.headers['content-encoding'], undefined);
        assert.equal((JSON.parse(translated.text) as { content: { text: string }[] }).content[0]?.text, 'squeezed '.repeat(50));
      });
    }

    it('gzip, streaming, same format and translated', async () => {
      const frames = openAIStreamFrames(['zip', 'ped']);
      const gz = gzipSync(Buffer.from(frames.join('')));
      next = { openai: { kind: 'raw', status: 200, body: gz, headers: { 'content-type': 'text/event-stream', 'content-encoding': 'gzip' } } };
      const same = await ask(gw.url, { stream: true });
      assert.equal(same.status, 200);
      assert.equal(same.headers['content-encoding'], undefined);
      assert.equal(same.text, frames.join(''));
      const translated = await ask(gw.url, { dialect: 'anthropic', stream: true });
      assert.equal(translated.headers['content-encoding'], undefined);
      assert.match(translated.text, /"text":"zip"/);
      assert.match(translated.text, /event: message_stop/);
    });

    it('gzip from an Anthropic upstream to an OpenAI client', async () => {
      next = {
        anthropic: {
          kind: 'raw',
          status: 200,
          body: gzipSync(Buffer.from(JSON.stringify(anthropicMessageBody('from claude')))),
          headers: { 'content-encoding': 'gzip' },
        },
      };
      const reply = await ask(gw.url, { extra: { model: 'anthropic/claude-sonnet-4' } });
      assert.equal(reply.status, 200);
      assert.equal((JSON.parse(reply.text) as { choices: { message: { content: string } }[] }).choices[0]?.message.content, 'from claude');
    });
  });

  it('is healthy after all of it', async () => {
    await assertHealthy(gw.url);
  });
});
