// Token counts for prompts no provider counts for us: the encoding per model,
// the prompt count against the tokenizer's own chat count, and the estimate
// that never waits for a tokenizer to load.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { encodeChat } from 'gpt-tokenizer/encoding/o200k_base';
import { encodingFor, loadedEncoding, loadEncoding } from '../../src/dialects/tokens/encodings.js';
import { countPromptTokens } from '../../src/dialects/tokens/promptTokens.js';
import { approximateTokens, estimateInputTokens } from '../../src/dialects/tokens/estimate.js';
import type { OpenAIRequest } from '../../src/dialects/openai/types.js';

describe('encodingFor', () => {
  it('cl100k_base for gpt-4, gpt-4-turbo and gpt-3.5; o200k_base for later models and everything else', () => {
    for (const m of ['gpt-4', 'gpt-4-0613', 'gpt-4-turbo', 'gpt-3.5-turbo', 'openai/gpt-4']) assert.equal(encodingFor(m), 'cl100k_base', m);
    for (const m of ['gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'o4-mini', 'gpt-5', 'llama-3.3-70b', 'qwen/qwen3-coder']) assert.equal(encodingFor(m), 'o200k_base', m);
  });
});

describe('countPromptTokens', () => {
  const req: Pick<OpenAIRequest, 'messages' | 'tools'> = {
    messages: [
      { role: 'system', content: 'You are a careful assistant that answers in one short sentence.' },
      { role: 'user', content: 'What is the capital of France, and why is it famous?' },
      { role: 'assistant', content: 'Paris, for art, food and the Eiffel Tower.' },
      { role: 'user', content: 'And of Italy?' },
    ],
  };

  it('matches the tokenizer\'s own chat count within a few tokens', async () => {
    const count = await loadEncoding('o200k_base');
    const ours = countPromptTokens(req, count);
    const theirs = encodeChat(req.messages as { role: 'user'; content: string }[], 'gpt-4o').length;
    assert.ok(Math.abs(ours - theirs) <= 4, `ours ${ours}, tokenizer ${theirs}`);
  });

  it('counts tools and tool calls', async () => {
    const count = await loadEncoding('o200k_base');
    const tools = [{ type: 'function' as const, function: { name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];
    const withTools = countPromptTokens({ ...req, tools }, count);
    assert.ok(withTools > countPromptTokens(req, count) + 10);
  });
});

describe('estimateInputTokens', () => {
  it('uses ~4 characters a token until the tokenizer is loaded, never loading it, and the tokenizer after', async () => {
    // cl100k_base is loaded by no other test in this process.
    const req = { model: 'gpt-4', messages: [{ role: 'user' as const, content: 'word '.repeat(400) }] };
    const first = estimateInputTokens(req);
    assert.equal(first, countPromptTokens(req, approximateTokens));
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(loadedEncoding('cl100k_base'), undefined, 'an estimate starts no load');
    const count = await loadEncoding('cl100k_base');
    assert.equal(estimateInputTokens(req), countPromptTokens(req, count));
    assert.notEqual(estimateInputTokens(req), first);
  });
});
