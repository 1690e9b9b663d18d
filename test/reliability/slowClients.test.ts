// Slowloris: a client that sends its head or its body a trickle at a time is
// cut off by switchyard.header_timeout_ms / body_timeout_ms, gets a clean
// error when it can still read one, and does not hurt anyone else.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { startMockUpstream, type MockUpstream } from '../support/mockUpstream.js';
import { oneProviderYaml, startTestGateway, type TestGateway } from '../support/gateway.js';
import { assertDialectError, assertHealthy, chatBody } from './support/assertions.js';
import { sendRaw } from './support/rawClient.js';

// Short limits so the test is quick; the bounds below are generous multiples of them.
const HEADER_TIMEOUT_MS = 300;
const BODY_TIMEOUT_MS = 400;
const CUT_WITHIN_MS = 6000;

describe('slow clients', () => {
  let upstream: MockUpstream;
  let gw: TestGateway;
  before(async () => {
    upstream = await startMockUpstream();
    gw = await startTestGateway(
      oneProviderYaml(upstream.url, `switchyard:\n  header_timeout_ms: ${HEADER_TIMEOUT_MS}\n  body_timeout_ms: ${BODY_TIMEOUT_MS}\n`),
    );
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  it('closes a client that trickles its headers, with a 408', async () => {
    // One header line every 100 ms, forever: the head is never complete.
    const lines = ['POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n', ...Array.from({ length: 200 }, (_, i) => `X-Slow-${i}: a\r\n`)];
    const reply = await sendRaw(gw.url, lines, { gapMs: 100, giveUpMs: CUT_WITHIN_MS + 2000 });
    assert.ok(reply.closedAfterMs < CUT_WITHIN_MS, `still open after ${Math.round(reply.closedAfterMs)} ms`);
    assert.equal(reply.status, 408);
    assertDialectError(reply.json, 'openai', 'header timeout');
  });

  it('closes a client that trickles its body, with a 408 in its dialect', async () => {
    const body = chatBody('anthropic');
    const head = `POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
    const reply = await sendRaw(gw.url, [head, ...body.split('')], { gapMs: 100, giveUpMs: CUT_WITHIN_MS + 2000 });
    assert.ok(reply.closedAfterMs < CUT_WITHIN_MS, `still open after ${Math.round(reply.closedAfterMs)} ms`);
    assert.equal(reply.status, 408);
    assertDialectError(reply.json, 'anthropic', 'body timeout');
    assert.equal(upstream.requests.length, 0);
  });

  it('closes a connection that sends nothing at all', async () => {
    const reply = await sendRaw(gw.url, [], { giveUpMs: CUT_WITHIN_MS + 2000 });
    assert.ok(reply.closedAfterMs < CUT_WITHIN_MS, `still open after ${Math.round(reply.closedAfterMs)} ms`);
  });

  it('serves other clients while slow ones are being held, and stays healthy', async () => {
    const slow = Array.from({ length: 20 }, () =>
      sendRaw(gw.url, ['POST /v1/chat/completions HTTP/1.1\r\n', ...Array.from({ length: 100 }, () => 'X: y\r\n')], { gapMs: 100, giveUpMs: CUT_WITHIN_MS + 2000 }),
    );
    const res = await request(`${gw.url}/v1/chat/completions`, { method: 'POST', body: chatBody('openai') });
    assert.equal(res.statusCode, 200);
    await res.body.dump();
    for (const reply of await Promise.all(slow)) assert.ok(reply.closedAfterMs < CUT_WITHIN_MS);
    await assertHealthy(gw.url);
  });
});
