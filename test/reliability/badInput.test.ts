// Bad client input: each case gets a clean 4xx in the client's dialect, never
// reaches a provider, and leaves the gateway healthy.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { startMockUpstream, type MockUpstream } from '../support/mockUpstream.js';
import { oneProviderYaml, startTestGateway, type TestGateway } from '../support/gateway.js';
import { assertDialectError, assertHealthy, CHAT_PATH, chatBody, type Dialect } from './support/assertions.js';
import { sendRaw } from './support/rawClient.js';

const DIALECTS: readonly Dialect[] = ['openai', 'anthropic'];

describe('bad client input', () => {
  let upstream: MockUpstream;
  let gw: TestGateway;
  before(async () => {
    upstream = await startMockUpstream();
    gw = await startTestGateway(oneProviderYaml(upstream.url, 'switchyard:\n  max_body_bytes: 4096\n  max_header_bytes: 4096\n'));
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  async function expectRefused(dialect: Dialect, status: number, body: string | undefined, headers: Record<string, string> = {}): Promise<void> {
    const res = await request(`${gw.url}${CHAT_PATH[dialect]}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
    const label = `${dialect} ${JSON.stringify(body?.slice(0, 40))}`;
    assert.equal(res.statusCode, status, label);
    assert.match(String(res.headers['content-type']), /application\/json/, label);
    assertDialectError(await res.body.json(), dialect, label);
  }

  for (const dialect of DIALECTS) {
    describe(dialect, () => {
      it('refuses invalid JSON and JSON that is not an object', async () => {
        for (const body of ['{bad json', '{"messages": [}', '[]', '"text"', '42', 'null', 'true']) await expectRefused(dialect, 400, body);
      });

      it('refuses wrong types', async () => {
        for (const body of [
          '{"messages":"hi"}',
          '{"messages":{"0":"hi"}}',
          '{"model":42,"messages":[]}',
          '{"model":["openai/gpt-4o"],"messages":[]}',
          '{"model":"openai/gpt-4o","messages":[],"stream":"yes"}',
        ]) {
          await expectRefused(dialect, 400, body);
        }
      });

      it('refuses an empty body and the wrong content type', async () => {
        await expectRefused(dialect, 400, '');
        await expectRefused(dialect, 415, chatBody(dialect), { 'content-type': 'text/plain' });
        await expectRefused(dialect, 415, 'a=1', { 'content-type': 'application/x-www-form-urlencoded' });
      });

      it('refuses a body over switchyard.max_body_bytes with 413, declared or chunked', async () => {
        const big = chatBody(dialect, { pad: 'x'.repeat(5000) });
        await expectRefused(dialect, 413, big);
        // No Content-Length: the limit is enforced while reading.
        const res = await request(`${gw.url}${CHAT_PATH[dialect]}`, {
          method: 'POST',
          body: Readable.from(Array.from({ length: 10 }, () => Buffer.alloc(1000, 0x20))),
        });
        assert.equal(res.statusCode, 413);
        assertDialectError(await res.body.json(), dialect, 'chunked');
      });

      it('refuses Unicode and NUL tricks in the model name', async () => {
        for (const model of ['openai/gpt-4o\u0000', 'openai/gpt\u202e-4o', 'openai/gpt\u200b-4o', '\ufeffopenai/gpt-4o', 'gpt-4o\u0007', '']) {
          await expectRefused(dialect, 400, chatBody(dialect, { model }));
        }
      });

      it('refuses headers over switchyard.max_header_bytes with 431', async () => {
        const reply = await sendRaw(gw.url, [`POST ${CHAT_PATH[dialect]} HTTP/1.1\r\nHost: x\r\nX-Pad: ${'a'.repeat(6000)}\r\n\r\n`]);
        assert.equal(reply.status, 431);
        assertDialectError(reply.json, dialect, '431');
      });

      it('refuses duplicated critical headers with 400', async () => {
        const body = chatBody(dialect);
        const variants = [
          `Content-Length: ${body.length}\r\nContent-Length: ${body.length}`,
          `Content-Length: ${body.length}\r\nAuthorization: Bearer a\r\nAuthorization: Bearer b`,
          `Content-Length: ${body.length}\r\nx-api-key: a\r\nX-Api-Key: b`,
          `Content-Length: ${body.length}\r\nHost: evil.example`,
          `Content-Length: ${body.length}\r\nContent-Type: application/json\r\nContent-Type: text/plain`,
          `Content-Length: ${body.length}\r\nTransfer-Encoding: chunked`,
        ];
        for (const extra of variants) {
          const reply = await sendRaw(gw.url, [`POST ${CHAT_PATH[dialect]} HTTP/1.1\r\nHost: x\r\n${extra}\r\n\r\n${body}`]);
          assert.equal(reply.status, 400, extra);
          assertDialectError(reply.json, dialect, extra);
        }
      });

      it('refuses CR, LF or NUL inside a header value with 400', async () => {
        for (const value of ['a\rb', 'a\nInjected: yes', 'a\u0000b']) {
          const reply = await sendRaw(gw.url, [`POST ${CHAT_PATH[dialect]} HTTP/1.1\r\nHost: x\r\nX-Note: ${value}\r\nContent-Length: 2\r\n\r\n{}`]);
          assert.equal(reply.status, 400, JSON.stringify(value));
          assertDialectError(reply.json, dialect, JSON.stringify(value));
        }
      });

      it('answers a wrong method with 405 and Allow', async () => {
        for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
          const res = await request(`${gw.url}${CHAT_PATH[dialect]}`, { method });
          assert.equal(res.statusCode, 405, method);
          assert.equal(res.headers['allow'], 'POST');
          assertDialectError(await res.body.json(), dialect, method);
        }
      });
    });
  }

  it('answers unknown paths with 404 and non-GET on /v1/models with 405', async () => {
    for (const path of ['/', '/v1', '/v1/chat/completions/', '/v1/chat/completions/../models', '/v2/chat/completions', '/V1/MESSAGES']) {
      const res = await request(`${gw.url}${path}`, { method: 'POST', body: '{}' });
      assert.equal(res.statusCode, 404, path);
      assertDialectError(await res.body.json(), 'openai', path);
    }
    const res = await request(`${gw.url}/v1/models`, { method: 'POST', body: '{}' });
    assert.equal(res.statusCode, 405);
    assert.equal(res.headers['allow'], 'GET');
    await res.body.dump();
  });

  it('never reached the provider, and is still healthy', async () => {
    assert.equal(upstream.requests.length, 0);
    await assertHealthy(gw.url);
    const res = await request(`${gw.url}/v1/chat/completions`, { method: 'POST', body: chatBody('openai') });
    assert.equal(res.statusCode, 200);
    await res.body.dump();
    assert.equal(upstream.requests.length, 1);
  });
});
