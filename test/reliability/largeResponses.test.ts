// An enormous answer is streamed through, not buffered: a 150 MB body crosses
// the gateway (a child process, so its RSS is its own) while its resident
// memory grows by far less than the body, and every byte arrives intact.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { request } from 'undici';
import { openAIChatBody, openAIStreamFrames, startMockUpstream, type MockUpstream } from '../support/mockUpstream.js';
import { chatBody } from './support/assertions.js';
import { rssBytesOf, startChildGateway, type ChildGateway } from '../../bench/soak/gatewayProcess.js';

// V8 lets up to 64 MB of released Buffers wait for a collection, so a streaming
// gateway's RSS can briefly swing by tens of MB. The body is made large enough
// that buffering it (>= BODY_BYTES of growth) cannot hide inside that swing.
const BODY_BYTES = 150 * 1024 * 1024;
const MAX_GROWTH_BYTES = 100 * 1024 * 1024;

// One ~1 KB chunk event, repeated: the mock holds a single string, not 150 MB.
const bigFrame = openAIStreamFrames(['x'.repeat(900)])[1]!;
const frameCount = Math.ceil(BODY_BYTES / bigFrame.length);
const streamFrames = [openAIStreamFrames([])[0]!, ...Array<string>(frameCount).fill(bigFrame), ...openAIStreamFrames([]).slice(1)];
// A JSON answer of the same size (past the gateway's 4 MB check-whole limit, so it is relayed as it arrives).
const jsonBody = Buffer.from(JSON.stringify({ id: 'big', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'y'.repeat(BODY_BYTES) }, finish_reason: 'stop' }] }));

function sha256(parts: Iterable<string | Buffer>): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
}

describe('enormous responses', () => {
  let upstream: MockUpstream;
  let gw: ChildGateway;
  before(async () => {
    upstream = await startMockUpstream((r) => {
      const stream = r.body.includes('"stream":true');
      if (r.body.includes('"warm_up":true')) return stream ? { kind: 'sse', frames: openAIStreamFrames(['warm']) } : { kind: 'json', status: 200, body: openAIChatBody('warm') };
      return stream ? { kind: 'sse', frames: streamFrames } : { kind: 'raw', status: 200, body: jsonBody };
    });
    gw = await startChildGateway(
      (port) => `version: v0.4.0
listeners:
  - type: model
    name: big
    address: 127.0.0.1
    port: ${port}
    timeout: 60s
model_providers:
  - model: openai/gpt-4o
    base_url: ${upstream.url}
    access_key: sk-large-test-key
    default: true
switchyard:
  log_level: warn
`,
    );
  });
  after(async () => {
    gw.signal('SIGTERM');
    await gw.exited;
    await gw.dispose();
    await upstream.close();
  });

  /** Streams one answer through the gateway while sampling its RSS; returns the hash, size and peak growth. */
  async function transfer(stream: boolean): Promise<{ hash: string; bytes: number; growth: number }> {
    // Warm up the code paths first so their one-time allocations are not counted.
    for (let i = 0; i < 20; i++) {
      const warm = await request(`${gw.url}/v1/chat/completions`, { method: 'POST', body: chatBody('openai', { stream, warm_up: true }) });
      await warm.body.dump();
    }
    const baseline = rssBytesOf(gw.pid);
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssBytesOf(gw.pid));
    }, 20);
    try {
      const res = await request(`${gw.url}/v1/chat/completions`, { method: 'POST', body: chatBody('openai', { stream }) });
      assert.equal(res.statusCode, 200);
      const h = createHash('sha256');
      let bytes = 0;
      for await (const chunk of res.body) {
        h.update(chunk as Buffer);
        bytes += (chunk as Buffer).length;
      }
      return { hash: h.digest('hex'), bytes, growth: peak - baseline };
    } finally {
      clearInterval(sampler);
    }
  }

  it('relays a 150 MB stream intact without holding it', async () => {
    const got = await transfer(true);
    assert.equal(got.bytes, streamFrames.reduce((n, f) => n + Buffer.byteLength(f), 0));
    assert.equal(got.hash, sha256(streamFrames));
    assert.ok(got.growth < MAX_GROWTH_BYTES, `gateway RSS grew by ${(got.growth / 1048576).toFixed(1)} MB`);
  });

  it('relays a 150 MB non-streaming answer intact without holding it', async () => {
    const got = await transfer(false);
    assert.equal(got.bytes, jsonBody.length);
    assert.equal(got.hash, sha256([jsonBody]));
    assert.ok(got.growth < MAX_GROWTH_BYTES, `gateway RSS grew by ${(got.growth / 1048576).toFixed(1)} MB`);
  });
});
