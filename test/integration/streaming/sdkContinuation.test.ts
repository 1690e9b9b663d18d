// The official SDKs see a continued stream as one ordinary answer, and a
// stream that cannot be continued as an error, never as a finished message.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startMockUpstream, type MockUpstream } from '../../support/mockUpstream.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { sdkClients } from '../../support/sdkClients.js';
import { anthropicFrames, canonicalTokens, continuesFromPrefill, openAIFrames } from '../../support/streamMocks.js';
import { gatewayYaml } from './helpers.js';

const TOKENS = canonicalTokens(50);
const CANONICAL = TOKENS.join('');
const POLICY = ['on_timeout:', '  strategy: different_provider', '  max_attempts: 1'];
const messages = [{ role: 'user' as const, content: 'the canonical answer, please' }];

describe('continuation through the official SDKs', () => {
  let primary: MockUpstream;
  let fallback: MockUpstream;
  let gw: TestGateway;
  before(async () => {
    primary = await startMockUpstream({ kind: 'sse', frames: openAIFrames(TOKENS.slice(0, 40), { open: true }), end: 'cut' });
    fallback = await startMockUpstream(continuesFromPrefill(CANONICAL, 'anthropic', { model: 'claude-fallback' }));
    gw = await startTestGateway(gatewayYaml({ url: primary.url, format: 'openai' }, [{ url: fallback.url, format: 'anthropic' }], POLICY));
  });
  after(async () => {
    await gw.close();
    await primary.close();
    await fallback.close();
  });

  it('OpenAI SDK: finalChatCompletion holds the canonical answer, finished normally', async () => {
    const { openai } = sdkClients(gw.url);
    const done = await openai.chat.completions.stream({ model: 'entry0', messages }).finalChatCompletion();
    assert.equal(done.choices[0]!.message.content, CANONICAL);
    assert.equal(done.choices[0]!.finish_reason, 'stop');
  });

  it('Anthropic SDK: finalMessage holds one text block with the canonical answer', async () => {
    const { anthropic } = sdkClients(gw.url);
    const done = await anthropic.messages.stream({ model: 'entry0', max_tokens: 256, messages }).finalMessage();
    assert.equal(done.content.length, 1);
    const block = done.content[0]!;
    assert.equal(block.type, 'text');
    assert.equal(block.text, CANONICAL);
    assert.equal(done.stop_reason, 'end_turn');
  });

  it('both SDKs raise an error when the stream cannot be continued', async () => {
    const broken = await startMockUpstream({ kind: 'sse', frames: anthropicFrames(TOKENS.slice(0, 10), { open: true }), end: 'cut' });
    const lone = await startTestGateway(gatewayYaml({ url: broken.url, format: 'anthropic' }, [], POLICY));
    try {
      const { openai, anthropic } = sdkClients(lone.url);
      await assert.rejects(openai.chat.completions.stream({ model: 'entry0', messages }).finalChatCompletion(), /could not be continued/);
      await assert.rejects(anthropic.messages.stream({ model: 'entry0', max_tokens: 64, messages }).finalMessage(), /could not be continued/);
    } finally {
      await lone.close();
      await broken.close();
    }
  });
});
