// Usage and model read from a relayed stream, in both dialects, without
// parsing events that carry none.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SseParser } from '../../src/dialects/index.js';
import { UsageTap } from '../../src/streaming/usageTap.js';
import { anthropicFrames, openAIFrames } from '../support/streamMocks.js';
import { readTokenUsage } from '../../src/dialects/tokenUsage.js';

const events = (frames: readonly string[]) => new SseParser().push(frames.join(''));

describe('UsageTap', () => {
  it('reads an OpenAI stream\'s usage chunk and ignores "usage": null', () => {
    const tap = new UsageTap();
    const frames = openAIFrames(['a', 'b'], { usage: { input: 12, output: 7 }, model: 'gpt-x' }).map((f) => (f.includes('"usage"') ? f : f.replace('"choices"', '"usage":null,"choices"')));
    tap.observe(events(frames), 'openai');
    assert.deepEqual(tap.usage, { inputTokens: 12, outputTokens: 7 });
    assert.equal(tap.model, 'gpt-x');
  });

  it('has no usage for an OpenAI stream without a usage chunk', () => {
    const tap = new UsageTap();
    tap.observe(events(openAIFrames(['a'])), 'openai');
    assert.equal(tap.usage, undefined);
  });

  it('takes input from message_start and output from message_delta in an Anthropic stream', () => {
    const tap = new UsageTap();
    tap.observe(events(anthropicFrames(['a', 'b', 'c'], { usage: { input: 30, output: 3 }, model: 'claude-x' })), 'anthropic');
    assert.deepEqual(tap.usage, { inputTokens: 30, outputTokens: 3 });
    assert.equal(tap.model, 'claude-x');
  });

  it('lets a continuation\'s figures replace the broken stream\'s', () => {
    const tap = new UsageTap();
    tap.observe(events(anthropicFrames(['a'], { usage: { input: 30, output: 1 }, open: true })), 'anthropic');
    tap.observe(events(anthropicFrames(['b'], { usage: { input: 31, output: 4 } })), 'anthropic');
    assert.deepEqual(tap.usage, { inputTokens: 31, outputTokens: 4 });
  });
});

describe('readTokenUsage', () => {
  it('reads both dialects, counting cached prompt tokens as input', () => {
    assert.deepEqual(readTokenUsage({ prompt_tokens: 5, completion_tokens: 3 }), { inputTokens: 5, outputTokens: 3 });
    assert.deepEqual(readTokenUsage({ input_tokens: 5, cache_read_input_tokens: 2, cache_creation_input_tokens: 1, output_tokens: 4 }), { inputTokens: 8, outputTokens: 4 });
    assert.equal(readTokenUsage(null), undefined);
    assert.equal(readTokenUsage({ other: 1 }), undefined);
    assert.deepEqual(readTokenUsage({ prompt_tokens: 'x', completion_tokens: -1 }), { inputTokens: 0, outputTokens: 0 });
  });
});
