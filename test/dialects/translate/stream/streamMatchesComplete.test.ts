// Property: for any answer a provider gives, translating its streamed form and
// accumulating the result with the client's official SDK yields the same
// message as translating its complete (non-streaming) form. The provider's two
// forms come from the mock providers' wire renderers, so they are the shapes
// the real APIs document.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ChatCompletionStream } from 'openai/lib/ChatCompletionStream';
import { MessageStream } from '@anthropic-ai/sdk/lib/MessageStream';
import type { AnthropicResponse } from '../../../../src/dialects/anthropic/types.js';
import type { OpenAIResponse } from '../../../../src/dialects/openai/types.js';
import { anthropicToOpenAIResponse, openAIToAnthropicResponse } from '../../../../src/dialects/index.js';
import { renderAnthropic } from '../../../support/anthropicWire.js';
import { renderOpenAI } from '../../../support/openAIWire.js';
import { ids, json, reply, sse } from './replies.js';
import { anthropicOutput, ndjson, openAIOutput, relay, textTranslator, type TextTranslator } from './harness.js';


function translatorTo(client: 'openai' | 'anthropic'): TextTranslator {
  return textTranslator(client === 'openai' ? 'anthropic' : 'openai', client, { includeUsage: true });
}

describe('a translated stream accumulates to the translated complete answer', () => {
  it('Anthropic provider → OpenAI client (openai SDK accumulator)', async () => {
    await fc.assert(
      fc.asyncProperty(reply, async (r) => {
        const complete = anthropicToOpenAIResponse(json(renderAnthropic(r, { model: 'claude-x' }, ids())) as AnthropicResponse);
        const out = relay(translatorTo('openai'), sse(renderAnthropic(r, { model: 'claude-x', stream: true }, ids())));
        const chunks = openAIOutput(out).filter((c) => c !== '[DONE]');
        const streamed = await ChatCompletionStream.fromReadableStream(ndjson(chunks)).finalChatCompletion();

        const view = (m: { content: string | null; tool_calls?: unknown[] | undefined }) => ({
          // A stream's role chunk carries content "", so "no text" reads as "" there and null in a complete answer.
          content: m.content || null,
          calls: (m.tool_calls ?? []).map((c) => {
            const call = c as { id: string; function: { name: string; arguments: string } };
            return [call.id, call.function.name, JSON.parse(call.function.arguments) as unknown];
          }),
        });
        assert.deepEqual(view(streamed.choices[0]!.message), view(complete.choices[0]!.message));
        assert.equal(streamed.choices[0]!.finish_reason, complete.choices[0]!.finish_reason);
        assert.deepEqual(streamed.usage, complete.usage);
        assert.equal(streamed.id, complete.id);
        assert.equal(streamed.model, complete.model);
      }),
      { numRuns: 150 },
    );
  });

  it('OpenAI provider → Anthropic client (@anthropic-ai/sdk accumulator)', async () => {
    await fc.assert(
      fc.asyncProperty(reply, async (r) => {
        const complete = openAIToAnthropicResponse(json(renderOpenAI(r, { model: 'gpt-x' }, ids())) as OpenAIResponse);
        const upstream = sse(renderOpenAI(r, { model: 'gpt-x', stream: true, stream_options: { include_usage: true } }, ids()));
        const events = anthropicOutput(relay(translatorTo('anthropic'), upstream)).map(([, data]) => data);
        const streamed = await MessageStream.fromReadableStream(ndjson(events)).finalMessage();

        assert.deepEqual(
          streamed.content.map((b) => (b.type === 'text' ? ['text', b.text] : b.type === 'tool_use' ? [b.id, b.name, b.input] : [b.type])),
          complete.content.map((b) => (b.type === 'text' ? ['text', b.text] : b.type === 'tool_use' ? [b.id, b.name, b.input] : [b.type])),
        );
        assert.equal(streamed.stop_reason, complete.stop_reason);
        assert.equal(streamed.stop_sequence, complete.stop_sequence);
        const usage = (u: Partial<AnthropicResponse['usage']>) => [u.input_tokens, u.output_tokens, u.cache_read_input_tokens, u.cache_creation_input_tokens];
        assert.deepEqual(usage(streamed.usage as Partial<AnthropicResponse['usage']>), usage(complete.usage));
        assert.equal(streamed.id, complete.id);
        assert.equal(streamed.model, complete.model);
      }),
      { numRuns: 150 },
    );
  });
});
