// The official `openai` SDK as a client of the gateway, against an
// OpenAI-format provider (pass-through) and an Anthropic-format provider
// (translated both ways), with the same cases for each.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import type { ChatCompletionChunk, ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { DEFAULT_MAX_TOKENS } from '../../src/dialects/index.js';
import { startSdkRig, TARGETS, timeTool, weatherTool, type SdkRig } from './harness.js';

const tools: ChatCompletionTool[] = [
  { type: 'function', function: { ...weatherTool, parameters: { ...weatherTool.parameters, required: [...weatherTool.parameters.required] } } },
  { type: 'function', function: { ...timeTool, parameters: { ...timeTool.parameters, required: [...timeTool.parameters.required] } } },
];

type Body = Record<string, unknown>;
const messagesOf = (body: Body): Body[] => body.messages as Body[];

for (const target of TARGETS) {
  const translated = target.format === 'anthropic';

  describe(`openai SDK → ${target.format}-format provider`, () => {
    let rig: SdkRig;
    let client: OpenAI;
    before(async () => {
      rig = await startSdkRig();
      client = rig.openai;
    });
    after(() => rig.close());
    const mock = () => rig.mocks[target.format];

    it('non-streaming: system prompt, image, parameters, text and usage', async () => {
      mock().reply({ kind: 'answer', text: 'Bonjour !', usage: { input: 20, output: 5, cacheRead: 8, ...(translated ? { cacheWrite: 4 } : {}) } });
      const image = 'data:image/png;base64,iVBORw0KGgo=';
      const { data: res, response } = await client.chat.completions
        .create({
          model: target.model,
          messages: [
            { role: 'system', content: 'Answer in French.' },
            { role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: image } }] },
          ],
          max_tokens: 50,
          temperature: 0.5,
          top_p: 0.9,
          user: 'user-1',
        })
        .withResponse();
      assert.equal(response.headers.get('x-switchyard-model'), target.model);
      assert.equal(res.object, 'chat.completion');
      assert.equal(res.model, target.upstreamModel);
      assert.equal(res.choices[0]!.message.role, 'assistant');
      assert.equal(res.choices[0]!.message.content, 'Bonjour !');
      assert.equal(res.choices[0]!.finish_reason, 'stop');
      // Anthropic's input_tokens excludes cache reads and writes; OpenAI's prompt_tokens includes them.
      const prompt = translated ? 20 + 8 + 4 : 20 + 8;
      assert.deepEqual(
        [res.usage?.prompt_tokens, res.usage?.completion_tokens, res.usage?.total_tokens, res.usage?.prompt_tokens_details?.cached_tokens],
        [prompt, 5, prompt + 5, 8],
      );

      const seen = mock().last();
      assert.equal(seen.body.model, target.upstreamModel);
      if (translated) {
        assert.equal(seen.headers['x-api-key'], target.accessKey);
        assert.equal(seen.body.system, 'Answer in French.');
        assert.deepEqual(seen.body.messages, [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is this?' },
              { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
            ],
          },
        ]);
        assert.deepEqual([seen.body.max_tokens, seen.body.temperature, seen.body.top_p], [50, 0.5, 0.9]);
        assert.deepEqual(seen.body.metadata, { user_id: 'user-1' });
      } else {
        assert.equal(seen.headers['authorization'], `Bearer ${target.accessKey}`);
        assert.deepEqual(messagesOf(seen.body)[0], { role: 'system', content: 'Answer in French.' });
        assert.equal(seen.body.user, 'user-1');
      }
    });

    it(`max_tokens: ${translated ? `defaults to ${DEFAULT_MAX_TOKENS}` : 'left to the provider'} when the client sends none`, async () => {
      await client.chat.completions.create({ model: target.model, messages: [{ role: 'user', content: 'hi' }] });
      assert.equal(mock().last().body.max_tokens, translated ? DEFAULT_MAX_TOKENS : undefined);
      await client.chat.completions.create({ model: target.model, messages: [{ role: 'user', content: 'hi' }], max_completion_tokens: 77 });
      const seen = mock().last().body;
      assert.equal(translated ? seen.max_tokens : seen.max_completion_tokens, 77);
    });

    it('stop sequences reach the provider and end the answer', async () => {
      mock().reply({ kind: 'answer', text: 'alpha beta END gamma' });
      const res = await client.chat.completions.create({ model: target.model, messages: [{ role: 'user', content: 'go' }], stop: ['END', 'HALT'] });
      assert.equal(res.choices[0]!.message.content, 'alpha beta ');
      assert.equal(res.choices[0]!.finish_reason, 'stop');
      assert.deepEqual(translated ? mock().last().body.stop_sequences : mock().last().body.stop, ['END', 'HALT']);
    });

    it('streaming: the stream helper accumulates the answer, and usage arrives last when asked for', async () => {
      mock().reply({ kind: 'answer', text: 'The quick brown fox jumps.', usage: { input: 9, output: 6 } });
      const chunks: ChatCompletionChunk[] = [];
      const stream = client.chat.completions.stream({
        model: target.model,
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'A sentence, please.' },
        ],
        stream_options: { include_usage: true },
      });
      stream.on('chunk', (c) => chunks.push(c));
      const final = await stream.finalChatCompletion();
      assert.equal(final.choices[0]!.message.content, 'The quick brown fox jumps.');
      assert.equal(final.choices[0]!.finish_reason, 'stop');
      assert.deepEqual([final.usage?.prompt_tokens, final.usage?.completion_tokens, final.usage?.total_tokens], [9, 6, 15]);
      // Incremental: one chunk per word, not one chunk with everything.
      assert.ok(chunks.filter((c) => c.choices[0]?.delta.content).length >= 5);
      const last = chunks.at(-1)!;
      assert.deepEqual(last.choices, []);
      assert.ok(chunks.slice(0, -1).every((c) => c.usage === null));
      assert.equal(new Set(chunks.map((c) => c.id)).size, 1);

      const seen = mock().last().body;
      assert.equal(seen.stream, true);
      if (translated) assert.equal(seen.system, 'Be brief.');
      else assert.deepEqual(seen.stream_options, { include_usage: true });
    });

    it('streaming without stream_options.include_usage sends no usage chunk', async () => {
      mock().reply({ kind: 'answer', text: 'No usage here.' });
      const chunks: ChatCompletionChunk[] = [];
      const stream = client.chat.completions.stream({ model: target.model, messages: [{ role: 'user', content: 'hi' }] });
      stream.on('chunk', (c) => chunks.push(c));
      const final = await stream.finalChatCompletion();
      assert.equal(final.choices[0]!.message.content, 'No usage here.');
      assert.ok(chunks.length > 2);
      assert.ok(chunks.every((c) => c.usage === undefined || c.usage === null));
      assert.ok(chunks.every((c) => c.choices.length === 1));
    });

    it('a tool call, then its result sent back', async () => {
      mock().reply({ kind: 'answer', toolCalls: [{ name: 'get_weather', input: { city: 'Paris' } }] });
      const messages: ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Paris?' }];
      const first = await client.chat.completions.create({
        model: target.model,
        messages,
        tools,
        tool_choice: { type: 'function', function: { name: 'get_weather' } },
      });
      const choice = first.choices[0]!;
      assert.equal(choice.finish_reason, 'tool_calls');
      const call = choice.message.tool_calls?.[0];
      assert.ok(call && call.type === 'function');
      assert.equal(call.function.name, 'get_weather');
      assert.deepEqual(JSON.parse(call.function.arguments), { city: 'Paris' });
      const asked = mock().last().body;
      if (translated) {
        assert.deepEqual((asked.tools as Body[])[0], { name: 'get_weather', description: weatherTool.description, input_schema: weatherTool.parameters });
        assert.deepEqual(asked.tool_choice, { type: 'tool', name: 'get_weather' });
      } else {
        assert.deepEqual(asked.tools, tools);
      }

      mock().reply({ kind: 'answer', text: 'It is 18 °C in Paris.' });
      messages.push(choice.message, { role: 'tool', tool_call_id: call.id, content: '18 °C, sunny' });
      const second = await client.chat.completions.create({ model: target.model, messages, tools });
      assert.equal(second.choices[0]!.message.content, 'It is 18 °C in Paris.');
      const sent = messagesOf(mock().last().body);
      if (translated) {
        assert.deepEqual(sent[1], { role: 'assistant', content: [{ type: 'tool_use', id: call.id, name: 'get_weather', input: { city: 'Paris' } }] });
        assert.deepEqual(sent[2], { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: '18 °C, sunny' }] });
      } else {
        assert.deepEqual(sent[2], { role: 'tool', tool_call_id: call.id, content: '18 °C, sunny' });
      }
    });

    it('parallel tool calls, streamed, and both results sent back together', async () => {
      mock().reply({
        kind: 'answer',
        text: 'Let me check both.',
        toolCalls: [
          { name: 'get_weather', input: { city: 'Oslo' } },
          { name: 'get_time', input: { zone: 'Europe/Oslo' } },
        ],
      });
      const messages: ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather and time in Oslo?' }];
      const final = await client.chat.completions.stream({ model: target.model, messages, tools, tool_choice: 'required' }).finalChatCompletion();
      const message = final.choices[0]!.message;
      assert.equal(final.choices[0]!.finish_reason, 'tool_calls');
      assert.equal(message.content, 'Let me check both.');
      const calls = (message.tool_calls ?? []).map((c) => ({ id: c.id, name: c.function.name, args: JSON.parse(c.function.arguments) as unknown }));
      assert.deepEqual(
        calls.map((c) => [c.name, c.args]),
        [
          ['get_weather', { city: 'Oslo' }],
          ['get_time', { zone: 'Europe/Oslo' }],
        ],
      );
      assert.notEqual(calls[0]?.id, calls[1]?.id);
      if (translated) assert.deepEqual(mock().last().body.tool_choice, { type: 'any' });

      mock().reply({ kind: 'answer', text: 'Cold, and late.' });
      messages.push(
        { role: 'assistant', content: message.content, tool_calls: message.tool_calls ?? [] },
        { role: 'tool', tool_call_id: calls[0]!.id, content: '-3 °C' },
        { role: 'tool', tool_call_id: calls[1]!.id, content: '23:10' },
      );
      const second = await client.chat.completions.create({ model: target.model, messages, tools });
      assert.equal(second.choices[0]!.message.content, 'Cold, and late.');
      const sent = messagesOf(mock().last().body);
      if (translated) {
        // Both results in one user turn, as Anthropic requires.
        assert.equal(sent.length, 3);
        assert.deepEqual(sent[2], {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: calls[0]!.id, content: '-3 °C' },
            { type: 'tool_result', tool_use_id: calls[1]!.id, content: '23:10' },
          ],
        });
      } else {
        assert.deepEqual(sent.slice(2).map((m) => m.tool_call_id), [calls[0]!.id, calls[1]!.id]);
      }
    });

    it("an upstream error reaches the SDK as its error class, with the provider's status and message", async () => {
      mock().reply({ kind: 'error', status: 429, message: 'Rate limit reached for requests' });
      await assert.rejects(client.chat.completions.create({ model: target.model, messages: [{ role: 'user', content: 'hi' }] }), (err: unknown) => {
        assert.ok(err instanceof OpenAI.RateLimitError, String(err));
        assert.equal(err.status, 429);
        assert.equal(err.message, '429 Rate limit reached for requests');
        return true;
      });
      mock().reply({ kind: 'error', status: 400, message: 'prompt is too long: 250000 tokens > 200000 maximum' });
      await assert.rejects(
        client.chat.completions.stream({ model: target.model, messages: [{ role: 'user', content: 'hi' }] }).finalChatCompletion(),
        (err: unknown) => {
          assert.ok(err instanceof OpenAI.BadRequestError, String(err));
          assert.equal(err.message, '400 prompt is too long: 250000 tokens > 200000 maximum');
          return true;
        },
      );
      mock().reply({ kind: 'error', status: translated ? 529 : 503, message: 'Overloaded' });
      await assert.rejects(client.chat.completions.create({ model: target.model, messages: [{ role: 'user', content: 'hi' }] }), (err: unknown) => {
        assert.ok(err instanceof OpenAI.InternalServerError, String(err));
        assert.equal(err.status, translated ? 529 : 503);
        assert.equal(err.message, `${err.status} Overloaded`);
        return true;
      });
    });

    it(translated ? 'n: 2 is refused with a 400 naming the field, before any provider call' : 'n: 2 is passed through', async () => {
      const before = mock().requests.length;
      const call = client.chat.completions.create({ model: target.model, messages: [{ role: 'user', content: 'hi' }], n: 2 });
      if (!translated) {
        await call;
        assert.equal(mock().last().body.n, 2);
        return;
      }
      await assert.rejects(call, (err: unknown) => {
        assert.ok(err instanceof OpenAI.BadRequestError, String(err));
        assert.equal(err.status, 400);
        assert.equal(err.param, 'n');
        assert.match(err.message, /"n" = 2 cannot be expressed for Anthropic models.*\(field: n\)/);
        return true;
      });
      assert.equal(mock().requests.length, before);
    });
  });
}
