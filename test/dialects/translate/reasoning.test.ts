// Reasoning across formats: an OpenAI-compatible server's reasoning content
// becomes an unsigned Anthropic thinking block only for a client that asked to
// see thinking; such blocks never reach an Anthropic-format target; and
// message_start carries the estimated input tokens it is given.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MessageStream } from '@anthropic-ai/sdk/lib/MessageStream';
import { anthropicOutput, ndjson, relay, textTranslator } from './stream/harness.js';
import { openAIToAnthropicResponse } from '../../../src/dialects/translate/response/toAnthropic.js';
import { acceptsUnsignedThinking, withoutUnsignedThinking } from '../../../src/dialects/translate/reasoning.js';
import { buildUpstreamBody, wireBytes, type BodyTarget } from '../../../src/providers/upstreamRequest.js';
import { ClientBody } from '../../../src/providers/clientBody.js';

const bodyOf = (text: string): ClientBody => ClientBody.scan(Buffer.from(text)) ?? assert.fail('not a JSON object');
import type { OpenAIResponse } from '../../../src/dialects/openai/types.js';

const chunk = (delta: object, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'deepseek-r1', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
const REASONING_STREAM = [
  chunk({ role: 'assistant', content: '' }),
  chunk({ reasoning_content: 'The user greets; ' }),
  chunk({ reasoning_content: 'answer briefly.' }),
  chunk({ content: 'Hello!' }),
  chunk({}, 'stop'),
  'data: [DONE]\n\n',
].join('');

describe('reasoning content into an Anthropic stream', () => {
  it('becomes an unsigned thinking block before the text when the client takes thinking, and the SDK assembles it', async () => {
    const sse = relay(textTranslator('openai', 'anthropic', { includeUsage: false, thinkingBlocks: true }), REASONING_STREAM);
    const message = await MessageStream.fromReadableStream(ndjson(anthropicOutput(sse).map(([, data]) => data))).finalMessage();
    assert.deepEqual(message.content, [
      { type: 'thinking', thinking: 'The user greets; answer briefly.', signature: '' },
      { type: 'text', text: 'Hello!' },
    ]);
  });

  it('is left out otherwise', () => {
    const sse = relay(textTranslator('openai', 'anthropic', { includeUsage: false }), REASONING_STREAM);
    const blocks = anthropicOutput(sse).filter(([name]) => name === 'content_block_start').map(([, d]) => (d.content_block as { type: string }).type);
    assert.deepEqual(blocks, ['text']);
    assert.doesNotMatch(sse, /greets/);
  });

  it('message_start carries the estimate it is given, asked for once', () => {
    let calls = 0;
    const sse = relay(textTranslator('openai', 'anthropic', { includeUsage: false, inputTokens: () => (calls++, 1234) }), REASONING_STREAM);
    const start = anthropicOutput(sse).find(([name]) => name === 'message_start')?.[1] as unknown as { message: { usage: { input_tokens: number } } };
    assert.equal(start.message.usage.input_tokens, 1234);
    assert.equal(calls, 1);
  });
});

describe('reasoning content into an Anthropic response', () => {
  const resp = {
    id: 'r',
    object: 'chat.completion',
    created: 1,
    model: 'm',
    choices: [{ index: 0, message: { role: 'assistant', content: 'Hi', reasoning: 'think' }, finish_reason: 'stop' }],
  } as unknown as OpenAIResponse;

  it('leads with an unsigned thinking block for a client that takes thinking, else leaves it out', () => {
    assert.deepEqual(openAIToAnthropicResponse(resp, { thinkingBlocks: true }).content, [
      { type: 'thinking', thinking: 'think', signature: '' },
      { type: 'text', text: 'Hi' },
    ]);
    assert.deepEqual(openAIToAnthropicResponse(resp).content, [{ type: 'text', text: 'Hi' }]);
  });
});

describe('which clients take unsigned thinking', () => {
  it('thinking enabled or adaptive and shown; not omitted, disabled or absent', () => {
    assert.equal(acceptsUnsignedThinking({ thinking: { type: 'enabled', budget_tokens: 2000 } }), true);
    assert.equal(acceptsUnsignedThinking({ thinking: { type: 'adaptive', display: 'summarized' } } as never), true);
    assert.equal(acceptsUnsignedThinking({ thinking: { type: 'adaptive', display: 'omitted' } } as never), false);
    assert.equal(acceptsUnsignedThinking({ thinking: { type: 'disabled' } }), false);
    assert.equal(acceptsUnsignedThinking({}), false);
  });
});

describe('unsigned thinking blocks never reach an Anthropic-format target', () => {
  const conversation = {
    model: 'claude',
    max_tokens: 100,
    messages: [
      { role: 'user', content: 'hi' },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'made by the gateway', signature: '' },
          { type: 'thinking', thinking: 'signed by Anthropic', signature: 'EqQBCkYIBxgCKkA' },
          { type: 'text', text: 'Hello' },
        ],
      },
      { role: 'user', content: 'again' },
    ],
  };
  const target: BodyTarget = {
    endpoint: { format: 'anthropic', origin: 'http://x', chatPath: '/v1/messages', responsesPath: undefined, query: '', auth: 'x-api-key' },
    modelId: 'claude-up',
    model: 'anthropic/claude-up',
    translation: 'lenient',
    reasoning: true,
    maxOutputTokens: undefined,
  };

  it('the unsigned block is removed, the signed one kept, model rewritten', () => {
    const text = JSON.stringify(conversation);
    const built = buildUpstreamBody({ dialect: 'anthropic', body: bodyOf(text), hintHeaders: [] }, target);
    assert.ok(built.ok);
    const sent = JSON.parse(wireBytes(built.body).toString('utf8')) as typeof conversation;
    assert.equal(sent.model, 'claude-up');
    assert.deepEqual(sent.messages[1]?.content, [
      { type: 'thinking', thinking: 'signed by Anthropic', signature: 'EqQBCkYIBxgCKkA' },
      { type: 'text', text: 'Hello' },
    ]);
  });

  it('a conversation without one is left untouched', () => {
    const signed = { ...conversation, messages: [conversation.messages[0], conversation.messages[2]] };
    assert.equal(withoutUnsignedThinking(signed), undefined);
    const text = JSON.stringify(signed);
    const built = buildUpstreamBody({ dialect: 'anthropic', body: bodyOf(text), hintHeaders: [] }, target);
    assert.ok(built.ok);
    assert.equal(wireBytes(built.body).toString('utf8'), text.replace('"claude"', '"claude-up"'));
  });
});
