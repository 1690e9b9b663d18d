// Bad input on /v1/responses: a 400 in the Responses error format, naming the
// field, and no provider ever called. A hint on a translated target is the
// contrast: dropped, named in x-switchyard-dropped, and answered.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { startResponsesRig, type ResponsesRig } from '../sdk/responsesHarness.js';

type Body = Record<string, unknown>;

interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Body;
}

describe('/v1/responses refuses bad input before any provider', () => {
  let rig: ResponsesRig;
  before(async () => {
    rig = await startResponsesRig();
  });
  after(() => rig.close());
  beforeEach(() => {
    for (const m of Object.values(rig.mocks)) m.reset();
  });

  async function post(body: Body): Promise<Reply> {
    const res = await request(`${rig.gw.url}/v1/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-client' },
      body: JSON.stringify(body),
    });
    return { status: res.statusCode, headers: res.headers, body: (await res.body.json()) as Body };
  }

  const providerCalls = (): number => Object.values(rig.mocks).reduce((n, m) => n + m.requests.length, 0);

  /** A 400 in the Responses error format ({error: {message, type, param, code}}) that names `param`. */
  function assertRefused(reply: Reply, param: string, code: string | null = null): void {
    assert.equal(reply.status, 400, JSON.stringify(reply.body));
    const error = reply.body.error as Body;
    assert.deepEqual(Object.keys(error).sort(), ['code', 'message', 'param', 'type']);
    assert.equal(error.type, 'invalid_request_error');
    assert.equal(error.param, param);
    assert.equal(error.code, code);
    assert.equal(typeof error.message, 'string');
    assert.equal(providerCalls(), 0, 'no provider was called');
  }

  for (const model of ['openai/gpt-5', 'vllm/qwen3', 'anthropic/claude-sonnet-4-6']) {
    describe(model, () => {
      it('a malformed input: neither a string nor items', async () => {
        assertRefused(await post({ model, input: 42 }), 'input');
      });

      it('a malformed input: a message without a valid role, a text part without its text', async () => {
        assertRefused(await post({ model, input: [{ type: 'message', role: 'robot', content: 'hi' }] }), 'input[0].role');
        assertRefused(await post({ model, input: [{ role: 'user', content: [{ type: 'input_text' }] }] }), 'input[0].content[0].text');
      });

      it('an unknown item type', async () => {
        assertRefused(await post({ model, input: [{ role: 'user', content: 'hi' }, { type: 'telepathy', thought: 'hi' }] }), 'input[1].type');
      });

      it('a previous_response_id that does not exist: what OpenAI answers', async () => {
        const reply = await post({ model, input: 'more', previous_response_id: 'resp_doesnotexist' });
        assertRefused(reply, 'previous_response_id', 'previous_response_not_found');
        assert.equal((reply.body.error as Body).message, "Previous response with id 'resp_doesnotexist' not found.");
      });

      it('background mode', async () => {
        assertRefused(await post({ model, input: 'hi', background: true }), 'background', 'unsupported_field');
      });
    });
  }

  for (const model of ['vllm/qwen3', 'anthropic/claude-sonnet-4-6']) {
    it(`a forced built-in tool on a translated target (${model}) is a contract: refused`, async () => {
      assertRefused(await post({ model, input: 'news?', tools: [{ type: 'web_search' }], tool_choice: { type: 'web_search' } }), 'tool_choice', 'unsupported_field');
    });

    it(`an offered built-in tool on a translated target (${model}) is a hint: dropped and named`, async () => {
      const reply = await post({ model, input: 'news?', tools: [{ type: 'web_search' }], include: ['reasoning.encrypted_content'], reasoning: { summary: 'auto' } });
      assert.equal(reply.status, 200, JSON.stringify(reply.body));
      const dropped = String(reply.headers['x-switchyard-dropped']).split(',');
      for (const hint of ['include', 'reasoning.summary', 'tools.web_search']) assert.ok(dropped.includes(hint), `${hint} in ${dropped.join(',')}`);
      assert.equal(providerCalls(), 1);
    });
  }
});
