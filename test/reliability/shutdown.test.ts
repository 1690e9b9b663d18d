// Graceful shutdown: on SIGTERM the real CLI refuses new connections, lets
// in-flight streams finish within switchyard.shutdown_grace_seconds, cuts
// whatever outlives it, and exits 0. /readyz turns false as soon as it begins.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { request } from 'undici';
import { openAIStreamFrames, startMockUpstream, type MockUpstream } from '../support/mockUpstream.js';
import { oneProviderYaml, startTestGateway } from '../support/gateway.js';
import { chatBody, eventually } from './support/assertions.js';
import { startChildGateway } from '../../bench/soak/gatewayProcess.js';
import { parseReply } from './support/rawClient.js';

function childYaml(upstreamUrl: string, graceSeconds: number): (port: number) => string {
  return (port) => `version: v0.4.0
listeners:
  - type: model
    name: shutdown
    address: 127.0.0.1
    port: ${port}
    timeout: 60s
model_providers:
  - model: openai/gpt-4o
    base_url: ${upstreamUrl}
    access_key: sk-shutdown-test-key
    default: true
switchyard:
  shutdown_grace_seconds: ${graceSeconds}
`;
}

/**
 * A fresh connection's fate: 'answered' if the gateway served it, else the error. Closing a listener takes
 * one turn of the child's event loop, so a connection may still complete its handshake just after the
 * "shutting down" line; it is then reset, never served.
 */
async function tryNewConnection(url: string): Promise<string> {
  try {
    const res = await request(`${url}/healthz`, { reset: true, headersTimeout: 5000, bodyTimeout: 5000 });
    await res.body.dump();
    return 'answered';
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? (err as Error).message;
  }
}

async function startStream(url: string): Promise<{ firstChunk: string; rest: Promise<{ text: string; cut: boolean }> }> {
  const res = await request(`${url}/v1/chat/completions`, { method: 'POST', body: chatBody('openai', { stream: true }) });
  assert.equal(res.statusCode, 200);
  const it = res.body[Symbol.asyncIterator]();
  const first = await it.next();
  const firstChunk = (first.value as Buffer).toString();
  const rest = (async () => {
    let text = firstChunk;
    try {
      for (let r = await it.next(); !r.done; r = await it.next()) text += (r.value as Buffer).toString();
      return { text, cut: false };
    } catch {
      return { text, cut: true };
    }
  })();
  return { firstChunk, rest };
}

describe('SIGTERM', () => {
  let upstream: MockUpstream;
  before(async () => {
    upstream = await startMockUpstream();
  });
  after(async () => {
    await upstream.close();
  });

  it('lets an in-flight stream finish, refuses new connections, and exits 0', async () => {
    const frames = openAIStreamFrames(Array.from({ length: 15 }, (_, i) => `w${i} `));
    upstream.fallback = { kind: 'sse', frames, intervalMs: 100 };
    const gw = await startChildGateway(childYaml(upstream.url, 20));
    try {
      const stream = await startStream(gw.url);
      gw.signal('SIGTERM');
      await gw.waitForLog((l) => l['msg'] === 'shutting down');
      assert.notEqual(await tryNewConnection(gw.url), 'answered');
      assert.equal(await tryNewConnection(gw.url), 'ECONNREFUSED');
      const { text, cut } = await stream.rest;
      assert.equal(cut, false);
      assert.equal(text, frames.join(''));
      const exit = await gw.exited;
      assert.deepEqual(exit, { code: 0, signal: null });
    } finally {
      await gw.dispose();
    }
  });

  it('cuts a stream that outlives the grace period, then exits 0', async () => {
    upstream.fallback = { kind: 'sse', frames: openAIStreamFrames(Array<string>(600).fill('x')), intervalMs: 100 };
    const gw = await startChildGateway(childYaml(upstream.url, 1));
    try {
      const stream = await startStream(gw.url);
      const signalledAt = performance.now();
      gw.signal('SIGTERM');
      const { text, cut } = await stream.rest;
      const exit = await gw.exited;
      // The stream would run for a minute; a 1 s grace ends it long before that.
      assert.ok(performance.now() - signalledAt < 15_000, 'the grace period bounded the shutdown');
      assert.equal(cut, true);
      assert.doesNotMatch(text, /\[DONE\]/);
      assert.deepEqual(exit, { code: 0, signal: null });
    } finally {
      await gw.dispose();
    }
  });
});

describe('/readyz and /healthz during shutdown', () => {
  /** A probe whose request head is still arriving is not idle, so it survives the start of shutdown. */
  async function openProbe(url: string, path: string): Promise<{ finish: () => void; answer: () => string; destroy: () => void }> {
    const { port } = new URL(url);
    const probe = connect(Number(port), '127.0.0.1');
    await new Promise((r) => probe.once('connect', r));
    probe.write(`GET ${path} HTTP/1.1\r\nHost: x\r\n`);
    let answer = '';
    probe.on('data', (d: Buffer) => {
      answer += d.toString();
    });
    return { finish: () => probe.write('\r\n'), answer: () => answer, destroy: () => probe.destroy() };
  }

  it('readiness turns 503 while liveness stays 200, on connections that were already open', async () => {
    const upstream = await startMockUpstream({ kind: 'sse', frames: openAIStreamFrames(Array<string>(10).fill('x')), intervalMs: 100 });
    const gw = await startTestGateway(oneProviderYaml(upstream.url));
    try {
      const ready = await request(`${gw.url}/readyz`);
      assert.equal(ready.statusCode, 200);
      assert.deepEqual(await ready.body.json(), { status: 'ready', shared_state: 'memory', state_storage: 'memory' });
      // An in-flight stream keeps the shutdown in its grace period.
      const stream = await startStream(gw.url);
      const readyz = await openProbe(gw.url, '/readyz');
      const healthz = await openProbe(gw.url, '/healthz');
      const closed = gw.gw.close(10_000);
      readyz.finish();
      healthz.finish();
      await eventually(() => readyz.answer().includes('\r\n\r\n{') && healthz.answer().includes('\r\n\r\n{'), 5000, 'both probes were answered');
      const r = parseReply(readyz.answer(), 0);
      assert.equal(r.status, 503);
      assert.deepEqual(r.json, { status: 'shutting-down', shared_state: 'memory', state_storage: 'memory' });
      assert.match(readyz.answer(), /connection: close/i);
      const h = parseReply(healthz.answer(), 0);
      assert.equal(h.status, 200);
      assert.equal((await stream.rest).cut, false);
      await closed;
      readyz.destroy();
      healthz.destroy();
    } finally {
      await gw.close();
      await upstream.close();
    }
  });
});
