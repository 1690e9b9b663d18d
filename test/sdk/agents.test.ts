// The OpenAI Agents SDK for JS (@openai/agents) in its default Responses mode,
// pointed at the gateway: a small agent with one function tool runs to its
// final answer, the tool really executed by the SDK in between. Served
// natively (a Responses API mock) and translated (a Messages mock), streamed
// and not, since the SDK uses both.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, OpenAIProvider, Runner, tool } from '@openai/agents';
import { RESPONSES_TARGETS, startResponsesRig, type ResponsesRig } from './responsesHarness.js';

type Body = Record<string, unknown>;

describe('@openai/agents (Responses mode) → /v1/responses', () => {
  let rig: ResponsesRig;
  let runner: Runner;
  before(async () => {
    rig = await startResponsesRig();
    // The SDK's own openai client (its pinned version), as a user gets it from
    // baseURL. useResponses is its default; stated so the test cannot drift to Chat Completions.
    const modelProvider = new OpenAIProvider({ baseURL: `${rig.gw.url}/v1`, apiKey: 'sk-client', useResponses: true });
    runner = new Runner({ modelProvider, tracingDisabled: true });
  });
  after(() => rig.close());
  beforeEach(() => {
    for (const m of Object.values(rig.mocks)) m.reset();
  });

  function weatherAgent(model: string, calls: string[]): Agent {
    const getWeather = tool({
      name: 'get_weather',
      description: 'Current weather for a city',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
      strict: true,
      execute: (input) => {
        const { city } = input as { city: string };
        calls.push(city);
        return `sunny in ${city}`;
      },
    });
    return new Agent({ name: 'Weather', instructions: 'Answer with the weather tool.', model, tools: [getWeather] });
  }

  for (const target of RESPONSES_TARGETS.filter((t) => t.way !== 'chat')) {
    for (const stream of [false, true]) {
      it(`served ${target.way === 'native' ? 'natively' : 'as Messages'}, ${stream ? 'streamed' : 'not streamed'}: the tool runs and the agent answers`, async () => {
        const mock = rig.mocks[target.wire];
        mock.reply({ kind: 'answer', toolCalls: [{ name: 'get_weather', input: { city: 'Paris' } }] }, { kind: 'answer', text: 'It is sunny in Paris.' });
        const calls: string[] = [];
        const agent = weatherAgent(target.model, calls);
        let finalOutput: unknown;
        if (stream) {
          const streamed = await runner.run(agent, 'Weather in Paris?', { stream: true });
          // Draining the stream is what drives a streamed run to its end.
          const types = new Set<string>();
          for await (const ev of streamed.toStream()) types.add(ev.type);
          await streamed.completed;
          assert.ok(types.has('raw_model_stream_event'), "the model's events streamed through");
          finalOutput = streamed.finalOutput;
        } else {
          finalOutput = (await runner.run(agent, 'Weather in Paris?')).finalOutput;
        }
        assert.equal(finalOutput, 'It is sunny in Paris.');
        assert.deepEqual(calls, ['Paris']);

        assert.equal(mock.requests.length, 2);
        const second = mock.requests[1]?.body ?? {};
        assert.equal(second.model, target.upstreamModel);
        if (target.way === 'native') {
          const input = second.input as Body[];
          const output = input.find((i) => i.type === 'function_call_output');
          assert.equal(output?.output, 'sunny in Paris');
        } else {
          const messages = second.messages as { role: string; content: Body[] | string }[];
          const last = messages.at(-1);
          assert.equal(last?.role, 'user');
          const result = (last.content as Body[]).find((b) => b.type === 'tool_result');
          assert.ok(result, 'the tool output reaches the Messages provider as a tool_result');
        }
      });
    }
  }
});
