// The official `openai` SDK's Responses API through the gateway, against a
// native Responses provider, a Chat Completions provider and a Messages
// provider, with the same cases for each: create, stream (the SDK's
// accumulated final response), a function-tool round trip chained by
// previous_response_id, text.format json_schema, retrieve and delete.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import type { FunctionTool, ResponseFunctionToolCall } from 'openai/resources/responses/responses';
import { RESPONSES_TARGETS, startResponsesRig, type ResponsesRig } from './responsesHarness.js';

type Body = Record<string, unknown>;

const weather: FunctionTool = {
  type: 'function',
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
  strict: true,
};

describe('openai SDK → /v1/responses', () => {
  let rig: ResponsesRig;
  before(async () => {
    rig = await startResponsesRig();
  });
  after(() => rig.close());
  beforeEach(() => {
    for (const m of Object.values(rig.mocks)) m.reset();
  });

  for (const target of RESPONSES_TARGETS) {
    const mock = () => rig.mocks[target.wire];

    describe(`served ${target.way === 'native' ? 'natively' : `as ${target.way === 'chat' ? 'Chat Completions' : 'Messages'}`}`, () => {
      it('create: text, usage, the answering model and the gateway id', async () => {
        mock().reply({ kind: 'answer', text: 'Bonjour !', usage: { input: 20, output: 5 } });
        const { data: r, response } = await rig.openai.responses
          .create({ model: target.model, instructions: 'Answer in French.', input: 'Hello', max_output_tokens: 50, temperature: 0.5 })
          .withResponse();
        assert.equal(response.headers.get('x-switchyard-model'), target.model);
        assert.equal(r.object, 'response');
        assert.match(r.id, /^resp_[0-9a-f]{48}$/);
        assert.equal(r.status, 'completed');
        assert.equal(r.model, target.upstreamModel);
        assert.equal(r.output_text, 'Bonjour !');
        assert.equal(r.usage?.input_tokens, 20);
        assert.equal(r.usage.output_tokens, 5);
        assert.equal(r.instructions, 'Answer in French.');

        const seen = mock().last().body;
        assert.equal(seen.model, target.upstreamModel);
        if (target.way === 'native') {
          assert.equal(seen.input, 'Hello');
          assert.equal(seen.instructions, 'Answer in French.');
        } else if (target.way === 'chat') {
          assert.deepEqual(seen.messages, [{ role: 'system', content: 'Answer in French.' }, { role: 'user', content: 'Hello' }]);
          assert.equal(seen.max_tokens, 50);
        } else {
          assert.equal(seen.system, 'Answer in French.');
          assert.deepEqual(seen.messages, [{ role: 'user', content: 'Hello' }]);
          assert.equal(seen.max_tokens, 50);
        }
      });

      it('stream: the SDK accumulates the final response; sequence numbers increase by one', async () => {
        mock().reply({ kind: 'answer', text: 'One two three four.', usage: { input: 9, output: 4 } });
        const stream = rig.openai.responses.stream({ model: target.model, input: [{ role: 'user', content: 'Count' }] });
        const events: { type: string; sequence_number: number }[] = [];
        for await (const ev of stream) events.push(ev);
        const final = await stream.finalResponse();
        assert.equal(final.output_text, 'One two three four.');
        assert.equal(final.status, 'completed');
        assert.equal(final.model, target.upstreamModel);
        assert.equal(final.usage?.output_tokens, 4);
        assert.deepEqual(events.map((e) => e.sequence_number), events.map((_, i) => i));
        assert.equal(events[0]?.type, 'response.created');
        assert.equal(events.at(-1)?.type, 'response.completed');
        assert.ok(events.some((e) => e.type === 'response.output_text.delta'));
        // The stored response is the one the stream completed with.
        const stored = await rig.openai.responses.retrieve(final.id);
        assert.equal(stored.output_text, 'One two three four.');
      });

      it('a function-tool round trip chained by previous_response_id', async () => {
        mock().reply({ kind: 'answer', toolCalls: [{ name: 'get_weather', input: { city: 'Paris' } }] });
        const first = await rig.openai.responses.create({ model: target.model, input: 'Weather in Paris?', tools: [weather] });
        const call = first.output.find((o): o is ResponseFunctionToolCall => o.type === 'function_call');
        assert.ok(call, 'a function_call item');
        assert.equal(call.name, 'get_weather');
        assert.deepEqual(JSON.parse(call.arguments), { city: 'Paris' });

        mock().reply({ kind: 'answer', text: 'It is sunny in Paris.' });
        const second = await rig.openai.responses.create({
          model: target.model,
          previous_response_id: first.id,
          input: [{ type: 'function_call_output', call_id: call.call_id, output: '{"sky":"sunny"}' }],
          tools: [weather],
        });
        assert.equal(second.output_text, 'It is sunny in Paris.');
        assert.equal(second.previous_response_id, first.id);

        const seen = mock().last().body;
        assert.equal(seen.previous_response_id, undefined, 'the provider never sees previous_response_id');
        if (target.way === 'native') {
          const input = seen.input as Body[];
          assert.deepEqual(input.map((i) => i.type ?? 'message'), ['message', 'function_call', 'function_call_output']);
          assert.equal(input[1]?.call_id, call.call_id);
        } else if (target.way === 'chat') {
          const messages = seen.messages as Body[];
          assert.deepEqual(messages.map((m) => m.role), ['user', 'assistant', 'tool']);
          assert.equal(messages[2]?.tool_call_id, call.call_id);
        } else {
          const messages = seen.messages as { role: string; content: Body[] }[];
          assert.deepEqual(messages.map((m) => m.role), ['user', 'assistant', 'user']);
          assert.equal(messages[1]?.content[0]?.type, 'tool_use');
          assert.equal(messages[2]?.content[0]?.tool_use_id, call.call_id);
        }
      });

      it('text.format json_schema', async () => {
        const format = { type: 'json_schema' as const, name: 'city', schema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'], additionalProperties: false }, strict: true };
        if (target.way === 'messages') {
          await assert.rejects(rig.openai.responses.create({ model: target.model, input: 'A city', text: { format } }), (err: unknown) => {
            assert.ok(err instanceof OpenAI.BadRequestError);
            assert.equal((err.error as Body).param, 'text.format');
            return true;
          });
          assert.equal(mock().requests.length, 0, 'a refused contract never reaches the provider');
          return;
        }
        mock().reply({ kind: 'answer', text: '{"name":"Paris"}' });
        const r = await rig.openai.responses.create({ model: target.model, input: 'A city', text: { format } });
        assert.deepEqual(JSON.parse(r.output_text), { name: 'Paris' });
        assert.deepEqual(r.text?.format, format);
        const seen = mock().last().body;
        if (target.way === 'native') assert.deepEqual((seen.text as Body).format, format);
        else assert.deepEqual(seen.response_format, { type: 'json_schema', json_schema: { name: 'city', schema: format.schema, strict: true } });
      });

      it('retrieve and delete', async () => {
        const created = await rig.openai.responses.create({ model: target.model, input: 'Keep this' });
        const got = await rig.openai.responses.retrieve(created.id);
        assert.equal(got.id, created.id);
        assert.equal(got.output_text, created.output_text);
        await rig.openai.responses.delete(created.id);
        await assert.rejects(rig.openai.responses.retrieve(created.id), OpenAI.NotFoundError);
        await assert.rejects(
          rig.openai.responses.create({ model: target.model, previous_response_id: created.id, input: 'more' }),
          (err: unknown) => err instanceof OpenAI.BadRequestError && (err.error as Body).code === 'previous_response_not_found',
        );
      });
    });
  }
});
