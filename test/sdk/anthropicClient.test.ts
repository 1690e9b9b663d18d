// The official `@anthropic-ai/sdk` SDK as a client of the gateway, against an
// Anthropic-format provider (pass-through) and an OpenAI-format provider
// (translated both ways), with the same cases for each.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import type { MessageParam, RawMessageStreamEvent, Tool } from '@anthropic-ai/sdk/resources/messages';
import { startSdkRig, TARGETS, timeTool, weatherTool, type SdkRig } from './harness.js';

const asTool = (t: typeof weatherTool | typeof timeTool): Tool => ({
  name: t.name,
  description: t.description,
  input_schema: { ...t.parameters, required: [...t.parameters.required] },
});
const tools: Tool[] = [asTool(weatherTool), asTool(timeTool)];

type Body = Record<string, unknown>;
const messagesOf = (body: Body): Body[] => body.messages as Body[];

/** Block contents in a comparable form: text, or [name, input] for a tool use. */
const contentOf = (message: Anthropic.Message): unknown[] =>
  message.content.map((b) => (b.type === 'text' ? b.text : b.type === 'tool_use' ? [b.name, b.input] : b.type));

// An Anthropic client gets Anthropic's own models first; the same cases then run against an OpenAI-format provider.
for (const target of [...TARGETS].reverse()) {
  const translated = target.format === 'openai';

  describe(`@anthropic-ai/sdk → ${target.format}-format provider`, () => {
    let rig: SdkRig;
    let client: Anthropic;
    before(async () => {
      rig = await startSdkRig();
      client = rig.anthropic;
    });
    after(() => rig.close());
    const mock = () => rig.mocks[target.format];

    it('non-streaming: system prompt, image, parameters, text and usage', async () => {
      mock().reply({ kind: 'answer', text: 'Bonjour !', usage: { input: 20, output: 5, cacheRead: 8, ...(translated ? {} : { cacheWrite: 4 }) } });
      const { data: res, response } = await client.messages
        .create({
          model: target.model,
          max_tokens: 50,
          system: 'Answer in French.',
          messages: [
            {
              role: 'user',
              content: [
                { type: 'text', text: 'What is this?' },
                { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
              ],
            },
          ],
          temperature: 0.5,
          top_p: 0.9,
          metadata: { user_id: 'user-1' },
        })
        .withResponse();
      assert.equal(response.headers.get('x-switchyard-model'), target.model);
      assert.equal(res.type, 'message');
      assert.equal(res.role, 'assistant');
      assert.equal(res.model, target.upstreamModel);
      assert.deepEqual(contentOf(res), ['Bonjour !']);
      assert.equal(res.stop_reason, 'end_turn');
      // OpenAI reports cached tokens inside prompt_tokens and no cache writes.
      assert.deepEqual(
        [res.usage.input_tokens, res.usage.output_tokens, res.usage.cache_read_input_tokens, res.usage.cache_creation_input_tokens],
        [20, 5, 8, translated ? 0 : 4],
      );

      const seen = mock().last();
      assert.equal(seen.body.model, target.upstreamModel);
      if (translated) {
        assert.equal(seen.headers['authorization'], `Bearer ${target.accessKey}`);
        assert.deepEqual(seen.body.messages, [
          { role: 'system', content: 'Answer in French.' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is this?' },
              { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            ],
          },
        ]);
        assert.deepEqual([seen.body.max_tokens, seen.body.temperature, seen.body.top_p, seen.body.user], [50, 0.5, 0.9, 'user-1']);
      } else {
        assert.equal(seen.headers['x-api-key'], target.accessKey);
        assert.equal(seen.body.system, 'Answer in French.');
        assert.deepEqual(seen.body.metadata, { user_id: 'user-1' });
      }
    });

    it(
      translated
        ? 'stop sequences reach the provider; the matched one is not reported (OpenAI has no field for it)'
        : 'stop sequences reach the provider, and the matched one is reported',
      async () => {
        mock().reply({ kind: 'answer', text: 'alpha beta END gamma' });
        const res = await client.messages.create({
          model: target.model,
          max_tokens: 20,
          messages: [{ role: 'user', content: 'go' }],
          stop_sequences: ['END', 'HALT'],
        });
        assert.deepEqual(contentOf(res), ['alpha beta ']);
        assert.equal(res.stop_reason, translated ? 'end_turn' : 'stop_sequence');
        assert.equal(res.stop_sequence, translated ? null : 'END');
        assert.deepEqual(translated ? mock().last().body.stop : mock().last().body.stop_sequences, ['END', 'HALT']);
      },
    );

    it('max_tokens hit: stop_reason max_tokens', async () => {
      mock().reply({ kind: 'answer', text: 'cut short', truncated: true });
      const res = await client.messages.create({ model: target.model, max_tokens: 2, messages: [{ role: 'user', content: 'go' }] });
      assert.equal(res.stop_reason, 'max_tokens');
    });

    it('streaming: the stream helper accumulates the answer, with usage', async () => {
      mock().reply({ kind: 'answer', text: 'The quick brown fox jumps.', usage: { input: 9, output: 6 } });
      const events: RawMessageStreamEvent[] = [];
      const texts: string[] = [];
      const stream = client.messages.stream({
        model: target.model,
        max_tokens: 64,
        system: 'Be brief.',
        messages: [{ role: 'user', content: 'A sentence, please.' }],
      });
      stream.on('streamEvent', (ev) => events.push(ev));
      stream.on('text', (t) => texts.push(t));
      const final = await stream.finalMessage();
      assert.deepEqual(contentOf(final), ['The quick brown fox jumps.']);
      assert.equal(final.stop_reason, 'end_turn');
      assert.deepEqual([final.usage.input_tokens, final.usage.output_tokens], [9, 6]);
      // Incremental: one text delta per word, not one with everything.
      assert.ok(texts.length >= 5, `text deltas: ${texts.length}`);
      assert.equal(events[0]?.type, 'message_start');
      assert.equal(events.at(-1)?.type, 'message_stop');
      assert.equal(events.filter((e) => e.type === 'message_start').length, 1);

      const seen = mock().last().body;
      assert.equal(seen.stream, true);
      if (translated) {
        // Anthropic clients always get usage, so the OpenAI provider is asked for it.
        assert.deepEqual(seen.stream_options, { include_usage: true });
        assert.deepEqual(messagesOf(seen)[0], { role: 'system', content: 'Be brief.' });
      }
    });

    it('a tool use, then its tool_result sent back', async () => {
      mock().reply({ kind: 'answer', toolCalls: [{ name: 'get_weather', input: { city: 'Paris' } }] });
      const messages: MessageParam[] = [{ role: 'user', content: 'Weather in Paris?' }];
      const first = await client.messages.create({
        model: target.model,
        max_tokens: 100,
        messages,
        tools,
        tool_choice: { type: 'tool', name: 'get_weather' },
      });
      assert.equal(first.stop_reason, 'tool_use');
      const use = first.content.find((b) => b.type === 'tool_use');
      assert.ok(use?.type === 'tool_use');
      assert.deepEqual([use.name, use.input], ['get_weather', { city: 'Paris' }]);
      const asked = mock().last().body;
      if (translated) {
        assert.deepEqual((asked.tools as Body[])[0], { type: 'function', function: weatherTool });
        assert.deepEqual(asked.tool_choice, { type: 'function', function: { name: 'get_weather' } });
      } else {
        assert.deepEqual(asked.tools, tools);
      }

      mock().reply({ kind: 'answer', text: 'It is 18 °C in Paris.' });
      messages.push(
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: '18 °C, sunny' }] },
      );
      const second = await client.messages.create({ model: target.model, max_tokens: 100, messages, tools });
      assert.deepEqual(contentOf(second), ['It is 18 °C in Paris.']);
      const sent = messagesOf(mock().last().body);
      if (translated) {
        assert.deepEqual(sent[1], {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: use.id, type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
        });
        assert.deepEqual(sent[2], { role: 'tool', tool_call_id: use.id, content: '18 °C, sunny' });
      } else {
        assert.deepEqual(sent[2], { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: '18 °C, sunny' }] });
      }
    });

    it('parallel tool uses, streamed, and both results sent back together', async () => {
      mock().reply({
        kind: 'answer',
        text: 'Let me check both.',
        toolCalls: [
          { name: 'get_weather', input: { city: 'Oslo' } },
          { name: 'get_time', input: { zone: 'Europe/Oslo' } },
        ],
      });
      const messages: MessageParam[] = [{ role: 'user', content: 'Weather and time in Oslo?' }];
      const final = await client.messages.stream({ model: target.model, max_tokens: 200, messages, tools, tool_choice: { type: 'any' } }).finalMessage();
      assert.equal(final.stop_reason, 'tool_use');
      assert.deepEqual(contentOf(final), [
        'Let me check both.',
        ['get_weather', { city: 'Oslo' }],
        ['get_time', { zone: 'Europe/Oslo' }],
      ]);
      const ids = final.content.flatMap((b) => (b.type === 'tool_use' ? [b.id] : []));
      assert.equal(new Set(ids).size, 2);
      if (translated) assert.equal(mock().last().body.tool_choice, 'required');

      mock().reply({ kind: 'answer', text: 'Cold, and late.' });
      messages.push(
        { role: 'assistant', content: final.content },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: ids[0]!, content: '-3 °C' },
            { type: 'tool_result', tool_use_id: ids[1]!, content: '23:10' },
          ],
        },
      );
      const second = await client.messages.create({ model: target.model, max_tokens: 100, messages, tools });
      assert.deepEqual(contentOf(second), ['Cold, and late.']);
      const sent = messagesOf(mock().last().body);
      if (translated) {
        assert.deepEqual(sent.slice(1).map((m) => [m.role, m.tool_call_id ?? (m.tool_calls as Body[] | undefined)?.length]), [
          ['assistant', 2],
          ['tool', ids[0]],
          ['tool', ids[1]],
        ]);
      } else {
        assert.equal(sent.length, 3);
      }
    });

    it("an upstream error reaches the SDK as its error class, with the provider's status and message", async () => {
      mock().reply({ kind: 'error', status: 429, message: 'Number of request tokens has exceeded your rate limit' });
      await assert.rejects(client.messages.create({ model: target.model, max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }), (err: unknown) => {
        assert.ok(err instanceof Anthropic.RateLimitError, String(err));
        assert.equal(err.status, 429);
        assert.deepEqual((err.error as Body).error, { type: 'rate_limit_error', message: 'Number of request tokens has exceeded your rate limit' });
        return true;
      });
      mock().reply({ kind: 'error', status: 400, message: 'prompt is too long' });
      await assert.rejects(
        client.messages.stream({ model: target.model, max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }).finalMessage(),
        (err: unknown) => {
          assert.ok(err instanceof Anthropic.BadRequestError, String(err));
          assert.deepEqual((err.error as Body).error, { type: 'invalid_request_error', message: 'prompt is too long' });
          return true;
        },
      );
      mock().reply({ kind: 'error', status: translated ? 503 : 529, message: 'Overloaded' });
      await assert.rejects(client.messages.create({ model: target.model, max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }), (err: unknown) => {
        assert.ok(err instanceof Anthropic.InternalServerError, String(err));
        assert.equal(err.status, translated ? 503 : 529);
        assert.deepEqual((err.error as Body).error, { type: translated ? 'api_error' : 'overloaded_error', message: 'Overloaded' });
        return true;
      });
    });

    it(translated ? 'top_k is refused with a 400 naming the field, before any provider call' : 'top_k is passed through', async () => {
      const before = mock().requests.length;
      const call = client.messages.create({ model: target.model, max_tokens: 5, messages: [{ role: 'user', content: 'hi' }], top_k: 5 });
      if (!translated) {
        await call;
        assert.equal(mock().last().body.top_k, 5);
        return;
      }
      await assert.rejects(call, (err: unknown) => {
        assert.ok(err instanceof Anthropic.BadRequestError, String(err));
        assert.equal(err.status, 400);
        assert.deepEqual((err.error as Body).error, {
          type: 'invalid_request_error',
          message: '"top_k" = 5 cannot be expressed for OpenAI-format models when sending to openai/gpt-4o (field: top_k)',
        });
        return true;
      });
      assert.equal(mock().requests.length, before);
    });
  });
}
